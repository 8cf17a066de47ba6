"""The demo's year of desk history (demo.scoreboard_history): made once, only
on past working days, and counted into the scoreboard by seed_demo."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from charter.scoreboard.measures import BY_KEY
from charter.scoreboard.periods import last_month
from charter.scoreboard.rollup import local_today
from charter.scoreboard.selectors import Scope, board_for
from demo.scoreboard_history import scoreboard_history_ensure
from desk.models import CallbackMemo, PhoneCall, WalkIn
from helpdesk.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_history_is_made_once_on_past_working_days_and_counted(frozen):
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    today = local_today()
    history = PhoneCall.objects.filter(received_at__date__lt=today)
    assert history.count() > 1000 and CallbackMemo.objects.count() > 300 and WalkIn.objects.count() > 100
    assert all(day.weekday() < 5 for day in history.dates("received_at", "day"))
    people = {u.username: u for u in User.objects.all()}
    assert scoreboard_history_ensure(people) == 0  # a second run adds nothing

    board = board_for(Scope(), last_month(today))
    row = next(r for r in board.rows if r.measure is BY_KEY["ph1_answered"])
    month = last_month(today)
    calls = PhoneCall.objects.filter(received_at__date__gte=month.first, received_at__date__lte=month.last)
    assert row.total == calls.count() > 0
    assert row.hits == calls.filter(answered_in_time=True).count()
