"""`manage.py seed_demo [--tickets N] [--reset]`: the demo organisation, its
stories, and optionally a bulk data set. Safe to run again: it only adds what
is missing."""
from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from charter.scoreboard.rollup import days_recompute, local_today
from demo import DEFAULT_SEED, DEMO_PASSWORD, data
from demo.audits_demo import audits_demo_ensure
from demo.bulk import engineers_target, population_target, staff_engineers_target, tickets_bulk_generate
from demo.corrections_demo import corrections_demo_ensure
from demo.delay_notice import charter_demo_ensure
from demo.desk_steps import desk_demo_ensure
from demo.feedback_demo import feedback_demo_ensure
from demo.notice_preferences import notice_preferences_demo_ensure
from demo.org import (
    BASE_CUSTOMERS,
    assets_ensure,
    customers_ensure,
    engineers_ensure,
    org_ensure,
)
from demo.scoreboard_history import scoreboard_history_ensure
from demo.stories import stories_tell
from demo.surveys_demo import surveys_demo_ensure
from demo.visit_bookings import visits_demo_ensure

# The demo's scoreboard covers a year and a month: a year's view and its trend have data.
DEMO_SCOREBOARD_DAYS = 400


class Command(BaseCommand):
    help = "Create demo data: a Korean organisation, demo logins and tickets in every status."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--tickets",
            type=int,
            default=0,
            help="Bulk-generate tickets until the database holds this many (fast path, not the services).",
        )
        parser.add_argument(
            "--staff",
            type=int,
            default=0,
            help="Make sure at least this many active staff work tickets (more generated engineers); "
            "the pages that list staff are measured with it.",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed (fixed by default).")
        parser.add_argument("--batch-size", type=int, default=5000, help="Rows per bulk insert.")
        parser.add_argument(
            "--reset", action="store_true", help="Empty the whole database first (manage.py flush)."
        )
        parser.add_argument(
            "--force", action="store_true", help="Allow --reset when DEBUG is false."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seed: int = options["seed"]
        self.verbosity = options["verbosity"]
        if options["reset"]:
            # flush empties every table; with DEBUG off (production) it needs --force as well.
            if not settings.DEBUG and not options["force"]:
                raise CommandError(_("--reset empties the database; with DEBUG off add --force."))
            call_command("flush", interactive=False, verbosity=0)
            ContentType.objects.clear_cache()
            self.stdout.write(_("Database emptied."))

        started = time.perf_counter()
        with transaction.atomic():
            org = org_ensure(seed=seed)
            told = stories_tell(org.people, org.departments)
        self.stdout.write(
            _("Organisation ready; %(told)d demo tickets told through the services (%(secs).1f s).")
            % {"told": told, "secs": time.perf_counter() - started}
        )

        total = options["tickets"]
        if total:
            added = customers_ensure(target=population_target(total, BASE_CUSTOMERS), seed=seed)
            if added:
                assets_ensure(seed=seed)
                self.stdout.write(_("%(n)d more customers with their equipment.") % {"n": added})
            added = engineers_ensure(target=engineers_target(total), seed=seed)
            if added:
                self.stdout.write(_("%(n)d more engineers.") % {"n": added})
            result = tickets_bulk_generate(
                total=total, seed=seed, batch_size=options["batch_size"], progress=self._progress
            )
            if result.created:
                self.stdout.write(
                    _("Bulk-generated %(n)d tickets in %(secs).1f s (%(rate).0f tickets/s).")
                    % {"n": result.created, "secs": result.seconds, "rate": result.rate}
                )
        if options["staff"]:
            added = engineers_ensure(target=staff_engineers_target(options["staff"]), seed=seed)
            if added:
                self.stdout.write(_("%(n)d more engineers.") % {"n": added})
        # After the bulk path, so the generated tickets stay the same for a given seed.
        with transaction.atomic():
            desk_demo_ensure(org.people)
            # At the real time, not a story's: a visit is booked for the next
            # business day and a delay notice must come before its deadline.
            visits_demo_ensure(org.people)
            charter_demo_ensure(org.people)
            # The customer's voice (issue 12): the stories' resolved work has sent
            # its surveys through the hook; these answer some and add the rest.
            surveys_demo_ensure(org.people)
            feedback_demo_ensure(org.people)
            corrections_demo_ensure(org.people)
            audits_demo_ensure(org.people)
            notice_preferences_demo_ensure(org.people)
            scoreboard_history_ensure(org.people)
        if not total:
            # IM1: the small demo's scoreboard is counted at once; a bulk data set
            # is left to beat's backfill or `manage.py scoreboard_rollup`.
            today = local_today()
            days_recompute(today - timedelta(days=DEMO_SCOREBOARD_DAYS), today)
        self._print_logins()
        self.stdout.write(_("Sample files for the admin's imports and manage.py import_directory: %(path)s") % {"path": settings.BASE_DIR / "demo" / "import_samples"})

    def _progress(self, done: int, todo: int, seconds: float) -> None:
        if self.verbosity >= 2 or done == todo or done % 100_000 < 5000:
            self.stderr.write(f"  {done:,}/{todo:,} tickets, {done / seconds if seconds else 0:,.0f}/s")

    def _print_logins(self) -> None:
        self.stdout.write("")
        self.stdout.write(_("Demo logins (password for all: %(password)s)") % {"password": DEMO_PASSWORD})
        for username, role, where in data.LOGINS:
            self.stdout.write(f"  {username:<10} {role} ({where})")
