"""Deadline writes on a ticket: start, pause, resume, stop, restart, recompute (MT1, BS1).

`charter.receivers` runs these from the ticket hooks, inside the ticket
service's own transaction (the ticket row is already locked there), once per
state change:

* `deadline_start`      — ticket_create: targets from the active standard.
* `deadline_on_transition` — ticket_transition: pause on entering a waiting state,
  resume with the paused business time credited, stop at resolved/closed/
  cancelled, restart with a fresh window on reopen.
* `deadline_recompute`  — priority (or category) changed: the new target, keeping
  the business time already used.
* `deadline_responded`  — the first staff response (see below).

"Responded" means the first assignment to a handler or the first public comment
by someone other than the reporter, whichever comes first. `ticket_assign` and
`comment_add` may call `deadline_responded`; if they do not, the sweep finds
the same evidence in the timeline when the respond-by moment comes.

The maths is in `standards.deadline_maths`; this module only reads and writes rows.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from helpdesk.core.times import iso_or_empty
from standards import deadline_maths as maths
from standards.business_calendar import BusinessCalendar, CalendarRangeError
from standards.models import StandardVersion
from standards.selectors import calendar_for, current_standard, rungs_for, standard_by_id, target_for
from tickets.lifecycle import FINISHED, PAUSED_STATUSES, Status
from tickets.models import Kind, Ticket, TicketEvent
from tickets.timeline import event_record

from ..models import Escalation

logger = logging.getLogger(__name__)

DEADLINE_FIELDS = [
    "standard_version",
    "respond_by",
    "responded_at",
    "resolve_by",
    "warn_at",
    "next_check_at",
    "clock_started_at",
    "paused_at",
    "paused_business_seconds",
    "escalation_level",
    "deadline_version",
    "resolve_by_from_notice",
]


def too_far_message() -> str:
    """What a person reads when a date lies beyond the business calendar's reach."""
    return _("That date is too far from today to count business time to; choose a nearer one.")


def response_evidence(ticket_ids: list[int]) -> dict[int, datetime]:
    """The first staff response per ticket, read from the timeline: the first
    assignment, or the first public comment by someone other than the reporter."""
    if not ticket_ids:
        return {}
    rows = (
        TicketEvent.objects.filter(ticket_id__in=ticket_ids, is_public=True, actor__isnull=False)
        .filter(
            Q(kind=TicketEvent.Kind.ASSIGNED)
            | (Q(kind=TicketEvent.Kind.COMMENTED) & ~Q(actor_id=F("ticket__reporter_id")))
        )
        .values("ticket_id")
        .annotate(first=Min("created_at"))
    )
    return {r["ticket_id"]: r["first"] for r in rows}


def clock_of(ticket: Ticket) -> maths.Clock | None:
    if ticket.resolve_by is None or ticket.clock_started_at is None:
        return None
    return maths.Clock(
        started_at=ticket.clock_started_at,
        resolve_by=ticket.resolve_by,
        paused_seconds=ticket.paused_business_seconds,
        respond_by=ticket.respond_by,
        responded=ticket.responded_at is not None,
    )


def done_keys(ticket: Ticket) -> set[tuple[str, int]]:
    """The moments of the current deadline version already acted on."""
    return set(
        Escalation.objects.filter(ticket_id=ticket.pk)
        .filter(Q(deadline_version=ticket.deadline_version) | Q(kind=Escalation.Kind.RESPOND))
        .values_list("kind", "level")
    )


def reschedule(
    ticket: Ticket,
    standard: StandardVersion,
    cal: BusinessCalendar,
    *,
    done: set[tuple[str, int]] | None = None,
) -> None:
    """Set warn_at and next_check_at from the clock (in memory; the caller saves).
    A paused or finished ticket has nothing to check."""
    clock = clock_of(ticket)
    if clock is None:
        ticket.warn_at = None
        ticket.next_check_at = None
        return
    ticket.warn_at = maths.warn_at(cal, clock, standard.warning_percent)
    if ticket.paused_at is not None or Status(ticket.status) in FINISHED:
        ticket.next_check_at = None
        return
    moments = maths.schedule(cal, clock, rungs_for(standard), standard.warning_percent)
    ticket.next_check_at = maths.next_check(moments, done if done is not None else done_keys(ticket))


def _targets(
    standard: StandardVersion, ticket: Ticket
) -> tuple[timedelta, timedelta] | None:
    target = target_for(standard, kind=ticket.kind, priority=ticket.priority, category_id=ticket.category_id)
    if target is None:
        logger.warning(
            "charter: standard v%s has no target for %s/%s; ticket %s has no deadline",
            standard.number,
            ticket.kind,
            ticket.priority,
            ticket.pk,
        )
        return None
    return maths.hours(target.respond_hours), maths.hours(target.resolve_hours)


def _requested(ticket: Ticket) -> datetime | None:
    # BS1: only support requests carry the customer's requested completion time.
    return ticket.requested_by if ticket.kind == Kind.SUPPORT else None


def deadline_start(*, ticket: Ticket, now: datetime | None = None) -> Ticket:
    """A new ticket: its standard version, respond-by and resolve-by."""
    now = now or timezone.now()
    standard = current_standard()
    if standard is None:
        logger.warning("charter: no active service standard; ticket %s has no deadline", ticket.pk)
        return ticket
    ticket.standard_version = standard
    targets = _targets(standard, ticket)
    if targets is None:
        ticket.save(update_fields=["standard_version"])
        return ticket
    cal = calendar_for(standard)
    respond, resolve = targets
    try:
        ticket.respond_by, ticket.resolve_by = maths.initial_deadlines(
            cal, start=now, respond=respond, resolve=resolve, requested_by=_requested(ticket)
        )
        ticket.clock_started_at = now
        ticket.paused_at = None
        ticket.paused_business_seconds = 0
        ticket.escalation_level = 0
        ticket.deadline_version = 1
        ticket.resolve_by_from_notice = False
        reschedule(ticket, standard, cal, done=set())
    except CalendarRangeError:
        # Forms bound the requested time (helpdesk.core.input_bounds); this is
        # the last word for a caller that did not: the ticket is not opened.
        raise ActionRefused(too_far_message(), field="requested_by") from None
    ticket.save(update_fields=DEADLINE_FIELDS)
    return ticket


def _pause(ticket: Ticket, *, actor: User | None, now: datetime) -> None:
    if ticket.paused_at is not None:
        return
    ticket.paused_at = now
    ticket.next_check_at = None
    ticket.save(update_fields=["paused_at", "next_check_at"])
    event_record(
        ticket=ticket,
        kind=TicketEvent.Kind.CLOCK_PAUSED,
        actor=actor,
        at=now,
        is_public=False,
        data={"status": ticket.status, "resolve_by": iso_or_empty(ticket.resolve_by)},
    )


def _credit_pause(ticket: Ticket, cal: BusinessCalendar, now: datetime) -> timedelta:
    """Move the deadlines later by the business time spent paused; returns it."""
    assert ticket.paused_at is not None
    paused = cal.between(ticket.paused_at, now)
    if ticket.resolve_by is not None:
        ticket.resolve_by = maths.resume_shift(cal, ticket.resolve_by, paused)
    if ticket.respond_by is not None and ticket.responded_at is None and ticket.respond_by > ticket.paused_at:
        ticket.respond_by = maths.resume_shift(cal, ticket.respond_by, paused)
    ticket.paused_business_seconds += int(paused.total_seconds())
    ticket.paused_at = None
    return paused


def _resume(ticket: Ticket, *, actor: User | None, now: datetime, standard: StandardVersion) -> None:
    if ticket.paused_at is None:
        return
    cal = calendar_for(standard)
    before = ticket.resolve_by
    paused = _credit_pause(ticket, cal, now)
    reschedule(ticket, standard, cal)
    ticket.save(update_fields=DEADLINE_FIELDS)
    event_record(
        ticket=ticket,
        kind=TicketEvent.Kind.CLOCK_RESUMED,
        actor=actor,
        at=now,
        is_public=False,
        data={
            "paused_seconds": int(paused.total_seconds()),
            "from": iso_or_empty(before),
            "resolve_by": iso_or_empty(ticket.resolve_by),
        },
    )


def _stop(ticket: Ticket, *, now: datetime, standard: StandardVersion | None) -> None:
    if ticket.paused_at is not None and standard is not None:
        _credit_pause(ticket, calendar_for(standard), now)
    ticket.paused_at = None
    ticket.next_check_at = None
    if ticket.responded_at is None and Status(ticket.status) == Status.RESOLVED:
        # Resolving the work answers the customer too.
        ticket.responded_at = now
    ticket.save(update_fields=DEADLINE_FIELDS)


def _restart(ticket: Ticket, *, actor: User | None, now: datetime, standard: StandardVersion) -> None:
    """Reopened work gets a fresh window from the standard it was opened under."""
    targets = _targets(standard, ticket)
    if targets is None:
        return
    cal = calendar_for(standard)
    respond, resolve = targets
    _respond_by, ticket.resolve_by = maths.initial_deadlines(
        cal, start=now, respond=respond, resolve=resolve, requested_by=_requested(ticket)
    )
    if ticket.responded_at is None:
        ticket.respond_by = _respond_by
    ticket.clock_started_at = now
    ticket.paused_at = None
    ticket.paused_business_seconds = 0
    ticket.escalation_level = 0
    ticket.deadline_version += 1
    ticket.resolve_by_from_notice = False
    reschedule(ticket, standard, cal, done=set())
    ticket.save(update_fields=DEADLINE_FIELDS)
    event_record(
        ticket=ticket,
        kind=TicketEvent.Kind.DEADLINE_CHANGED,
        actor=actor,
        at=now,
        is_public=False,
        data={"why": "reopened", "resolve_by": iso_or_empty(ticket.resolve_by)},
    )


def deadline_on_transition(
    *, ticket: Ticket, old_status: str, action: str, actor: User | None, now: datetime | None = None
) -> Ticket:
    """Called by ticket_transition after the status changed (ticket row locked)."""
    now = now or timezone.now()
    if ticket.standard_version_id is None:
        return ticket
    standard = standard_by_id(ticket.standard_version_id)
    if standard is None:
        return ticket
    old, new = Status(old_status), Status(ticket.status)
    if ticket.responded_at is None:
        # Work moving on is evidence the customer was answered; take the first sign of it.
        first = response_evidence([ticket.pk]).get(ticket.pk)
        if first is not None:
            ticket.responded_at = first
            ticket.save(update_fields=["responded_at"])
    if new in PAUSED_STATUSES and old not in PAUSED_STATUSES:
        _pause(ticket, actor=actor, now=now)
    elif new in FINISHED:
        _stop(ticket, now=now, standard=standard)
    elif old in PAUSED_STATUSES and new not in PAUSED_STATUSES:
        _resume(ticket, actor=actor, now=now, standard=standard)
    elif old in FINISHED and new not in FINISHED:
        _restart(ticket, actor=actor, now=now, standard=standard)
    return ticket


def deadline_recompute(*, ticket: Ticket, actor: User | None, now: datetime | None = None) -> Ticket:
    """The priority or category changed: apply the new target, keeping the
    business time already used. A date the customer was promised in a delay
    notice, and a support request's requested time (BS1), stay as they are."""
    now = now or timezone.now()
    if Status(ticket.status) in FINISHED or ticket.standard_version_id is None:
        return ticket
    standard = standard_by_id(ticket.standard_version_id)
    if standard is None or ticket.clock_started_at is None:
        return ticket
    targets = _targets(standard, ticket)
    if targets is None:
        return ticket
    cal = calendar_for(standard)
    respond, resolve = targets
    before_resolve, before_respond = ticket.resolve_by, ticket.respond_by
    requested = _requested(ticket)
    # BS1: the customer's own time (when it was usable at the start) is not ours to change.
    keep_resolve = ticket.resolve_by_from_notice or (requested is not None and requested > ticket.clock_started_at)
    if not keep_resolve:
        ticket.resolve_by = maths.recomputed_resolve_by(
            cal,
            started_at=ticket.clock_started_at,
            resolve=resolve,
            paused_seconds=ticket.paused_business_seconds,
        )
    if ticket.responded_at is None and not ticket.resolve_by_from_notice and ticket.resolve_by is not None:
        ticket.respond_by = min(cal.add(ticket.clock_started_at, respond), ticket.resolve_by)
    if (ticket.resolve_by, ticket.respond_by) == (before_resolve, before_respond):
        return ticket
    # New deadlines, new ladder: the moments of the old version no longer apply.
    ticket.deadline_version += 1
    ticket.escalation_level = 0
    reschedule(ticket, standard, cal, done=set())
    ticket.save(update_fields=DEADLINE_FIELDS)
    event_record(
        ticket=ticket,
        kind=TicketEvent.Kind.DEADLINE_CHANGED,
        actor=actor,
        at=now,
        is_public=False,
        data={"why": "target", "from": iso_or_empty(before_resolve), "resolve_by": iso_or_empty(ticket.resolve_by)},
    )
    return ticket


def deadline_responded(*, ticket: Ticket, at: datetime | None = None) -> None:
    """Record the first staff response once; later calls change nothing."""
    at = at or timezone.now()
    Ticket.objects.filter(pk=ticket.pk, responded_at__isnull=True).update(responded_at=at)
    if ticket.responded_at is None:
        ticket.responded_at = at
