"""`manage.py scoreboard_rollup`: an operator recounts a range of days by hand (IM1)."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command

from charter.models import ScoreDay
from tests import factories as f
from tests.helpers.clock import SEOUL
from tickets.lifecycle import Status

pytestmark = pytest.mark.usefixtures("standard")


@pytest.fixture
def today():
    with time_machine.travel(datetime(2026, 3, 10, 12, 0, tzinfo=SEOUL), tick=False):
        yield date(2026, 3, 10)


def test_the_command_counts_every_day_of_the_range_in_monthly_chunks(org, today, capsys) -> None:
    finished = datetime(2026, 2, 3, 15, 0, tzinfo=SEOUL)
    f.TicketFactory(
        team=org.team, assignee=org.engineer, status=Status.RESOLVED, created_at=finished - timedelta(days=1),
        resolved_at=finished, resolve_by=finished + timedelta(hours=2),
    )
    call_command("scoreboard_rollup", since="2026-01-01", until="2026-03-31")
    # Until is capped at today; every day gets its "counted" row.
    markers = ScoreDay.objects.filter(team__isnull=True, engineer__isnull=True)
    assert markers.count() == (today - date(2026, 1, 1)).days + 1
    assert ScoreDay.objects.get(day=date(2026, 2, 3), team=org.team, engineer__isnull=True).mt1_on_time == 1
    assert ScoreDay.objects.get(day=date(2026, 2, 3), team=org.team, engineer=org.engineer).mt1_done == 1
    err = capsys.readouterr().err
    assert err.count("rows,") == 3  # Jan 1–31, Feb 1–Mar 3, Mar 4–10


def test_the_command_refuses_a_date_it_cannot_read_or_a_range_backwards(today) -> None:
    with pytest.raises(CommandError, match="2026-01-31"):
        call_command("scoreboard_rollup", since="2026-02-30")
    with pytest.raises(CommandError):
        call_command("scoreboard_rollup", since="2026-03-01", until="2026-02-01")
    assert not ScoreDay.objects.exists()
