"""`{% queue_rows page_obj now %}`: the rows of the staff work queue, built in Python.

The queue draws 25 rows of about forty values each on every view; through the
template engine that was half of the page's time (each value resolved, escaped
and localised node by node), and a simple tag per row still translated the
same dozen labels 25 times over (each gettext a lookup of the active language
through asgiref's Local). Here the labels, badges and the time zone are looked
up once per page and each row is one string. The markup is the one the
template had: the number and title with the essentials under them on a phone,
the other columns from md up. Every value from the database or a catalogue
passes through `escape`, as format_html would have done.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from html import escape

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from helpdesk.core.times import LOCAL_SHORT, LOCAL_TEXT

from ..links import ticket_link
from ..models import Channel, Kind, Priority, Ticket
from .ticket_tags import status_badge

register = template.Library()

_URGENT = {Priority.URGENT, Priority.HIGH}


class _PageText:
    """What every row of one page repeats, translated and escaped once."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.zone: tzinfo = timezone.get_current_timezone()
        self.kinds = {value: escape(str(label)) for value, label in Kind.choices}
        self.channels = {value: escape(str(label)) for value, label in Channel.choices}
        self.priorities = {value: escape(str(label)) for value, label in Priority.choices}
        self.badges: dict[str, str] = {}  # status → badge, filled as the statuses come
        self.deadline = escape(_("Deadline"))
        self.unassigned = escape(_("Unassigned"))
        self.vip = (
            f'<span class="vip-flag" title="{escape(_("VIP customer: a lead visits"))}">{escape(_("VIP"))}</span>'
        )
        self.paused = f' <span class="badge text-bg-warning">{escape(_("Paused"))}</span>'
        self.overdue = f' <span class="badge text-bg-danger">{escape(_("Overdue"))}</span>'
        self.escalation_title = escape(_("Escalation level"))
        self.level = _("Level %(level)s")

    def badge(self, ticket: Ticket) -> str:
        found = self.badges.get(ticket.status)
        if found is None:
            found = self.badges[ticket.status] = status_badge(ticket)
        return found

    def deadline_cells(self, ticket: Ticket) -> tuple[str, str]:
        """The deadline column and its phone line (MT1, P3): the committed date,
        paused or overdue, the escalation level; the moment localised once for both."""
        if not (ticket.is_open and ticket.resolve_by):
            return '<span class="text-muted">—</span>', ""
        local = ticket.resolve_by.astimezone(self.zone)
        iso = local.isoformat()
        flags = ""
        if ticket.paused_at:
            flags = self.paused
        elif ticket.resolve_by < self.now:
            flags = self.overdue
        if ticket.escalation_level:
            level = escape(self.level % {"level": ticket.escalation_level})
            flags += f' <span class="badge text-bg-danger" title="{self.escalation_title}">{level}</span>'
        long = f'<time class="nowrap" datetime="{iso}">{local.strftime(LOCAL_TEXT)}</time>{flags}'
        short = f'<time class="nowrap" datetime="{iso}">{local.strftime(LOCAL_SHORT)}</time>{flags}'
        return long, f'<span class="small d-block d-md-none">{self.deadline} {short}</span>'


def _row(ticket: Ticket, text: _PageText) -> str:
    link = escape(ticket_link(ticket.pk))
    received = ticket.created_at.astimezone(text.zone)
    priority = text.priorities.get(ticket.priority) or escape(ticket.priority)
    department = escape(ticket.reporter_department.name) if ticket.reporter_department_id else ""
    reporter = escape(ticket.reporter_name)
    handler = escape(ticket.assignee.display_name) if ticket.assignee_id else ""
    badge = text.badge(ticket)
    deadline, deadline_short = text.deadline_cells(ticket)
    priority_cell = f'<strong class="text-danger">{priority}</strong>' if ticket.priority in _URGENT else priority
    handler_cell = handler or f'<span class="text-muted">{text.unassigned}</span>'
    team = escape(ticket.team.name) if ticket.team_id else "—"
    return (
        "<tr>"
        f'<td class="text-nowrap"><a href="{link}">#{ticket.pk}</a></td>'
        f"<td>{text.vip if ticket.reporter_is_vip else ''}</td>"
        f'<td><a href="{link}" class="text-body">{escape(ticket.title)}</a>'
        f'<span class="small text-muted d-block">{text.kinds.get(ticket.kind) or escape(ticket.kind)}'
        f" · {text.channels.get(ticket.channel) or escape(ticket.channel)}</span>"
        f'<span class="small d-block d-md-none">{badge} {priority} · {reporter} ({department})'
        f" · {handler or text.unassigned} · "
        f'<span class="nowrap">{received.strftime(LOCAL_SHORT)}</span></span>{deadline_short}</td>'
        f'<td class="d-none d-md-table-cell">{reporter} <span class="small text-muted d-block">{department}</span></td>'
        f'<td class="d-none d-md-table-cell">{badge}</td>'
        f'<td class="d-none d-md-table-cell">{priority_cell}</td>'
        f'<td class="d-none d-md-table-cell text-nowrap">{deadline}</td>'
        f'<td class="d-none d-lg-table-cell">{team}</td>'
        f'<td class="d-none d-md-table-cell">{handler_cell}</td>'
        '<td class="d-none d-md-table-cell text-nowrap">'
        f'<time class="nowrap" datetime="{received.isoformat()}">{received.strftime(LOCAL_TEXT)}</time></td>'
        "</tr>"
    )


@register.simple_tag
def queue_rows(tickets: Iterable[Ticket], now: datetime) -> SafeString:
    text = _PageText(now)
    return mark_safe("".join(_row(ticket, text) for ticket in tickets))  # noqa: S308  (every value escaped above)
