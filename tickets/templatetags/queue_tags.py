"""`{% queue_row ticket now %}`: one row of the staff work queue, built in Python.

The queue draws 25 rows of about forty values each on every view; through the
template engine that was half of the page's time (each value resolved, escaped
and localised node by node). The markup is the one the template had: the
number and title with the essentials under them on a phone, the other
columns from md up. Every value passes through format_html, so it is escaped.
"""
from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from helpdesk.core.times import local_short, local_text

from ..links import ticket_link
from ..models import Channel, Kind, Priority, Ticket
from .ticket_tags import deadline_cell, status_badge

register = template.Library()

_KINDS = dict(Kind.choices)
_CHANNELS = dict(Channel.choices)
_PRIORITIES = dict(Priority.choices)
_URGENT = {Priority.URGENT, Priority.HIGH}


@register.simple_tag
def queue_row(ticket: Ticket, now: datetime) -> SafeString:
    link = ticket_link(ticket.pk)
    received = timezone.localtime(ticket.created_at)
    priority = _PRIORITIES.get(ticket.priority, ticket.priority)
    department = ticket.reporter_department.name if ticket.reporter_department_id else ""
    handler = ticket.assignee.display_name if ticket.assignee_id else ""
    badge = status_badge(ticket)
    vip = (
        format_html('<span class="vip-flag" title="{}">{}</span>', _("VIP customer: a lead visits"), _("VIP"))
        if ticket.reporter_is_vip
        else ""
    )
    deadline_short = (
        format_html(
            '<span class="small d-block d-md-none">{} {}</span>', _("Deadline"), deadline_cell(ticket, now, True)
        )
        if ticket.is_open and ticket.resolve_by
        else ""
    )
    return format_html(
        "<tr>"
        '<td class="text-nowrap"><a href="{link}">{number}</a></td>'
        "<td>{vip}</td>"
        '<td><a href="{link}" class="text-body">{title}</a>'
        '<span class="small text-muted d-block">{kind} · {channel}</span>'
        '<span class="small d-block d-md-none">{badge} {priority} · {reporter} ({department}) · {handler_short} · '
        '<span class="nowrap">{received_short}</span></span>{deadline_short}</td>'
        '<td class="d-none d-md-table-cell">{reporter} <span class="small text-muted d-block">{department}</span></td>'
        '<td class="d-none d-md-table-cell">{badge}</td>'
        '<td class="d-none d-md-table-cell">{priority_cell}</td>'
        '<td class="d-none d-md-table-cell text-nowrap">{deadline}</td>'
        '<td class="d-none d-lg-table-cell">{team}</td>'
        '<td class="d-none d-md-table-cell">{handler_cell}</td>'
        '<td class="d-none d-md-table-cell text-nowrap"><time class="nowrap" datetime="{received_iso}">{received}</time></td>'
        "</tr>",
        link=link,
        number=ticket.number,
        vip=vip,
        title=ticket.title,
        kind=_KINDS.get(ticket.kind, ticket.kind),
        channel=_CHANNELS.get(ticket.channel, ticket.channel),
        badge=badge,
        priority=priority,
        reporter=ticket.reporter_name,
        department=department,
        handler_short=handler or _("Unassigned"),
        received_short=local_short(ticket.created_at),
        deadline_short=deadline_short,
        priority_cell=format_html('<strong class="text-danger">{}</strong>', priority)
        if ticket.priority in _URGENT
        else priority,
        deadline=deadline_cell(ticket, now),
        team=ticket.team.name if ticket.team_id else "—",
        handler_cell=handler or format_html('<span class="text-muted">{}</span>', _("Unassigned")),
        received_iso=received.isoformat(),
        received=local_text(ticket.created_at),
    )
