"""The desk's message after opening a ticket from a call reads as Korean: "요청 #25가 접수되었습니다"."""
from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from desk.services import call_record
from helpdesk.core.korean import josa
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_the_ticket_number_takes_its_own_particle(org, frozen, client_for):
    call, _ = call_record(agent=org.desk_agent, rings=1, caller=org.customer)
    client = client_for(org.desk_agent)  # Korean, the site's default
    response = client.post(
        reverse("desk:call_ticket_new", args=[call.pk]),
        {"reporter": org.customer.pk, "reporter_name": org.customer.display_name,
         "reporter_department": org.customer_dept.pk, "contact_phone": str(org.customer.phone),
         "channel": "phone", "kind": "fault", "title": "전화 접수: 부팅 불가", "asset": org.asset.pk,
         "category": org.category.pk, "priority": "normal"},
    )
    ticket = Ticket.objects.get(title="전화 접수: 부팅 불가")
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith(f"요청 {josa(ticket.number, '이/가')} 접수되었습니다.")
    assert "(가)" not in message and "이(" not in message
