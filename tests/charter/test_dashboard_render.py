"""The dashboard's cards and load table, drawn in Python (charter.dashboard.html):
the same links and numbers the templates drew, every name escaped, and names
read from the stored snapshot (or, for a snapshot stored without them, once)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from charter.dashboard import snapshots
from charter.models import DashboardSnapshot
from helpdesk.accounts.roles import Role
from tests import factories as f
from tests.charter.dashboard_helpers import URL, ticket
from tests.helpers.clock import NOW

pytestmark = pytest.mark.usefixtures("frozen", "dashboard_live", "standard")


def test_each_card_links_to_its_list_with_the_filters_in_force(work, org, client_for) -> None:
    html = client_for(org.lead).get(URL + f"?team={org.team.pk}&period=7").content.decode()
    query = f"period=7&amp;team={org.team.pk}"
    assert f'data-figure="overdue" href="{URL}list/overdue/?{query}"' in html
    assert f'data-figure="callbacks" href="{URL}list/callbacks/?{query}"' in html
    assert html.count('class="card h-100 text-decoration-none figure') == 12


def test_each_engineers_row_links_their_three_lists(work, org, client_for) -> None:
    html = client_for(org.lead).get(URL).content.decode()
    pk = org.engineer.pk
    row = html[html.index(f'<tr data-engineer="{pk}">'):]
    row = row[: row.index("</tr>")]
    assert f'href="{URL}list/open/?period=30&amp;engineer={pk}">4<' in row
    assert f'href="{URL}list/due_today/?period=30&amp;engineer={pk}">4<' in row
    assert f'href="{URL}list/overdue/?period=30&amp;engineer={pk}" class="text-danger fw-semibold">1<' in row


def test_a_name_is_escaped_in_the_load_table(org, client_for) -> None:
    odd = f.UserFactory(
        username="odd", last_name="<b>김", first_name="&민수", department=org.maintenance_dept, team=org.team,
        roles=[Role.ENGINEER],
    )
    html = client_for(org.lead).get(URL).content.decode()
    assert f'<tr data-engineer="{odd.pk}"><td>&lt;b&gt;김&amp;민수</td>' in html
    assert "<b>김" not in html


def test_no_engineers_says_so(org, client_for) -> None:
    loner = f.UserFactory(username="loner", department=org.maintenance_dept, roles=[Role.TEAM_LEAD])
    html = client_for(loner).get(URL).content.decode()
    assert "No engineers in these teams." in html and "data-engineer=" not in html


def test_a_snapshot_stored_without_names_is_named_with_one_query(org, client_for, settings) -> None:
    settings.DASHBOARD_SNAPSHOT_SECONDS = 90
    ticket(org, assignee=org.engineer, resolve_by=NOW - timedelta(hours=1))
    snapshots.snapshots_refresh()
    for snapshot in DashboardSnapshot.objects.all():  # as stored before snapshots carried names
        snapshot.data.pop("people")
        snapshot.save(update_fields=["data"])
    client = client_for(org.lead)
    client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    names = [q["sql"] for q in captured.captured_queries if "work_ticket" in q["sql"]]
    assert len(names) == 1
    loads = {e.pk: (e.name, e.open, e.overdue) for e in response.context["figures"].engineers}
    assert loads[org.engineer.pk] == (org.engineer.display_name, 1, 1)
    assert org.lead.pk in loads  # idle, and listed all the same


def test_someone_no_longer_active_has_no_row(org, client_for) -> None:
    ticket(org, assignee=org.engineer)
    org.engineer.is_active = False
    org.engineer.save(update_fields=["is_active"])
    fig = client_for(org.lead).get(URL).context["figures"]
    assert org.engineer.pk not in {e.pk for e in fig.engineers}
