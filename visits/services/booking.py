"""Booking a visit and agreeing its time (SV1, SV3): propose, confirm, the
companion, cancel, the late notice before arrival (SV4), and rebooking after
nobody was there (MT7)."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from helpdesk.core.times import iso_or_empty, local_text
from standards.selectors import prompt_before
from tickets.lifecycle import STAFF
from tickets.locks import ticket_locked
from tickets.models import Ticket
from tickets.permissions import require_staff
from tickets.services import actor_side, ticket_assign

from ..models import ConfirmedVia, ProposedBy, Visit, VisitEvent, VisitOutcome, VisitState
from .guards import (
    ASK_CUSTOMER,
    ASK_NEW_TIME,
    ASK_STAFF,
    check_no_other_open_visit,
    check_open_hours,
    check_ticket_open,
    check_vip,
    check_window,
    require_on_visit,
    require_state,
    visit_locked,
)
from .notices import visit_customer_tell, visit_staff_tell
from .timeline import visit_event_record

# A late notice announces a delay, not a new appointment: beyond this, reschedule.
LONGEST_DELAY = timedelta(hours=12)


def _schedule_checks(visit: Visit) -> None:
    """SV4: the sweep's first moment is the reminder before the agreed start."""
    visit.next_check_at = visit.agreed_start - prompt_before() if visit.agreed_start else None


@transaction.atomic
def visit_book(
    *,
    ticket: Ticket,
    engineer: User,
    actor: User,
    start: datetime | None,
    end: datetime | None,
    purpose: str,
    companion: User | None = None,
    agreed_by_phone: bool = False,
    off_hours_requested: bool = False,
) -> Visit:
    """Propose a visit on a ticket; with `agreed_by_phone` the desk records a time
    already agreed on the phone, and the visit is confirmed at once. A time on a
    closed day or outside working hours needs `off_hours_requested` (the
    customer asked for it), which the visit keeps."""
    require_staff(actor)
    ticket = ticket_locked(ticket)
    check_ticket_open(ticket)
    now = timezone.now()
    if not engineer.has_perm("tickets.work_ticket"):
        raise ActionRefused(_("%(name)s does not work tickets.") % {"name": engineer}, field="engineer")
    if companion is not None:
        if companion.pk == engineer.pk:
            raise ActionRefused(_("The companion must be someone other than the engineer."), field="companion")
        if not companion.has_perm("tickets.work_ticket"):
            raise ActionRefused(_("%(name)s does not work tickets.") % {"name": companion}, field="companion")
    if not purpose.strip():
        raise ActionRefused(_("Say why the engineer visits; the customer is told."), field="purpose")
    check_window(start, end, now=now)
    check_open_hours(
        start,
        end,
        now=now,
        off_hours_requested=off_hours_requested,
        people=(engineer.pk, companion.pk if companion else None),
    )
    check_no_other_open_visit(ticket)
    if ticket.assignee_id is None:
        # Whoever goes on site handles an unassigned ticket.
        ticket = ticket_assign(ticket=ticket, assignee=engineer, actor=actor)
    visit = Visit.objects.create(
        ticket=ticket,
        engineer=engineer,
        companion=companion,
        purpose=purpose.strip(),
        proposed_by=ProposedBy.STAFF,
        proposed_start=start,
        proposed_end=end,
        off_hours_requested=off_hours_requested,
        created_by=actor,
        created_at=now,
    )
    visit_event_record(
        visit=visit,
        kind=VisitEvent.Kind.BOOKED,
        actor=actor,
        at=now,
        data={
            "start": iso_or_empty(start),
            "end": iso_or_empty(end),
            "engineer": engineer.display_name,
            "off_hours_requested": off_hours_requested,
        },
    )
    if agreed_by_phone:
        return _confirm(visit, actor=actor, via=ConfirmedVia.PHONE, now=now)
    visit_customer_tell(visit, event="proposed", template="visit_proposed")
    return visit


@transaction.atomic
def visit_propose(
    *,
    visit: Visit,
    actor: User,
    start: datetime | None,
    end: datetime | None,
    note: str = "",
    off_hours_requested: bool = False,
) -> Visit:
    """A new time: the desk reschedules, or the customer proposes another time.
    The other side then confirms it; notices go out again for the new version.
    Only the desk sets a time outside working hours (`off_hours_requested`, at
    the customer's request); a customer who needs one calls."""
    visit = visit_locked(visit)
    side = actor_side(visit.ticket, actor)
    require_state(visit, VisitState.PROPOSED, VisitState.CONFIRMED)
    check_ticket_open(visit.ticket)
    now = timezone.now()
    check_window(start, end, now=now)
    off_hours_requested = off_hours_requested and side == STAFF
    check_open_hours(
        start,
        end,
        now=now,
        off_hours_requested=off_hours_requested,
        people=(visit.engineer_id, visit.companion_id),
        exclude=visit.pk,
        ask=ASK_STAFF if side == STAFF else ASK_CUSTOMER,
    )
    previous = {"start": iso_or_empty(visit.start), "end": iso_or_empty(visit.end), "state": visit.state}
    visit.schedule_version += 1
    visit.state = VisitState.PROPOSED
    visit.proposed_by = ProposedBy.STAFF if side == STAFF else ProposedBy.CUSTOMER
    visit.proposed_start, visit.proposed_end = start, end
    visit.off_hours_requested = off_hours_requested
    visit.agreed_start = visit.agreed_end = None
    visit.confirmed_via, visit.confirmed_by = "", None
    # The reminders and notices of the old time no longer apply; a late record stays.
    visit.next_check_at = visit.prompt_sent_at = visit.late_notice_at = visit.new_arrival = None
    visit.late_reason = ""
    visit.save()
    visit_event_record(
        visit=visit,
        kind=VisitEvent.Kind.PROPOSED,
        actor=actor,
        at=now,
        data={
            "start": iso_or_empty(start),
            "end": iso_or_empty(end),
            "by": visit.proposed_by,
            "note": note.strip(),
            "previous": previous,
            "version": visit.schedule_version,
            "off_hours_requested": off_hours_requested,
        },
    )
    if side == STAFF:
        visit_customer_tell(
            visit,
            event="proposed",
            template="visit_proposed",
            rescheduled=True,
            note=note.strip(),
        )
    else:
        visit_staff_tell(
            visit,
            event="customer_proposed",
            template="visit_customer_proposed",
            note=note.strip(),
        )
    return visit


def _confirm(visit: Visit, *, actor: User, via: str, now: datetime) -> Visit:
    if visit.proposed_start < now:
        raise ActionRefused(
            _("The proposed time (%(start)s) has passed; propose a new time.") % {"start": local_text(visit.proposed_start)},
            field="start",
        )
    # A closure day announced since the time was proposed closes it too.
    check_open_hours(
        visit.proposed_start,
        visit.proposed_end,
        now=now,
        off_hours_requested=visit.off_hours_requested,
        ask=ASK_NEW_TIME,
    )
    check_vip(visit)
    visit.state = VisitState.CONFIRMED
    visit.agreed_start, visit.agreed_end = visit.proposed_start, visit.proposed_end
    visit.confirmed_via, visit.confirmed_by = via, actor
    _schedule_checks(visit)
    visit.save()
    visit_event_record(
        visit=visit,
        kind=VisitEvent.Kind.CONFIRMED,
        actor=actor,
        at=now,
        data={
            "start": iso_or_empty(visit.agreed_start),
            "end": iso_or_empty(visit.agreed_end),
            "via": via,
            "off_hours_requested": visit.off_hours_requested,
        },
    )
    # SV1/SV3: the pre-visit notice with who comes, from where, why and when.
    visit_customer_tell(visit, event="confirmed", template="visit_confirmed")
    if via == ConfirmedVia.PORTAL:
        visit_staff_tell(
            visit, event="customer_confirmed", template="visit_customer_confirmed", channels=("in_app",)
        )
    return visit


@transaction.atomic
def visit_confirm(*, visit: Visit, actor: User) -> Visit:
    """The customer confirms the desk's proposal online; staff record an agreement
    made by phone, or accept the time the customer proposed."""
    visit = visit_locked(visit)
    side = actor_side(visit.ticket, actor)
    require_state(visit, VisitState.PROPOSED)
    check_ticket_open(visit.ticket)
    if side == STAFF:
        via = ConfirmedVia.STAFF if visit.proposed_by == ProposedBy.CUSTOMER else ConfirmedVia.PHONE
    else:
        if visit.proposed_by == ProposedBy.CUSTOMER:
            raise ActionRefused(_("You proposed this time; the engineer will confirm it or call you."))
        via = ConfirmedVia.PORTAL
    return _confirm(visit, actor=actor, via=via, now=timezone.now())


@transaction.atomic
def visit_companion_set(*, visit: Visit, companion: User | None, actor: User) -> Visit:
    """Add, change or remove the person who goes along (a lead for VIP customers, MT8)."""
    require_staff(actor)
    visit = visit_locked(visit)
    require_state(visit, VisitState.PROPOSED, VisitState.CONFIRMED)
    if companion is not None:
        if companion.pk == visit.engineer_id:
            raise ActionRefused(_("The companion must be someone other than the engineer."), field="companion")
        if not companion.has_perm("tickets.work_ticket"):
            raise ActionRefused(_("%(name)s does not work tickets.") % {"name": companion}, field="companion")
    if (companion.pk if companion else None) == visit.companion_id:
        return visit
    previous = visit.companion
    visit.companion = companion
    if visit.state == VisitState.CONFIRMED:
        # A confirmed VIP visit must keep its lead.
        check_vip(visit)
    visit.save(update_fields=["companion", "updated_at"])
    visit_event_record(
        visit=visit,
        kind=VisitEvent.Kind.COMPANION_SET,
        actor=actor,
        data={"from": previous.display_name if previous else "", "to": companion.display_name if companion else ""},
    )
    return visit


@transaction.atomic
def visit_cancel(*, visit: Visit, actor: User, reason: str) -> Visit:
    visit = visit_locked(visit)
    side = actor_side(visit.ticket, actor)
    require_state(visit, VisitState.PROPOSED, VisitState.CONFIRMED)
    if not reason.strip():
        raise ActionRefused(_("Please give a reason."), field="reason")
    visit.state = VisitState.CANCELLED
    visit.cancel_reason = reason.strip()[:300]
    visit.next_check_at = None
    visit.save()
    visit_event_record(visit=visit, kind=VisitEvent.Kind.CANCELLED, actor=actor, data={"reason": visit.cancel_reason, "by": side})
    if side == STAFF:
        visit_customer_tell(visit, event="cancelled", template="visit_cancelled", reason=visit.cancel_reason)
    else:
        visit_staff_tell(visit, event="cancelled", template="visit_cancelled", reason=visit.cancel_reason)
    return visit


@transaction.atomic
def visits_cancel_for_ticket(*, ticket: Ticket, actor: User | None, reason: str) -> int:
    """Cancel the visits still planned on a ticket that was closed or cancelled.

    For tickets.services to call when a ticket reaches a final status, so no
    engineer is sent, prompted or counted late for work that no longer exists.
    """
    planned = list(
        Visit.objects.select_for_update(of=("self",))
        .filter(ticket=ticket, state__in=[VisitState.PROPOSED, VisitState.CONFIRMED])
        .select_related("ticket", "engineer", "engineer__team", "companion")
    )
    for visit in planned:
        visit.state = VisitState.CANCELLED
        visit.cancel_reason = reason.strip()[:300]
        visit.next_check_at = None
        visit.save(update_fields=["state", "cancel_reason", "next_check_at", "updated_at"])
        visit_event_record(visit=visit, kind=VisitEvent.Kind.CANCELLED, actor=actor, data={"reason": visit.cancel_reason, "by": "ticket"})
        visit_customer_tell(visit, event="cancelled", template="visit_cancelled", reason=visit.cancel_reason)
    return len(planned)


# --- Before arrival (SV4) ---------------------------------------------------------------


@transaction.atomic
def visit_late_notice_send(*, visit: Visit, actor: User, new_arrival: datetime | None, reason: str = "") -> Visit:
    """SV4: a delay announced before the agreed start, with the new arrival time."""
    visit = visit_locked(visit)
    require_on_visit(visit, actor)
    require_state(visit, VisitState.CONFIRMED)
    now = timezone.now()
    if now >= visit.agreed_start:
        raise ActionRefused(
            _("The visit was due at %(start)s; a late notice must go before then. Call the customer now.")
            % {"start": local_text(visit.agreed_start)}
        )
    if new_arrival is None:
        raise ActionRefused(_("Give the new arrival time."), field="new_arrival")
    if new_arrival <= visit.agreed_start or new_arrival <= now:
        raise ActionRefused(
            _("The new arrival time must be after the agreed start (%(start)s).") % {"start": local_text(visit.agreed_start)},
            field="new_arrival",
        )
    if new_arrival - visit.agreed_start > LONGEST_DELAY:
        raise ActionRefused(
            _("That is a new appointment, not a delay; propose a new time instead."), field="new_arrival"
        )
    visit.late_notice_at = now
    visit.new_arrival = new_arrival
    visit.late_reason = reason.strip()[:300]
    # Notice given: no reminder, and not late without notice.
    visit.next_check_at = None
    visit.save()
    visit_event_record(
        visit=visit,
        kind=VisitEvent.Kind.LATE_NOTICE,
        actor=actor,
        at=now,
        data={"new_arrival": iso_or_empty(new_arrival), "reason": visit.late_reason},
    )
    visit_customer_tell(
        visit,
        event=f"late:{int(new_arrival.timestamp())}",
        template="visit_late_notice",
        new_arrival=iso_or_empty(new_arrival),
        reason=visit.late_reason,
    )
    return visit


# --- After nobody was there (MT7) -------------------------------------------------------


@transaction.atomic
def visit_rebook(
    *,
    visit: Visit,
    actor: User,
    start: datetime | None,
    end: datetime | None,
    note: str = "",
    off_hours_requested: bool = False,
) -> Visit:
    """After a visit that found nobody, the customer (or the desk) asks for a new one.
    Returns the new visit, proposed for the other side to confirm. As with
    `visit_propose`, only the desk sets a time outside working hours."""
    visit = visit_locked(visit)
    side = actor_side(visit.ticket, actor)
    if not (visit.state == VisitState.COMPLETED and visit.outcome == VisitOutcome.CUSTOMER_ABSENT):
        raise ActionRefused(_("Only a visit that found nobody there is rebooked this way."))
    check_ticket_open(visit.ticket)
    check_no_other_open_visit(visit.ticket)
    now = timezone.now()
    check_window(start, end, now=now)
    off_hours_requested = off_hours_requested and side == STAFF
    check_open_hours(
        start,
        end,
        now=now,
        off_hours_requested=off_hours_requested,
        people=(visit.engineer_id, visit.companion_id),
        ask=ASK_STAFF if side == STAFF else ASK_CUSTOMER,
    )
    by = ProposedBy.STAFF if side == STAFF else ProposedBy.CUSTOMER
    following = Visit.objects.create(
        ticket=visit.ticket,
        engineer=visit.engineer,
        companion=visit.companion,
        purpose=visit.purpose,
        proposed_by=by,
        proposed_start=start,
        proposed_end=end,
        off_hours_requested=off_hours_requested,
        previous_visit=visit,
        created_by=actor,
        created_at=now,
    )
    visit_event_record(visit=visit, kind=VisitEvent.Kind.REBOOKED, actor=actor, at=now, data={"next_visit": following.pk})
    visit_event_record(
        visit=following,
        kind=VisitEvent.Kind.BOOKED,
        actor=actor,
        at=now,
        data={
            "start": iso_or_empty(start),
            "end": iso_or_empty(end),
            "previous_visit": visit.pk,
            "by": by,
            "note": note.strip(),
            "off_hours_requested": off_hours_requested,
        },
    )
    if by == ProposedBy.CUSTOMER:
        visit_staff_tell(
            following,
            event="customer_proposed",
            template="visit_customer_proposed",
            note=note.strip(),
        )
    else:
        visit_customer_tell(following, event="proposed", template="visit_proposed")
    return following
