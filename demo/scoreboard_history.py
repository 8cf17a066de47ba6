"""A year of the desk's history for the demo's scoreboard (IM1): calls answered,
callback memos made and walk-in visitors served on each working day of the
last 13 months, with a little drift so the trend lines have a shape.

Written as records, in bulk, not told through the services: the services would
send a notice for every callback of last spring. The rows are what the desk
would have recorded, with the same rules (PH1's three rings, PH3's due time,
OV4's wait). Safe to run again: nothing is added once the history exists.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from desk.models import CallbackMemo, PhoneCall, WalkIn, answered_in_time
from helpdesk.accounts.models import User

HISTORY_MARK = "demo-history-"
HISTORY_DAYS = 395
CALLS_PER_DAY = 6
MATTERS = ("모니터 화면 깜빡임 문의", "프린터 토너 교체 요청", "노트북 충전 불량", "메일 용량 초과 문의", "무선랜 접속 불가")


def _at(day: date, hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def scoreboard_history_ensure(people: dict[str, User], *, today: date | None = None, seed: int = 13) -> int:
    """The history rows, unless there already are some; returns the calls added."""
    if PhoneCall.objects.filter(external_id__startswith=HISTORY_MARK).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)
    agents = [people["desk"], people["desk2"]]
    handlers = [people["engineer"], people["neteng"], people["prneng"]]
    customers = [people["customer"], people["customer2"], people["customer4"]]
    calls: list[PhoneCall] = []
    memos: list[CallbackMemo] = []
    walk_ins: list[WalkIn] = []
    for offset in range(HISTORY_DAYS, 0, -1):
        day = today - timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        # Older days were a little worse: the desk got better over the year.
        slip = 0.25 * offset / HISTORY_DAYS
        for n in range(CALLS_PER_DAY):
            agent = agents[n % 2]
            caller = customers[rng.randrange(len(customers))]
            rings = rng.choice((1, 1, 2, 2, 2)) if rng.random() > 0.06 + slip else rng.choice((3, 4, 5))
            calls.append(
                PhoneCall(
                    received_at=_at(day, 9 + n, rng.randrange(60)), agent=agent, greeting_team_id=agent.team_id,
                    rings=rings, answered_in_time=answered_in_time(rings, None),
                    external_id=f"{HISTORY_MARK}{day.isoformat()}-{n}" if n == 0 else None,
                    caller=caller, caller_name=caller.display_name, caller_department_id=caller.department_id,
                )
            )
        for n in range(2):
            handler, caller = handlers[rng.randrange(len(handlers))], customers[rng.randrange(len(customers))]
            taken = _at(day, 10 + 3 * n, rng.randrange(50))
            late = rng.random() < 0.06 + slip / 2
            memos.append(
                CallbackMemo(
                    caller=caller, caller_name=caller.display_name, department_id=caller.department_id,
                    matter=MATTERS[rng.randrange(len(MATTERS))], for_handler=handler, taken_by=agents[n],
                    taken_at=taken, due_minutes=60, remind_at=taken + timedelta(minutes=45),
                    due_at=taken + timedelta(minutes=60),
                    closed_at=taken + timedelta(minutes=rng.randrange(70, 130) if late else rng.randrange(5, 55)),
                    closed_by=handler, callback_note="회신 완료",
                )
            )
        if offset % 2 == 0:
            visitor, handler = customers[rng.randrange(len(customers))], handlers[0]
            arrived = _at(day, 14, rng.randrange(60))
            wait = rng.randrange(40, 420) if rng.random() > 0.1 + slip else rng.randrange(600, 1200)
            walk_ins.append(
                WalkIn(
                    arrived_at=arrived, met_by=agents[1], visitor=visitor, visitor_name=visitor.display_name,
                    department_id=visitor.department_id, matter=MATTERS[rng.randrange(len(MATTERS))],
                    routed_to=handler, served_at=arrived + timedelta(seconds=wait), served_by=handler,
                    wait_seconds=wait,
                )
            )
    PhoneCall.objects.bulk_create(calls, batch_size=1000)
    CallbackMemo.objects.bulk_create(memos, batch_size=1000)
    WalkIn.objects.bulk_create(walk_ins, batch_size=1000)
    return len(calls)
