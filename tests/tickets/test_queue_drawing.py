"""The work queue drawn in Python (issue 17): the rows (tickets.templatetags.
queue_tags) and the filter controls (tickets.forms.staff) give the markup the
templates gave, escaped; the list's query reads only what the rows show."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django import forms
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from helpdesk.core.times import local_short, local_text
from tests import factories as f
from tests.helpers.clients import english
from tickets.forms.staff import QueueFilterForm
from tickets.lifecycle import Status
from tickets.models import Priority, Ticket
from tickets.templatetags.ticket_tags import status_badge

QUEUE = reverse("staff:queue")

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "q": "<b>\"PC\" & 'mouse'</b>", "status": "resolved", "kind": "fault", "priority": "urgent",
            "team": "TEAM", "department": "DEPT", "date_from": "2026-01-02", "date_to": "2026-02-03",
        },
        {"status": "bogus", "kind": "x", "team": "abc", "department": "999999", "date_from": "2026-13-01"},
    ],
)
def test_filter_controls_are_drawn_as_djangos_templates_draw_them(org, data):
    strange = f.TeamFactory(department=org.maintenance_dept, name='<PC & "망">')
    data = {k: {"TEAM": str(strange.pk), "DEPT": str(org.customer_dept.pk)}.get(v, v) for k, v in data.items()}
    with translation.override("ko"):
        form = QueueFilterForm(QueryDict(urlencode(data)), user=org.lead)
        form.is_valid()
        drawn = 0
        for name, field in form.fields.items():
            widget = field.widget
            if type(widget).render is forms.Widget.render:
                continue  # drawn by its template already (the person picker)
            bound = form[name]
            attrs = {"class": "form-select is-invalid", "aria-invalid": "true", "id": bound.auto_id}
            templated = forms.Widget.render(widget, bound.html_name, bound.value(), attrs)
            assert widget.render(bound.html_name, bound.value(), attrs) == templated, name
            drawn += 1
    assert drawn == 8
    html = form["team"].as_widget()
    assert "&lt;PC &amp; &quot;망&quot;&gt;" in html and "<PC" not in html


def _row_of(html: str, ticket: Ticket) -> str:
    start = html.index(f'<a href="{reverse("staff:ticket_detail", args=[ticket.pk])}">#{ticket.pk}</a>')
    return html[start : html.index("</tr>", start)]


def test_rows_show_each_ticket_as_the_shared_tags_draw_it(org):
    now = timezone.now()
    common = {"reporter": org.customer, "team": org.team, "status": Status.ASSIGNED}
    made = {
        "overdue_escalated": f.TicketFactory(
            **common, assignee=org.engineer, resolve_by=now - timedelta(hours=2), escalation_level=2,
            priority=Priority.URGENT, title="<script>alert(1)</script>",
        ),
        "paused": f.TicketFactory(**common, resolve_by=now + timedelta(days=1), paused_at=now, reporter_is_vip=True),
        "on_time": f.TicketFactory(**common, resolve_by=now + timedelta(days=2), priority=Priority.LOW),
        "finished": f.TicketFactory(
            reporter=org.customer, team=org.team, status=Status.RESOLVED, resolve_by=now - timedelta(days=1),
            reporter_name="O'Brien & <Co>",
        ),
    }
    response = english(org.desk_agent).get(QUEUE, {"tab": "all", "status": ""})
    html = response.content.decode()
    page_now = response.context["now"]
    with translation.override("en"):
        for name, made_ticket in made.items():
            ticket = Ticket.objects.get(pk=made_ticket.pk)
            row = _row_of(html, ticket)
            cell = '<td class="d-none d-md-table-cell text-nowrap">'
            if ticket.is_open:
                when = f'<time class="nowrap" datetime="{timezone.localtime(ticket.resolve_by).isoformat()}">'
                assert f"{cell}{when}{local_text(ticket.resolve_by)}</time>" in row, name
                assert f'<span class="small d-block d-md-none">Deadline {when}{local_short(ticket.resolve_by)}</time>' in row
                flags = row.split(cell)[1].split("</td>")[0]
                assert ("Paused" in flags) == bool(ticket.paused_at), name
                assert ("Overdue" in flags) == (not ticket.paused_at and ticket.resolve_by < page_now), name
                assert (f"Level {ticket.escalation_level}" in flags) == bool(ticket.escalation_level), name
            else:
                assert f'{cell}<span class="text-muted">—</span></td>' in row
                assert "d-md-none\">Deadline" not in row
            assert row.count(status_badge(ticket)) == 2, name
    escalated = _row_of(html, made["overdue_escalated"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in escalated and "<script>" not in html.split("<tbody>")[1]
    assert '<strong class="text-danger">Urgent</strong>' in escalated and "박준호" in escalated
    assert "Overdue" in escalated and "Level 2" in escalated
    paused = _row_of(html, made["paused"])
    assert 'class="vip-flag"' in paused and "Paused" in paused and "Overdue" not in paused
    assert '<span class="text-muted">Unassigned</span>' in paused and "· Unassigned ·" in paused
    assert "O&#x27;Brien &amp; &lt;Co&gt;" in _row_of(html, made["finished"])
    assert 'class="vip-flag"' not in _row_of(html, made["on_time"])


def test_the_list_reads_only_what_its_rows_show(org):
    for _ in range(3):
        f.TicketFactory(reporter=org.customer, team=org.team, assignee=org.engineer, asset=org.asset, category=org.category)
    with CaptureQueriesContext(connection) as queries:
        response = english(org.desk_agent).get(QUEUE, {"tab": "all", "status": ""})
    assert len(response.context["page_obj"].object_list) == 3
    rows_sql = next(
        q["sql"] for q in queries.captured_queries
        if 'FROM "tickets_ticket"' in q["sql"] and "ORDER BY" in q["sql"] and "COUNT" not in q["sql"]
    )
    # Three small joins (department, team, handler), not five: PostgreSQL's plan
    # of the five-table join cost more than running it.
    assert len(re.findall(r"\bJOIN\b", rows_sql)) == 3
    assert "tickets_asset" not in rows_sql and "tickets_faultcategory" not in rows_sql
    assert '"tickets_ticket"."description"' not in rows_sql and '"accounts_user"."password"' not in rows_sql
