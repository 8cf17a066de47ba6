"""The pages of the deadline engine: the deadline panels on the ticket pages, the
delay-notice form and the leads' list. (The public standards page, 서비스 이행표준,
is the standards app's: tests/standards/test_standards_page.py.)"""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from charter.models import DelayNotice
from charter.services import delay_notice_file
from tests.helpers.clock import kst
from tests.helpers.ticket_steps import open_ticket
from tickets.models import Priority, Ticket

pytestmark = pytest.mark.usefixtures("standard")


# --- panels -------------------------------------------------------------------------


def test_mt1_staff_panel_shows_deadlines_time_left_and_the_form(org, engineer, render_panel) -> None:
    ticket = open_ticket(org, kst(2026, 3, 3, 9), assign=engineer)
    with time_machine.travel(kst(2026, 3, 4, 15), tick=False):
        html = render_panel("charter/_deadline_panel.html", ticket, engineer)
    assert "2026-03-04 18:00" in html  # committed date
    assert "3 h of business time" in html  # Wed 15:00 → 18:00
    assert "border-warning" in html  # past the warning point (Wed 14:00)
    assert reverse("charter:delay_notice_file", args=[ticket.pk]) in html
    assert 'name="reason"' in html and 'name="new_date"' in html


def test_mt1_staff_panel_shows_overdue_level_and_notices(org, engineer, render_panel) -> None:
    ticket = open_ticket(org, kst(2026, 3, 3, 9), assign=engineer)
    with time_machine.travel(kst(2026, 3, 5, 10), tick=False):
        delay_notice_file(ticket=ticket, actor=engineer, reason="부품 입고 지연", new_date=kst(2026, 3, 6, 18))
    Ticket.objects.filter(pk=ticket.pk).update(escalation_level=2)
    ticket.refresh_from_db()
    with time_machine.travel(kst(2026, 3, 5, 11), tick=False):
        html = render_panel("charter/_deadline_panel.html", ticket, engineer)
    assert "Overdue by 2 h" in html  # Wed 18:00 → Thu 11:00 is two business hours
    assert "Level 2" in html
    assert "부품 입고 지연" in html
    assert "border-danger" in html  # the late notice is marked


def test_panel_for_a_customer_has_no_form(org, customer, render_panel) -> None:
    ticket = open_ticket(org, kst(2026, 3, 3, 9))
    html = render_panel("charter/_deadline_panel.html", ticket, customer)
    assert 'name="reason"' not in html


def test_mt1_customer_partial_shows_committed_date_and_the_notice(org, engineer, customer, render_panel) -> None:
    ticket = open_ticket(org, kst(2026, 3, 3, 9), assign=engineer)
    with time_machine.travel(kst(2026, 3, 4, 10), tick=False):
        delay_notice_file(ticket=ticket, actor=engineer, reason="부품 입고 지연", new_date=kst(2026, 3, 6, 18))
    ticket.refresh_from_db()
    html = render_panel("charter/_deadline_customer.html", ticket, customer)
    assert "2026-03-06 18:00" in html
    assert "부품 입고 지연" in html
    assert "/standards/" in html


def test_customer_partial_shows_the_new_date_of_a_late_notice(org, engineer, customer, render_panel) -> None:
    ticket = open_ticket(org, kst(2026, 3, 3, 9), assign=engineer)
    with time_machine.travel(kst(2026, 3, 5, 10), tick=False):
        delay_notice_file(ticket=ticket, actor=engineer, reason="지연", new_date=kst(2026, 3, 9, 18))
    ticket.refresh_from_db()
    html = render_panel("charter/_deadline_customer.html", ticket, customer)
    assert "2026-03-09 18:00" in html  # what the customer was told


def test_panel_costs_a_fixed_number_of_queries(org, engineer, django_assert_max_num_queries, render_panel) -> None:
    ticket = open_ticket(org, kst(2026, 3, 3, 9), assign=engineer)
    render_panel("charter/_deadline_panel.html", ticket, engineer)  # warm the cache
    for i in range(5):
        DelayNotice.objects.create(
            ticket=ticket, reason=f"사유 {i}", new_deadline=timezone.now(), filed_by=engineer, filed_at=timezone.now()
        )
    with django_assert_max_num_queries(4):
        render_panel("charter/_deadline_panel.html", ticket, engineer)


# --- the delay-notice form ------------------------------------------------------------


def post_notice(client, ticket, *, htmx=False, **data):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("charter:delay_notice_file", args=[ticket.pk]), data, **headers)


def test_mt1_engineer_files_a_notice_from_the_ticket_page(org, engineer, client_for) -> None:
    ticket = open_ticket(org, timezone.now() - timedelta(minutes=5), assign=engineer)
    new_date = timezone.localtime(ticket.resolve_by + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = post_notice(client_for(engineer), ticket, reason="부품 입고 지연", new_date=new_date)
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:ticket_detail", args=[ticket.pk])
    notice = DelayNotice.objects.get(ticket=ticket)
    assert notice.reason == "부품 입고 지연" and notice.filed_by == engineer


def test_mt1_htmx_notice_redirects_the_page(org, engineer, client_for) -> None:
    ticket = open_ticket(org, timezone.now() - timedelta(minutes=5), assign=engineer)
    new_date = timezone.localtime(ticket.resolve_by + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = post_notice(client_for(engineer), ticket, htmx=True, reason="지연", new_date=new_date)
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("staff:ticket_detail", args=[ticket.pk])


def test_mt1_notice_without_reason_rerenders_with_the_typed_date(org, engineer, client_for) -> None:
    ticket = open_ticket(org, timezone.now() - timedelta(minutes=5), assign=engineer)
    new_date = timezone.localtime(ticket.resolve_by + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = post_notice(client_for(engineer), ticket, reason="  ", new_date=new_date)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tell the customer why the work is late." in html
    assert new_date in html
    assert not DelayNotice.objects.exists()


def test_mt1_notice_with_a_past_date_rerenders_the_panel_for_htmx(org, engineer, client_for) -> None:
    ticket = open_ticket(org, timezone.now() - timedelta(minutes=5), assign=engineer)
    response = post_notice(client_for(engineer), ticket, htmx=True, reason="사유", new_date="2020-01-01T10:00")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="deadline-panel"' in html and "<html" not in html
    assert "사유" in html  # the typed reason is kept
    assert "is-invalid" in html


def test_mt1_garbage_date_is_a_field_error_not_a_500(org, engineer, client_for) -> None:
    ticket = open_ticket(org, timezone.now() - timedelta(minutes=5), assign=engineer)
    response = post_notice(client_for(engineer), ticket, reason="사유", new_date="next tuesday")
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


@pytest.mark.parametrize("who", ["customer", "other_engineer"])
def test_notice_on_someone_elses_ticket_is_a_404(org, engineer, client_for, who) -> None:
    ticket = open_ticket(org, timezone.now() - timedelta(minutes=5), assign=engineer)
    user = getattr(org, who)
    response = post_notice(client_for(user), ticket, reason="사유", new_date="2030-01-01T10:00")
    assert response.status_code == 404
    assert not DelayNotice.objects.exists()


# --- leads' escalated work ----------------------------------------------------------------


def escalated(org, *, team, level: int, n: int = 1) -> list[Ticket]:
    made = []
    for _ in range(n):
        t = open_ticket(org, timezone.now() - timedelta(hours=1), priority=Priority.HIGH)
        Ticket.objects.filter(pk=t.pk).update(team=team, escalation_level=level)
        made.append(t)
    return made


def test_lead_sees_the_escalated_work_of_the_team_they_lead(org, lead, client_for) -> None:
    mine = escalated(org, team=org.team, level=2)[0]
    other = escalated(org, team=org.other_team, level=3)[0]
    calm = open_ticket(org, timezone.now())
    response = client_for(lead).get(reverse("charter:escalated"))
    assert response.status_code == 200
    ids = {t.pk for t in response.context["page"].object_list}
    assert ids == {mine.pk}
    assert other.pk not in ids and calm.pk not in ids


def test_section_chief_sees_the_whole_department(org, section_chief, client_for) -> None:
    chief = section_chief  # in no team: the department's tickets, whichever team holds them
    a = escalated(org, team=org.team, level=2)[0]
    b = escalated(org, team=org.other_team, level=3)[0]
    page = client_for(chief).get(reverse("charter:escalated")).context["page"]
    assert [t.pk for t in page.object_list] == [b.pk, a.pk]  # highest level first


def test_level_filter(org, lead, client_for) -> None:
    escalated(org, team=org.team, level=1)
    high = escalated(org, team=org.team, level=3)[0]
    page = client_for(lead).get(reverse("charter:escalated") + "?level=2").context["page"]
    assert [t.pk for t in page.object_list] == [high.pk]


def test_engineer_cannot_open_the_leads_list(engineer, client_for) -> None:
    assert client_for(engineer).get(reverse("charter:escalated")).status_code == 403


def test_escalated_list_query_count_does_not_grow(org, lead, client_for, django_assert_max_num_queries) -> None:
    client = client_for(lead)
    escalated(org, team=org.team, level=2, n=3)
    client.get(reverse("charter:escalated"))
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("charter:escalated"))
    escalated(org, team=org.team, level=2, n=27)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("charter:escalated"))
    assert len(response.context["page"].object_list) == 25  # paginated
