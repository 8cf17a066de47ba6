"""Reads of the charter app, scoped to the user who asks."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from helpdesk.accounts.models import Team, User
from standards import deadline_maths as maths
from standards.business_calendar import CalendarRangeError
from standards.models import StandardVersion
from standards.selectors import calendar_for, standard_by_id
from tickets.lifecycle import OPEN_VALUES
from tickets.models import Ticket

from .models import DelayNotice, RepeatFault, RepeatFaultTicket, SweepRun


def led_team_ids(user: User) -> set[int]:
    """The teams whose escalations a lead sees: those they lead, and for a
    section chief every team of their department."""
    if not user.is_authenticated:
        return set()
    ids = set(user.led_teams.values_list("pk", flat=True))
    if user.has_perm("tickets.view_department_tickets"):
        department_id = user.team.department_id if user.team_id else user.department_id
        if department_id:
            ids |= set(Team.objects.filter(department_id=department_id).values_list("pk", flat=True))
    return ids


def escalated_for(user: User, *, min_level: int = 1) -> QuerySet[Ticket]:
    """Open work that has climbed the ladder, most urgent first (P3: deadline, then arrival)."""
    if not user.has_perm("tickets.lead_team"):
        return Ticket.objects.none()
    escalated = Q(escalation_level__gte=max(min_level, 1))
    if min_level <= 1:
        # MT5: a third repeat fault is escalated at once, whatever its deadline.
        escalated |= Q(
            pk__in=RepeatFaultTicket.objects.filter(
                repeat_fault__state=RepeatFault.State.ESCALATED, occurrence__gte=F("repeat_fault__threshold")
            ).values("ticket_id")
        )
    qs = Ticket.objects.filter(escalated, status__in=OPEN_VALUES)
    if not user.has_perm("tickets.view_all_tickets"):
        qs = qs.filter(team_id__in=led_team_ids(user))
    return qs.select_related("assignee", "team", "reporter_department").order_by(
        "-escalation_level", "resolve_by", "created_at", "pk"
    )


def delay_notices_for(ticket: Ticket) -> list[DelayNotice]:
    return list(DelayNotice.objects.filter(ticket_id=ticket.pk).select_related("filed_by").order_by("filed_at", "pk"))


@dataclass(frozen=True)
class DeadlineView:
    """What the deadline panels show, computed once per render."""

    ticket: Ticket
    time_left: timedelta | None
    overdue: bool
    at_risk: bool
    paused: bool
    notices: list[DelayNotice]
    expected: datetime | None

    @property
    def latest_notice(self) -> DelayNotice | None:
        return self.notices[-1] if self.notices else None


def business_time_left(
    ticket: Ticket, *, now: datetime, standard: StandardVersion | None = None
) -> timedelta | None:
    """Business time left before the ticket's committed date (negative once past;
    frozen while paused), or None for finished work and work without a deadline.
    Pass the ticket's `standard` when it is already loaded (a list reads them all
    at once with `standards_by_id`); otherwise it is read here."""
    if ticket.resolve_by is None or not ticket.is_open:
        return None
    if standard is None:
        standard = standard_by_id(ticket.standard_version_id)
    try:
        return maths.time_left(
            calendar_for(standard), resolve_by=ticket.resolve_by, now=now, paused_at=ticket.paused_at
        )
    except CalendarRangeError:
        # A deadline stored before dates were bounded (year 9999): the page
        # shows the date without a countdown instead of failing.
        return None


def deadline_view(ticket: Ticket, *, now: datetime | None = None) -> DeadlineView:
    now = now or timezone.now()
    notices = delay_notices_for(ticket)
    left = business_time_left(ticket, now=now)
    # A late notice does not move the committed date, but the customer was told a new one.
    expected = ticket.resolve_by
    if notices and (expected is None or notices[-1].new_deadline > expected):
        expected = notices[-1].new_deadline
    at = ticket.paused_at or now
    return DeadlineView(
        ticket=ticket,
        time_left=left,
        overdue=bool(ticket.is_open and ticket.resolve_by is not None and at > ticket.resolve_by),
        at_risk=bool(ticket.is_open and ticket.warn_at is not None and at >= ticket.warn_at),
        paused=ticket.paused_at is not None,
        notices=notices,
        expected=expected,
    )


def sweep_heartbeat() -> SweepRun | None:
    return SweepRun.objects.filter(pk=1).first()


__all__ = ["business_time_left", "deadline_view", "delay_notices_for", "escalated_for", "led_team_ids", "sweep_heartbeat"]
