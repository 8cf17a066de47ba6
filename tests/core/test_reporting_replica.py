"""The read replica (issue 16): with DATABASE_REPLICA_URL set, the team lead's
dashboard reads run on the `replica` alias and nothing is ever written there.

The settings are read once per process, so here the alias is added for this
module as Django's own test mirror of the default database (TEST MIRROR): a
second connection to the same test database, as a real replica would be a
second server with the same rows. The connections are separate, so these tests
commit (transaction=True) for the replica to see what they wrote.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test.utils import CaptureQueriesContext, override_settings

from charter.dashboard import selectors
from helpdesk.core.replica import REPLICA, PrimaryWritesRouter, reporting_alias
from tests.charter.dashboard_helpers import URL, ticket
from tests.helpers.clock import NOW
from tickets.models import Ticket

WITH_REPLICA = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
# The dashboard's own tables and the ones its figures count.
REPORTING_TABLES = {
    "tickets_ticket", "charter_dashboardsnapshot", "charter_dailyteamstat", "charter_escalation",
    "charter_repeatfault", "visits_visit", "desk_callbackmemo",
}


@pytest.fixture(scope="module", autouse=True)
def replica_alias() -> Iterator[None]:
    """`replica` as a mirror of the test database, for this module only (the
    module scope puts it in place before pytest-django checks the test's databases)."""
    default = connections["default"].settings_dict
    mirror = copy.deepcopy(default)
    mirror["TEST"] = {**mirror.get("TEST", {}), "MIRROR": "default"}
    connections.settings[REPLICA] = mirror
    try:
        yield
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


def tables_in(sqls: list[str]) -> set[str]:
    return {t for sql in sqls for t in re.findall(r'(?:FROM|JOIN) "?(\w+)"?', sql)}


def tables(captured: CaptureQueriesContext) -> set[str]:
    return tables_in([q["sql"] for q in captured.captured_queries])


def statements(captured: CaptureQueriesContext) -> set[str]:
    return {q["sql"].lstrip().split(None, 1)[0].upper() for q in captured.captured_queries}


def test_without_a_replica_the_reporting_reads_use_the_primary(monkeypatch) -> None:
    monkeypatch.delitem(django_settings.DATABASES, REPLICA)

    assert reporting_alias() == "default"


def test_with_a_replica_configured_the_reporting_reads_name_it() -> None:
    assert reporting_alias() == REPLICA


@WITH_REPLICA
@pytest.mark.usefixtures("frozen", "standard")
def test_the_dashboard_reads_its_figures_from_the_replica(org, en_client_for, settings) -> None:
    settings.DASHBOARD_SNAPSHOT_SECONDS = 0  # every page counts afresh: the heaviest reads
    late = ticket(org, assignee=org.engineer, resolve_by=NOW - timedelta(hours=1), escalation_level=2)
    client = en_client_for(org.lead)
    client.get(URL)  # warm the standards cache and the session

    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections[REPLICA]) as replica:
        page = client.get(URL)
        listed = client.get(URL + "list/overdue/")

    assert page.status_code == 200 and listed.status_code == 200
    # The replica saw the committed ticket: the list shows it.
    assert late.number in listed.content.decode()
    assert REPORTING_TABLES & tables(replica) >= {"tickets_ticket", "charter_dashboardsnapshot", "charter_escalation"}
    # On the primary: the session, the lead, the teams they may see, and the one
    # count that lives in largework (plan_figures, joined through tickets_ticket).
    on_primary = [q["sql"] for q in primary.captured_queries if 'FROM "largework_workplan"' not in q["sql"]]
    assert REPORTING_TABLES & tables_in(on_primary) == set(), on_primary
    # Reads only: not one write reached the replica.
    assert statements(replica) == {"SELECT"}


@WITH_REPLICA
@pytest.mark.usefixtures("frozen", "standard")
def test_the_snapshot_task_counts_on_the_replica_and_stores_on_the_primary(org) -> None:
    from charter.dashboard.snapshots import snapshots_refresh
    from charter.models import DashboardSnapshot

    ticket(org, assignee=org.engineer, resolve_by=NOW - timedelta(hours=1))

    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections[REPLICA]) as replica:
        snapshots_refresh()

    assert "tickets_ticket" in tables(replica) and "tickets_ticket" not in tables(primary)
    assert statements(replica) == {"SELECT"}
    assert DashboardSnapshot.objects.using("default").get(team=org.team).data["counts"]["overdue"] == 1


@WITH_REPLICA
def test_an_object_read_from_the_replica_is_saved_to_the_primary(org) -> None:
    original = ticket(org, title="Printer jams")
    read = Ticket.objects.using(REPLICA).get(pk=original.pk)
    read.title = "Printer jams again"

    with override_settings(DATABASE_ROUTERS=["helpdesk.core.replica.PrimaryWritesRouter"]), \
            CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections[REPLICA]) as replica:
        read.save(update_fields=["title"])

    assert "UPDATE" in statements(primary)
    assert statements(replica) <= {"SELECT"}
    assert Ticket.objects.using("default").get(pk=original.pk).title == "Printer jams again"


def test_the_router_keeps_writes_and_migrations_on_the_primary() -> None:
    router = PrimaryWritesRouter()

    assert router.db_for_write(Ticket) == "default"
    assert router.db_for_read(Ticket) is None  # the query's own choice, else the primary
    assert router.allow_migrate("default", "tickets") is True
    assert router.allow_migrate(REPLICA, "tickets") is False


def test_the_router_relates_objects_from_either_door_of_the_one_database() -> None:
    router = PrimaryWritesRouter()
    a, b, c = Ticket(), Ticket(), Ticket()
    a._state.db, b._state.db, c._state.db = "default", REPLICA, "elsewhere"

    assert router.allow_relation(a, b) is True
    assert router.allow_relation(a, c) is None


@pytest.mark.django_db
@pytest.mark.usefixtures("standard")
def test_selectors_route_through_the_one_helper(org) -> None:
    # Every dashboard queryset is bound to the reporting alias, whatever it is.
    m = selectors.moments_at(NOW)
    assert selectors.ticket_list([org.team.pk], "overdue", m).db == REPLICA
    assert selectors.repeat_fault_list([org.team.pk], "repeat_escalated", m).db == REPLICA
    assert selectors.late_visits_today([org.team.pk], m).db == REPLICA
