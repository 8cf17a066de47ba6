"""`manage.py sweep_deadlines`: run the deadline sweep by hand, until nothing is due.

Beat runs the same sweep every minute (charter.tasks.deadline_sweep); this is
for an operator who wants to catch up at once after downtime, and for the
crash test (tests/charter/test_sweep_sigkill.py), which needs a sweep in a
process of its own that it can kill in the middle of a batch: `--row-delay`
sleeps before each row is planned and prints `planned <ticket id>` so the test
knows how far the uncommitted batch has got.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from charter.deadline_sweep import sweep
from tickets.models import Ticket


class Command(BaseCommand):
    help = "Run the deadline sweep now, batch after batch, until no row is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="Rows claimed per transaction.")
        parser.add_argument(
            "--now", default="", help="Sweep as of this ISO 8601 instant (with offset) instead of the clock."
        )
        parser.add_argument(
            "--row-delay",
            type=float,
            default=0.0,
            help="Testing only: seconds to sleep before planning each row, printing its id.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now: datetime | None = None
        if options["now"]:
            now = parse_datetime(options["now"])
            if now is None or timezone.is_naive(now):
                raise CommandError(
                    _("--now needs an ISO 8601 date and time with an offset, e.g. 2026-03-04T14:00+09:00")
                )
        batch: int = options["batch"]
        if batch < 1:
            raise CommandError(_("--batch must be at least 1"))
        delay: float = options["row_delay"]
        on_row = self._slow_row(delay) if delay > 0 else None
        total = errors = 0
        while True:
            result = sweep(now=now, batch=batch, on_row=on_row)
            total += result.processed
            errors += result.errors
            if options["verbosity"] > 1:
                self.stdout.write(
                    _("batch: %(processed)d of %(due)d due") % {"processed": result.processed, "due": result.due}
                )
            if result.due < batch:
                break
        self.stdout.write(_("Swept %(total)d rows; %(errors)d failed.") % {"total": total, "errors": errors})

    def _slow_row(self, delay: float) -> Callable[[Ticket], None]:
        # Called by the sweep before each row, inside the batch's open transaction.
        out = self.stdout

        def slow(ticket: Ticket) -> None:
            time.sleep(delay)
            out.write(f"planned {ticket.pk}")
            out.flush()

        return slow
