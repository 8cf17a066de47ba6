"""Demo data of the visits app (seed_demo): visits on demo tickets, booked
through the real services for the next business day, so the engineers' day
lists, the customers' confirmations and the VIP rule have something to show.

- "PC가 너무 느립니다": agreed on the phone, confirmed at once (SV1);
- "프린터 용지 걸림": proposed by the engineer, waiting for the customer to
  confirm it in the portal;
- "노트북 배터리가 충전되지 않습니다" (a VIP's): the team lead goes himself (MT8).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from helpdesk.accounts.models import User
from standards.selectors import calendar_for, current_standard
from tickets.models import Ticket
from visits.models import Visit
from visits.services import visit_book

# (story title, engineer, booked by, hour, agreed on the phone, purpose)
DEMO_VISITS: tuple[tuple[str, str, str, int, bool, str], ...] = (
    ("PC가 너무 느립니다", "engineer", "engineer", 10, True, "디스크 점검 및 백신 검사 일정 변경"),
    ("프린터 용지 걸림", "prneng", "prneng", 14, False, "2번 급지함 롤러 점검 및 교체"),
    ("노트북 배터리가 충전되지 않습니다", "lead", "desk", 11, True, "배터리 및 충전 회로 점검 (팀장 직접 방문)"),
)


def _next_business_day(now: datetime) -> date:
    cal = calendar_for(current_standard())
    day = timezone.localdate(now) + timedelta(days=1)
    while not cal.is_business_day(day):
        day += timedelta(days=1)
    return day


def visits_demo_ensure(people: dict[str, User], *, now: datetime | None = None) -> int:
    """Book the demo's visits that are missing; returns how many were booked."""
    now = now or timezone.now()
    day = _next_business_day(now)
    booked = 0
    for title, engineer, actor, hour, by_phone, purpose in DEMO_VISITS:
        ticket = Ticket.objects.filter(title=title).order_by("pk").first()
        if ticket is None or not ticket.is_open or Visit.objects.filter(ticket=ticket).exists():
            continue
        start = timezone.make_aware(datetime.combine(day, time(hour, 0)))
        visit_book(
            ticket=ticket,
            engineer=people[engineer],
            actor=people[actor],
            start=start,
            end=start + timedelta(hours=1),
            purpose=purpose,
            agreed_by_phone=by_phone,
        )
        booked += 1
    return booked
