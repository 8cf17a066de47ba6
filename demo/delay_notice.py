"""Demo data of the charter app (seed_demo): an advance delay notice (MT1),
filed through the real service on a demo ticket still within its deadline, so
the customer's page shows the new date and the reason, and the handler's page
the notice."""
from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from charter.models import DelayNotice
from charter.services import delay_notice_file
from helpdesk.accounts.models import User
from standards.selectors import calendar_for, standard_by_id
from tickets.models import Ticket

# The demo story the notice belongs to (demo/stories.py).
DEMO_TICKET_TITLE = "신규 입사자 PC 설치 요청"
DEMO_REASON = "모니터 입고가 늦어져 설치 완료가 하루 늦어집니다. 입고되는 즉시 설치하겠습니다."


def charter_demo_ensure(people: dict[str, User], *, now: datetime | None = None) -> int:
    """File the demo's delay notice if it is missing; returns how many were filed."""
    ticket = Ticket.objects.filter(title=DEMO_TICKET_TITLE).order_by("pk").first()
    if ticket is None or not ticket.is_open or ticket.resolve_by is None:
        return 0
    if DelayNotice.objects.filter(ticket=ticket).exists():
        return 0
    now = now or timezone.now()
    if ticket.resolve_by <= now:
        return 0  # too late for an advance notice: the demo does not file a late one
    # One more business day, at the same hour.
    cal = calendar_for(standard_by_id(ticket.standard_version_id))
    new_date = cal.add(ticket.resolve_by, cal.hours.day_length)
    delay_notice_file(ticket=ticket, actor=people["engineer"], reason=DEMO_REASON, new_date=new_date, now=now)
    return 1
