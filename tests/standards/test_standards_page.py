"""P5: the public service standards page (서비스 이행표준, standards.views) shows
what the active standard's data promises, follows an edit, and says so when no
standard is published. Read in English (the English client)."""
from __future__ import annotations

import pytest

from tickets.models import Kind

pytestmark = pytest.mark.usefixtures("standard")


def test_p5_standards_page_shows_what_the_data_promises(en_client, standard) -> None:
    response = en_client.get("/standards/")
    assert response.status_code == 200
    html = response.content.decode()
    assert standard.label in html
    assert "16" in html and "40" in html  # normal and low fault resolution hours
    assert "BS1" in html  # support requests: by the time the customer asks
    assert "75%" in html
    assert "21:00" in html and "08:00" in html
    assert "60" in html  # callback minutes (PH3)


def test_p5_standards_page_follows_an_edit(en_client, standard) -> None:
    standard.targets.filter(kind=Kind.LARGE_WORK).update(resolve_hours=77)
    standard.callback_due_minutes = 45
    standard.save()
    html = en_client.get("/standards/").content.decode()
    assert "77" in html and "45" in html


def test_p5_standards_page_hides_a_catch_all_row_no_ticket_can_fall_back_to(en_client, standard) -> None:
    from standards.selectors import standards_changed, targets_reachable

    def fault_rows(html: str) -> int:
        return html.count("<td>Fault</td>")

    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    en_client.cookies["django_language"] = "en"
    # Every fault priority has its own row: the any-priority row is a safety net, not a promise.
    html = en_client.get("/standards/", **english).content.decode()
    assert fault_rows(html) == 4
    assert all(t.priority for t in targets_reachable(standard) if t.kind == Kind.FAULT)
    # Without the low-priority row, low faults fall back to it: it is shown again.
    standard.targets.filter(kind=Kind.FAULT, priority="low").delete()
    standards_changed()
    html = en_client.get("/standards/", **english).content.decode()
    assert fault_rows(html) == 4 and "<td>Any</td>" in html


def test_standards_page_without_a_standard(en_client, standard) -> None:
    type(standard).objects.update(is_active=False)
    response = en_client.get("/standards/")
    assert response.status_code == 200
    assert "No service standard is published" in response.content.decode()
