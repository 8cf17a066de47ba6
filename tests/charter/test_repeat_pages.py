"""What people see of MT5 and MT8: the ticket page's panels, the root-cause form,
refusals shown on the page, the timeline lines, and the lead told of VIP work."""
from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from charter.models import RootCause
from charter.repeats import vip_ticket_announce
from helpdesk.notifications.models import Notification
from tests import factories as f
from tests.charter.repeat_helpers import DAY1, visit
from tickets.models import Ticket, TicketEvent
from tickets.presenters import event_text
from tickets.services import ticket_create
from visits.models import VisitState

pytestmark = pytest.mark.usefixtures("standard")


@pytest.fixture
def vip(org, settings):
    boss = f.PositionFactory(name="본부장", name_en="Division head", rank=settings.VIP_MIN_RANK + 10)
    return f.UserFactory(
        username="boss", last_name="오", first_name="상무", department=org.customer_dept, position=boss,
        roles=["customer"],
    )


# --- MT8 ------------------------------------------------------------------------------------


def test_mt8_a_vip_ticket_tells_the_team_lead_once(org, vip) -> None:
    ticket = ticket_create(
        actor=vip, reporter=vip, reporter_name=vip.display_name, reporter_department=org.customer_dept,
        title="노트북 화면 불량", asset=org.asset,
    )
    assert ticket.reporter_is_vip
    rows = Notification.objects.filter(key__startswith=f"charter:vip_opened:t{ticket.pk}:")
    assert set(rows.values_list("recipient_id", "channel")) == {(org.lead.pk, "email"), (org.lead.pk, "in_app")}
    assert "VIP" in rows.first().context["subject"]
    event = ticket.events.get(kind=TicketEvent.Kind.VIP_OPENED)
    assert not event.is_public and event.data["to"] == [org.lead.display_name]
    # Told once, whoever asks again.
    assert vip_ticket_announce(ticket=ticket) is False
    assert rows.count() == 2 and ticket.events.filter(kind=TicketEvent.Kind.VIP_OPENED).count() == 1


def test_mt8_ordinary_tickets_tell_nobody(org) -> None:
    ticket = ticket_create(
        actor=org.customer, reporter=org.customer, reporter_name="김민수", reporter_department=org.customer_dept,
        title="마우스 고장", asset=org.asset,
    )
    assert not Notification.objects.filter(key__contains="vip_opened").exists()
    assert not ticket.events.filter(kind=TicketEvent.Kind.VIP_OPENED).exists()


def test_mt8_the_vip_rule_shows_on_the_ticket_and_whether_a_lead_goes(org, render_panel) -> None:
    ticket = f.TicketFactory(reporter=org.customer, team=org.team, reporter_is_vip=True)
    html = render_panel("charter/dashboard/_vip_rule.html", ticket, None)
    assert 'id="vip-rule"' in html and "section chief or team lead visits" in html
    assert "When you book a visit" in html
    visit(ticket, org, engineer=org.engineer, companion=None, state=VisitState.CONFIRMED)
    html = render_panel("charter/dashboard/_vip_rule.html", ticket, None)
    assert "No team lead or section chief is on the visit yet" in html
    visit(ticket, org, engineer=org.engineer, companion=org.lead, state=VisitState.CONFIRMED)
    html = render_panel("charter/dashboard/_vip_rule.html", ticket, None)
    assert f"On the visit: {org.lead.display_name}" in html


def test_mt8_the_vip_rule_costs_two_queries_however_many_visits(org, django_assert_num_queries, render_panel) -> None:
    ticket = f.TicketFactory(reporter=org.customer, team=org.team, reporter_is_vip=True)
    for state in (VisitState.COMPLETED, VisitState.COMPLETED, VisitState.CONFIRMED):
        visit(ticket, org, engineer=org.other_engineer, companion=org.engineer, state=state)
    # The visits, then who among their people holds the lead's permission: not two queries a person.
    with django_assert_num_queries(2):
        html = render_panel("charter/dashboard/_vip_rule.html", ticket, None)
    assert "No team lead or section chief is on the visit yet" in html
    org.lead.is_active = False
    org.lead.save(update_fields=["is_active"])
    visit(ticket, org, engineer=org.engineer, companion=org.lead, state=VisitState.CONFIRMED)
    # An inactive lead does not count.
    assert "No team lead or section chief is on the visit yet" in render_panel("charter/dashboard/_vip_rule.html", Ticket.objects.get(pk=ticket.pk), None)


def test_mt8_no_rule_for_ordinary_customers(org, render_panel) -> None:
    ticket = f.TicketFactory(reporter=org.customer, team=org.team)
    assert render_panel("charter/dashboard/_vip_rule.html", ticket, None).strip() == ""


# --- MT5 on the ticket page ---------------------------------------------------------------------


def test_mt5_panel_shows_what_is_still_needed_with_the_booking_link(third, org, render_panel) -> None:
    html = render_panel("charter/dashboard/_repeat_panel.html", third, org.engineer)
    assert 'id="repeat-fault"' in html and "Escalated" in html
    assert "Fault number 3" in html and "PC-000001" in html
    assert "needed before resolving" in html and "needed before closing" in html
    assert reverse("visits:book", args=[third.pk]) in html
    assert reverse("charter:dashboard:root_cause", args=[third.pk]) in html


def test_mt5_panel_is_empty_for_a_first_fault_and_read_only_for_a_customer(org, third, render_panel) -> None:
    first = Ticket.objects.get(repeat_occurrence=1)
    assert render_panel("charter/dashboard/_repeat_panel.html", first, org.engineer).strip() == ""
    html = render_panel("charter/dashboard/_repeat_panel.html", third, org.customer)
    assert 'id="repeat-fault"' in html and "<form" not in html


def test_refused_resolve_is_shown_on_the_ticket_page(third, org, client_for) -> None:
    response = client_for(org.engineer).post(
        reverse("staff:ticket_transition", args=[third.pk]), {"action": "resolve", "note": "부품 교체"}
    )
    assert response.status_code == 200
    assert "team lead and the engineer have visited together" in response.content.decode()
    third.refresh_from_db()
    assert third.status == "in_progress"


def test_root_cause_form_keeps_what_was_typed_when_a_part_is_missing(third, org, client_for) -> None:
    url = reverse("charter:dashboard:root_cause", args=[third.pk])
    client = client_for(org.engineer)
    assert client.get(url).status_code == 200
    response = client.post(url, {"cause": "전원부 열화", "action_taken": "파워 교체", "prevention": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Write how it is prevented from coming back." in html
    assert "전원부 열화" in html and "파워 교체" in html
    assert not RootCause.objects.exists()


def test_root_cause_form_records_and_returns_to_the_ticket(third, org, client_for) -> None:
    url = reverse("charter:dashboard:root_cause", args=[third.pk])
    response = client_for(org.lead).post(
        url, {"cause": "전원부 열화", "action_taken": "파워 교체", "prevention": "분기 점검"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:ticket_detail", args=[third.pk]) + "#repeat-fault"
    assert RootCause.objects.get(ticket=third).recorded_by == org.lead


def test_root_cause_page_is_a_404_for_people_who_may_not_see_the_ticket_or_non_repeats(third, org, client_for) -> None:
    url = reverse("charter:dashboard:root_cause", args=[third.pk])
    assert client_for(org.customer).get(url).status_code == 404
    assert client_for(org.other_engineer).post(url, {"cause": "x", "action_taken": "y", "prevention": "z"}).status_code == 404
    first = Ticket.objects.get(repeat_occurrence=1)
    assert client_for(org.engineer).get(reverse("charter:dashboard:root_cause", args=[first.pk])).status_code == 404
    assert not RootCause.objects.exists()


# --- Timeline lines ---------------------------------------------------------------------------


def test_timeline_lines_read_in_english(org, third) -> None:
    second = Ticket.objects.get(repeat_occurrence=2)
    at_risk = event_text(second.events.get(kind=TicketEvent.Kind.REPEAT_AT_RISK))
    assert at_risk.startswith("Repeat fault: No power on PC-000001 2 times in 90 days")
    assert org.lead.display_name in at_risk
    escalated = event_text(third.events.get(kind=TicketEvent.Kind.REPEAT_ESCALATED))
    assert "Repeat fault escalated" in escalated and "3 times" in escalated
    vip_event = TicketEvent(kind=TicketEvent.Kind.VIP_OPENED, data={"to": ["정세훈"]}, created_at=timezone.now())
    assert event_text(vip_event) == "VIP customer: 정세훈 told"
    rc = TicketEvent(kind=TicketEvent.Kind.ROOT_CAUSE_RECORDED, data={"cause": "열화", "updated": True}, created_at=DAY1)
    assert event_text(rc) == "Root cause corrected: 열화"
