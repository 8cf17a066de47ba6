"""Charter fixtures: logged-in pages read in English here, the deadline engine's
ticket, the dashboard's work, and the third repeat fault.

The seeded standard, the fresh standards cache, the frozen clock and "no broker"
are the root conftest's (tests/conftest.py); tickets opened at a chosen instant
are tests.helpers.ticket_steps'; the dashboard's and the repeat faults' helpers
are tests/charter/dashboard_helpers.py and repeat_helpers.py."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests import factories as f
from tests.charter import dashboard_helpers as dashboard
from tests.charter.repeat_helpers import faults, in_progress
from tests.helpers.clock import NOW, kst
from tests.helpers.ticket_steps import open_ticket
from tickets.lifecycle import Status
from tickets.models import Ticket


@pytest.fixture
def client_for(en_client_for: Any) -> Any:
    """The charter's page tests read the English msgids, so they keep passing once Korean translations land."""
    return en_client_for


# --- the deadline engine ----------------------------------------------------------------------


@pytest.fixture
def ticket(org: f.Org) -> Ticket:
    """A normal fault the customer filed on Tuesday 3 March 2026 at 09:00, assigned
    to the engineer: warned Wednesday 14:00, due Wednesday 18:00."""
    return open_ticket(org, kst(2026, 3, 3, 9), assign=org.engineer)


@pytest.fixture
def due_today(org: f.Org, frozen: Any) -> Ticket:
    """A normal fault filed at NOW (Tuesday 10 March 2026, 10:00), assigned to the
    engineer: its deadline is still ahead, so a delay notice moves it."""
    return open_ticket(org, NOW, assign=org.engineer)


# --- the team lead's dashboard (test_dashboard_*.py) -----------------------------------------


@pytest.fixture
def dashboard_live(settings) -> None:
    # Every request counts afresh unless a test says otherwise (snapshots are tested in test_dashboard_figures).
    settings.DASHBOARD_SNAPSHOT_SECONDS = 0


@pytest.fixture
def work(org) -> dict[str, Ticket]:
    """Open and finished work of the lead's team, and one of another team's (at NOW)."""
    return {
        "overdue": dashboard.ticket(org, assignee=org.engineer, resolve_by=NOW - timedelta(hours=1), escalation_level=2),
        "paused": dashboard.ticket(
            org, assignee=org.engineer, status=Status.WAITING_PARTS, resolve_by=NOW - timedelta(hours=2),
            paused_at=NOW - timedelta(hours=3),
        ),
        "soon": dashboard.ticket(
            org, assignee=org.engineer, resolve_by=kst(2026, 3, 10, 11, 59), warn_at=NOW - timedelta(minutes=5),
            escalation_level=1,
        ),
        "after_lunch": dashboard.ticket(org, assignee=org.engineer, resolve_by=kst(2026, 3, 10, 12), warn_at=NOW + timedelta(hours=1)),
        "vip": dashboard.ticket(org, reporter_is_vip=True, status=Status.RECEIVED, resolve_by=NOW + timedelta(days=1)),
        "lead_late": dashboard.ticket(org, assignee=org.lead, resolve_by=NOW - timedelta(hours=5), escalation_level=4),
        "closed": dashboard.ticket(org, status=Status.CLOSED, resolve_by=NOW - timedelta(days=1), closed_at=NOW - timedelta(hours=1)),
        "other_team": dashboard.ticket(org, team=org.other_team, assignee=org.other_engineer, resolve_by=NOW - timedelta(hours=1), escalation_level=2),
    }


# --- repeat faults (MT5: test_repeat_guards.py, test_repeat_pages.py) ------------------------


@pytest.fixture
def third(org: f.Org) -> Ticket:
    """The third fault on the customer's PC a week apart (the threshold), in progress."""
    *_, t = faults(org, 3)
    return in_progress(t, org)
