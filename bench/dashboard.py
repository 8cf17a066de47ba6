"""The `dashboard` item of the `pages` scenario: the team lead's dashboard (issue 6).

Who: the lead of the team with the most tickets (the heaviest dashboard in the
data set). What: `charter:dashboard:index`, the full page with every figure,
the engineers' load and the 30-day trends.

The bulk generator leaves deadlines empty (`seed_demo` writes ticket rows, not
the deadline engine's columns), which would make every deadline figure a count
over nothing. Before measuring, `deadlines_fill` gives open tickets that have
no deadline one, as the engine would have (respond/resolve by priority, the
warning point at 75%, the escalation level reached so far, paused clocks for
waiting work) and records a breach for each passed deadline of the last 90
days, so the dashboard is measured on realistic rows. It only touches open
tickets whose `resolve_by` is NULL, so it runs once per database and never
changes rows the engine (or another benchmark's row hook) has filled.

Then it runs what the minute task runs in production (`snapshots_refresh`:
each team's open-work figures and the trend history) and prints how long that
took, so the page is measured in its steady state and the background cost is
on record beside it.
"""
from __future__ import annotations

import time

from django.db import connection, transaction
from django.urls import reverse

from charter.dashboard.snapshots import snapshots_refresh
from charter.models import Escalation
from tickets.lifecycle import OPEN_VALUES, PAUSED_STATUSES
from tickets.models import Ticket

from .pages import Page, busiest_team, page_item

PAUSED_VALUES = sorted(s.value for s in PAUSED_STATUSES)
# Calendar approximations of the default standard's business-hour targets.
RESOLVE = {"urgent": "6 hours", "high": "1 day", "normal": "2 days", "low": "5 days"}


def deadlines_fill(log: object = None) -> int:
    """Give open tickets without a deadline one (see the module docstring); returns rows changed."""
    if not Ticket.objects.filter(status__in=OPEN_VALUES, resolve_by__isnull=True).exists():
        return 0
    started = time.monotonic()
    table = connection.ops.quote_name(Ticket._meta.db_table)
    resolve_case = "CASE priority " + " ".join(
        f"WHEN '{p}' THEN created_at + interval '{d}'" for p, d in RESOLVE.items()
    ) + " ELSE created_at + interval '2 days' END"
    open_list = ", ".join(f"'{s}'" for s in OPEN_VALUES)
    paused_list = ", ".join(f"'{s}'" for s in PAUSED_VALUES)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} SET
              clock_started_at = created_at,
              respond_by = created_at + interval '4 hours',
              resolve_by = {resolve_case},
              warn_at = created_at + ({resolve_case} - created_at) * 0.75,
              deadline_version = 1,
              paused_at = CASE WHEN status IN ({paused_list}) THEN created_at + interval '3 hours' END
            WHERE status IN ({open_list}) AND resolve_by IS NULL
            """
        )
        changed = cursor.rowcount
        cursor.execute(
            f"""
            UPDATE {table} SET escalation_level = CASE
              WHEN paused_at IS NOT NULL THEN 0
              WHEN resolve_by < now() - interval '4 hours' THEN 3
              WHEN resolve_by < now() THEN 2
              WHEN warn_at <= now() THEN 1
              ELSE 0 END
            WHERE status IN ({open_list}) AND deadline_version = 1 AND escalation_level = 0
            """
        )
        escalations = connection.ops.quote_name(Escalation._meta.db_table)
        cursor.execute(
            f"""
            INSERT INTO {escalations} (ticket_id, kind, level, deadline_version, deadline, due_at, fired_at, skipped, recipients)
            SELECT id, 'breach', 0, 1, resolve_by, resolve_by, resolve_by + interval '1 minute', false, '[]'::jsonb
            FROM {table}
            WHERE status IN ({open_list}) AND paused_at IS NULL AND resolve_by < now()
              AND resolve_by > now() - interval '90 days'
            ON CONFLICT DO NOTHING
            """
        )
    with connection.cursor() as cursor:
        # Index-only scans need the visibility map; the planner needs fresh statistics.
        cursor.execute(f"VACUUM (ANALYZE) {table}")
        cursor.execute(f"VACUUM (ANALYZE) {escalations}")
    if log is not None:
        print(
            f"dashboard: gave {changed} open tickets deadlines in {time.monotonic() - started:.1f} s",
            file=log,  # type: ignore[arg-type]
            flush=True,
        )
    return changed


def snapshots_warm(log: object = None) -> None:
    """What the minute task does in production (charter.tasks.deadline_sweep): count
    every team's open work once and write any missing day of the trend history.
    Timed here, because it is the cost the page no longer pays."""

    started = time.monotonic()
    teams = snapshots_refresh()
    if log is not None:
        print(
            f"dashboard: minute task refreshed {teams} team snapshots in {(time.monotonic() - started) * 1000:.0f} ms",
            file=log,  # type: ignore[arg-type]
            flush=True,
        )


@page_item("dashboard")
def dashboard() -> Page | None:
    import sys

    team = busiest_team()
    if team is None or team.lead is None:
        return None
    if connection.vendor == "postgresql":
        deadlines_fill(log=sys.stderr)
    # Twice: the first run also writes the trend history (once per day in production).
    snapshots_warm(log=sys.stderr)
    snapshots_warm(log=sys.stderr)
    return Page(team.lead, reverse("charter:dashboard:index"))
