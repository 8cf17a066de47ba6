"""The demo's correction (CR1): the lead reopens work the engineer finished,
and the engineer resolves it again, so the customer is told the result.
Written through the corrections services; safe to run twice."""
from __future__ import annotations

from django.db import transaction

from corrections.models import Correction
from corrections.services import correction_open
from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from tickets.lifecycle import Status
from tickets.models import Kind, Ticket
from tickets.services import ticket_transition

DEMO_REASON = "고객 재문의: 공유 프린터 연결이 다시 끊김"


def corrections_demo_ensure(people: dict[str, User]) -> None:
    if Correction.objects.filter(reason=DEMO_REASON).exists():
        return
    engineer, lead = people["engineer"], people["lead"]
    finished = (
        Ticket.objects.filter(assignee=engineer, status__in=[Status.RESOLVED, Status.CLOSED])
        .exclude(kind=Kind.LARGE_WORK)
        .order_by("kind", "-pk")  # support requests first: no fault gates to meet again
        .first()
    )
    if finished is None:
        return
    with transaction.atomic():
        correction_open(
            ticket=finished,
            actor=lead,
            reason=DEMO_REASON,
            what_was_wrong="드라이버만 다시 설치하고 공유 설정을 확인하지 않았음",
        )
    try:
        with transaction.atomic():
            ticket_transition(
                ticket=finished, action="resolve", actor=engineer, note="공유 설정을 고치고 고객과 함께 인쇄를 확인함"
            )
    except ActionRefused:
        # A guard of the ticket's kind wants more first: the correction stays under way, as in real life.
        pass
