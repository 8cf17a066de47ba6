"""MT8 as the VIP customer reads it: a team lead or section chief will visit, or go
along with the engineer. Told when the request is received, on the ticket's page
while there is work to do, and in the notices that book a visit."""
from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from helpdesk.accounts.roles import Role
from helpdesk.notifications.services import notification_deliver
from tests import factories as f
from tests.helpers.outbox import outbox
from tests.visits.helpers import START, book
from tickets.models import Ticket
from tickets.services import ticket_assign, ticket_create, ticket_transition

pytestmark = pytest.mark.django_db

PROMISE = "a team lead or section chief will visit you in person, or come along with the engineer"


@pytest.fixture
def vip(org):
    """A department head (VIP by rank), who reads English so the notices can be read here."""
    head = f.PositionFactory(name="부서장", name_en="Head of Department", rank=55)
    return f.UserFactory(
        username="vip", last_name="장", first_name="부장", department=org.customer_dept, position=head,
        roles=[Role.CUSTOMER], language="en",
    )


def _file(org, reporter, **extra) -> Ticket:
    return ticket_create(
        actor=reporter, reporter=reporter, reporter_name=reporter.display_name,
        reporter_department=org.customer_dept, title="노트북 화면이 나오지 않습니다", asset_other="노트북 (본관 5층)",
        **extra,
    )


def test_a_vips_request_is_acknowledged_with_the_promise(org, vip):
    ticket = _file(org, vip)
    assert vip.is_vip and ticket.reporter_is_vip
    rows = {n.channel: n for n in outbox(key__startswith=f"desk:vip-received:t{ticket.pk}:")}
    assert set(rows) == {"email", "sms", "in_app"}
    assert all(n.recipient == vip and n.customer_facing for n in rows.values())
    body = rows["email"].context["body"]
    assert ticket.title in body and PROMISE in body
    assert rows["email"].context["link"] == reverse("portal:ticket_detail", args=[ticket.pk])


def test_the_acknowledgement_is_sent_once_and_only_to_vips(org, vip):
    from desk.services.notices import vip_received_tell

    ticket = _file(org, vip)
    assert vip_received_tell(ticket=ticket) is True
    assert outbox(key__startswith=f"desk:vip-received:t{ticket.pk}:").count() == 3
    ordinary = _file(org, org.customer, asset=None)
    assert not ordinary.reporter_is_vip
    assert not outbox(key__startswith=f"desk:vip-received:t{ordinary.pk}:").exists()


def test_the_vips_ticket_page_says_who_will_come_while_the_work_is_open(org, vip, en_client_for):
    ticket = _file(org, vip)
    client = en_client_for(vip)
    html = client.get(reverse("portal:ticket_detail", args=[ticket.pk])).content.decode()
    assert 'id="vip-lead-visit"' in html and PROMISE in html

    ticket = ticket_transition(ticket=ticket, action="cancel", actor=vip, note="자체 해결")
    html = client.get(reverse("portal:ticket_detail", args=[ticket.pk])).content.decode()
    assert 'id="vip-lead-visit"' not in html


def test_an_ordinary_customers_page_makes_no_such_promise(org, en_client_for):
    ticket = _file(org, org.customer)
    html = en_client_for(org.customer).get(reverse("portal:ticket_detail", args=[ticket.pk])).content.decode()
    assert 'id="vip-lead-visit"' not in html and PROMISE not in html


def test_the_visit_booking_notices_repeat_the_promise_to_a_vip(org, vip, frozen, sms_outbox):
    frozen.move_to(START.replace(hour=9))
    ticket = ticket_assign(ticket=_file(org, vip), assignee=org.engineer, actor=org.desk_agent)
    book(ticket, org, companion=org.lead)
    proposed = {n.channel: n for n in outbox(template="visit_proposed", recipient=vip)}
    assert proposed["email"].context["vip_lead"] is True
    for row in (proposed["email"], proposed["sms"]):
        assert notification_deliver(notification_id=row.pk)
    assert PROMISE in mail.outbox[-1].body
    assert PROMISE in mail.outbox[-1].alternatives[0][0]
    assert PROMISE in sms_outbox[-1]["text"]


def test_an_ordinary_customers_visit_notice_does_not(org, frozen, sms_outbox):
    frozen.move_to(START.replace(hour=9))
    ticket = ticket_assign(ticket=_file(org, org.customer), assignee=org.engineer, actor=org.desk_agent)
    org.customer.language = "en"
    org.customer.save(update_fields=["language"])
    book(ticket, org)
    row = outbox(template="visit_proposed", recipient=org.customer, channel="email").get()
    assert row.context["vip_lead"] is False
    assert notification_deliver(notification_id=row.pk)
    assert "visit" in mail.outbox[-1].body and PROMISE not in mail.outbox[-1].body

