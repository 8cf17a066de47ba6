"""Fast at scale: the dashboard and its lists cost a fixed number of queries,
the same with 3 tickets as with 30 (figures are SQL aggregates; no ticket is
loaded to be counted), and the bench registers the `dashboard` item."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from charter.dashboard import selectors, snapshots
from tests import factories as f
from tests.charter.dashboard_helpers import URL, ticket
from tests.charter.repeat_helpers import faults
from tests.helpers.clock import NOW
from tickets.lifecycle import Status

# As for the figures: the clock stands at NOW and every request counts afresh.
pytestmark = pytest.mark.usefixtures("frozen", "dashboard_live", "standard")

# Session, user, permissions, teams, standard, snapshots, names, trend history,
# repeat faults, late visits, callbacks, large-scale work (plans waiting and
# reports due: one aggregate, +1), the notification bell… with room to spare.
PAGE_BUDGET = 21
# Before the beat task has stored anything (or when it stopped): the page counts
# the snapshot (4 queries) and the finished days of the trend (3) itself.
COLD_BUDGET = PAGE_BUDGET + 7


def mixed_work(org: f.Org, n: int) -> None:
    people = [org.engineer, org.lead, None]
    for i in range(n):
        ticket(
            org,
            assignee=people[i % 3],
            resolve_by=NOW + timedelta(hours=(i % 7) - 3),
            warn_at=NOW - timedelta(hours=1),
            escalation_level=i % 4,
            reporter_is_vip=i % 5 == 0,
            created_at=NOW - timedelta(days=i % 10, hours=1),
            status=[Status.IN_PROGRESS, Status.CLOSED, Status.ASSIGNED][i % 3],
            closed_at=NOW - timedelta(days=i % 4) if i % 3 == 1 else None,
        )


def queries_for(client: Any, url: str, *, beat: bool = True) -> int:
    if beat:
        snapshots.snapshots_refresh()  # what the beat task has stored in production
    client.get(url)  # warm: the standard's cache, the calendar
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["", "figures/", "?period=90", "list/overdue/", "list/open/?engineer=1",
                                  "list/repeat_escalated/", "list/late_visits/", "list/opened/?period=7"])
@pytest.mark.parametrize("beat", [True, False], ids=["stored", "cold"])
def test_queries_do_not_grow_with_the_tickets(org, client_for, path, beat) -> None:
    client = client_for(org.lead)
    mixed_work(org, 3)
    faults(org, 3)
    few = queries_for(client, URL + path, beat=beat)
    mixed_work(org, 30)
    faults(org, 3, start=NOW - timedelta(days=20))
    many = queries_for(client, URL + path, beat=beat)
    assert few == many, (few, many)
    assert many <= (PAGE_BUDGET if beat else COLD_BUDGET)


def test_the_page_with_fresh_snapshots_stays_within_budget(org, client_for, settings, django_assert_max_num_queries) -> None:
    settings.DASHBOARD_SNAPSHOT_SECONDS = 90
    mixed_work(org, 30)
    snapshots.snapshots_refresh()
    client = client_for(org.lead)
    client.get(URL)
    with django_assert_max_num_queries(PAGE_BUDGET):
        assert client.get(URL).status_code == 200


def test_the_snapshot_is_five_queries_for_any_number_of_teams(org, django_assert_num_queries) -> None:
    mixed_work(org, 30)
    m = selectors.moments_at(NOW)
    with django_assert_num_queries(5):
        data = selectors.snapshots_compute([org.team.pk, org.other_team.pk], m)
    assert data[org.team.pk]["counts"]["open"] == 20
    # The fifth names the load table's people, so the page need not.
    assert data[org.team.pk]["people"][str(org.engineer.pk)] == org.engineer.display_name
    assert str(org.other_engineer.pk) in data[org.other_team.pk]["people"]
    assert str(org.other_engineer.pk) not in data[org.team.pk]["people"]


def test_with_stored_snapshots_the_page_reads_no_names(org, client_for, settings) -> None:
    settings.DASHBOARD_SNAPSHOT_SECONDS = 90
    mixed_work(org, 30)
    snapshots.snapshots_refresh()
    client = client_for(org.lead)
    client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    assert not [q["sql"] for q in captured.captured_queries if "work_ticket" in q["sql"]]
    assert f'data-engineer="{org.engineer.pk}"' in response.content.decode()


def test_the_bench_has_a_dashboard_item_for_the_busiest_teams_lead(org) -> None:
    import bench.dashboard  # noqa: F401  (registers the item)
    from bench.pages import PAGE_ITEMS

    mixed_work(org, 3)
    page = PAGE_ITEMS["dashboard"]()
    assert page is not None and page.user == org.lead and page.url == URL
