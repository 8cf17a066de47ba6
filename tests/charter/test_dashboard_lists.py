"""Every dashboard figure drills down to its list (paginated, most urgent first),
and every list exports to Excel and CSV."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse

from charter.models import Escalation, RepeatFault
from tests.charter.dashboard_helpers import URL, late_visit, ticket
from tests.charter.repeat_helpers import faults
from tests.helpers.clock import NOW
from tickets.models import Ticket

# As for the figures: the clock stands at NOW and every request counts afresh.
pytestmark = pytest.mark.usefixtures("frozen", "dashboard_live", "standard")


def listing(client, name: str, query: str = ""):
    response = client.get(f"{URL}list/{name}/{query}")
    assert response.status_code == 200, response.status_code
    return response


def pks(response) -> list[int]:
    return [t.pk for t in response.context["page"].object_list]


def test_each_ticket_figure_lists_exactly_what_it_counts(work, org, client_for) -> None:
    client = client_for(org.lead)
    fig = client.get(URL).context["figures"]
    expected = {
        "overdue": [work["lead_late"].pk, work["overdue"].pk],  # earliest deadline first
        "due_soon": [work["soon"].pk],
        "warnings": [work["soon"].pk],
        "vip": [work["vip"].pk],
        "unassigned": [work["vip"].pk],
    }
    for name, wanted in expected.items():
        response = listing(client, name)
        assert pks(response) == wanted, name
        assert response.context["page"].paginator.count == getattr(fig, name)


def test_escalation_levels_and_engineers_drill_down(work, org, client_for) -> None:
    client = client_for(org.lead)
    assert pks(listing(client, "escalated", "?level=2")) == [work["overdue"].pk]
    assert pks(listing(client, "escalated", "?level=3")) == [work["lead_late"].pk]  # 3 and above
    mine = set(pks(listing(client, "open", f"?engineer={org.engineer.pk}")))
    assert mine == {work["overdue"].pk, work["paused"].pk, work["soon"].pk, work["after_lunch"].pk}
    # Another team's engineer named in the URL shows nothing of theirs.
    assert pks(listing(client, "open", f"?engineer={org.other_engineer.pk}")) == []
    # Nonsense numbers are ignored, never an error.
    assert len(pks(listing(client, "escalated", "?level=abc&engineer=-1&page=zz"))) == 3


def test_lists_are_paginated_by_25(org, client_for) -> None:
    for i in range(30):
        ticket(org, resolve_by=NOW - timedelta(hours=1, minutes=i))
    client = client_for(org.lead)
    first = listing(client, "overdue")
    assert len(first.context["page"].object_list) == 25 and first.context["page"].paginator.count == 30
    assert len(listing(client, "overdue", "?page=2").context["page"].object_list) == 5


def test_an_unknown_list_is_a_404(org, client_for) -> None:
    assert client_for(org.lead).get(f"{URL}list/everything/").status_code == 404


def test_repeat_fault_list_offers_the_joint_visit_for_the_escalated_ticket(org, client_for) -> None:
    *_, third = faults(org, 3)
    response = listing(client_for(org.lead), "repeat_escalated")
    html = response.content.decode()
    assert f'data-repeat-fault="{RepeatFault.objects.get().pk}"' in html
    assert reverse("visits:book", args=[third.pk]) in html
    assert "PC-000001" in html and "3 of 3" in html
    assert listing(client_for(org.lead), "repeat_at_risk").context["page"].paginator.count == 0


def test_late_visits_list(org, client_for) -> None:
    late = late_visit(org, punctuality_minutes=30, checked_in_at=NOW - timedelta(minutes=30))
    late_visit(org, punctuality_minutes=0, checked_in_at=NOW - timedelta(hours=1))
    response = listing(client_for(org.lead), "late_visits")
    assert [v.pk for v in response.context["page"].object_list] == [late.pk]
    assert "30 min late" in response.content.decode()


def test_opened_closed_and_breached_lists_follow_the_period(org, client_for) -> None:
    recent = ticket(org, created_at=NOW - timedelta(days=2))
    ticket(org, created_at=NOW - timedelta(days=20))
    client = client_for(org.lead)
    assert pks(listing(client, "opened", "?period=7")) == [recent.pk]
    assert len(pks(listing(client, "opened", "?period=30"))) == 2
    assert pks(listing(client, "closed", "?period=7")) == []
    assert pks(listing(client, "breached", "?period=7")) == []
    Escalation.objects.create(
        ticket=recent, kind=Escalation.Kind.BREACH, level=0, deadline_version=1, deadline=NOW - timedelta(days=1),
        due_at=NOW - timedelta(days=1), fired_at=NOW - timedelta(days=1) + timedelta(minutes=1),
    )
    assert pks(listing(client, "breached", "?period=7")) == [recent.pk]
    assert pks(listing(client, "breached", f"?period=7&team={org.other_team.pk}")) == [recent.pk]  # not theirs: reset


def test_csv_export_has_a_header_and_every_row(work, org, client_for) -> None:
    for i in range(30):
        ticket(org, resolve_by=NOW - timedelta(hours=2, minutes=i), title=f"늦은 작업 {i}")
    response = client_for(org.lead).get(f"{URL}list/overdue/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="overdue-' in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel opens Korean CSV correctly with the BOM
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Ticket", "Title", "Status"]
    assert len(rows) == 1 + 32  # not paginated: every overdue ticket
    assert any(r[1] == "늦은 작업 0" for r in rows[1:])


def test_excel_export_opens_with_the_same_rows(work, org, client_for) -> None:
    response = client_for(org.lead).get(f"{URL}list/open/?format=xlsx&engineer={org.engineer.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Ticket"
    assert sorted(r[0] for r in rows[1:]) == sorted(
        t.number for t in Ticket.objects.filter(assignee=org.engineer, status__in=["in_progress", "waiting_parts"])
    )


def test_repeat_and_visit_lists_export_too(org, client_for) -> None:
    faults(org, 3)
    late_visit(org, punctuality_minutes=30)
    client = client_for(org.lead)
    body = b"".join(client.get(f"{URL}list/repeat_escalated/?format=csv").streaming_content).decode()
    assert "PC-000001" in body
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{URL}list/late_visits/?format=xlsx").content))
    assert len(list(book.active.iter_rows(values_only=True))) == 2


def test_an_unknown_format_shows_the_page(work, org, client_for) -> None:
    response = client_for(org.lead).get(f"{URL}list/overdue/?format=pdf")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


def test_other_teams_never_appear_in_lists_or_exports(work, org, client_for) -> None:
    client = client_for(org.lead)
    assert work["other_team"].pk not in pks(listing(client, "overdue", f"?team={org.other_team.pk}"))
    body = b"".join(client.get(f"{URL}list/overdue/?format=csv").streaming_content).decode()
    assert work["other_team"].number not in body.split()
