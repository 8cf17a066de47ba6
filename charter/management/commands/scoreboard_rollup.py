"""`manage.py scoreboard_rollup`: count the scoreboard's days again by hand (IM1).

Beat keeps the rollup current (charter.tasks.scoreboard_live every 5 minutes,
scoreboard_recent nightly) and fills in days never counted a month per run.
This is for an operator after importing or correcting old records, or to fill
a new install's history at once: `--since 2025-01-01` (default: the first
ticket's day) up to `--until` (default: today), a month per transaction.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from charter.scoreboard.rollup import days_recompute, first_data_day, local_today

CHUNK_DAYS = 31


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        day = parse_date(value)
    except ValueError:
        day = None
    if day is None:
        raise CommandError(_("%(name)s must be a date like 2026-01-31.") % {"name": name})
    return day


class Command(BaseCommand):
    help = "Count the scoreboard's days again from the records (a month per transaction)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="First day (default: the first ticket's day).")
        parser.add_argument("--until", help="Last day (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        today = local_today()
        first = _day(options["since"], "--since") or first_data_day() or today
        last = min(_day(options["until"], "--until") or today, today)
        if last < first:
            raise CommandError(_("--since must not come after --until."))
        rows = 0
        start = first
        while start <= last:
            end = min(start + timedelta(days=CHUNK_DAYS - 1), last)
            result = days_recompute(start, end)
            rows += result.rows
            self.stderr.write(f"  {start}..{end}: {result.rows} rows, {result.duration_ms} ms")
            start = end + timedelta(days=1)
        self.stdout.write(
            _("Counted %(days)d days (%(first)s to %(last)s): %(rows)d rows.")
            % {"days": (last - first).days + 1, "first": first, "last": last, "rows": rows}
        )
