"""The checks every visit step starts with: the row lock, who may act, which
states allow the step, and the rules on times, tickets and VIP visits."""
from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from helpdesk.core.times import local_text
from tickets.lifecycle import FINISHED, Status
from tickets.models import Kind, Ticket

from ..models import Visit, VisitState
from ..open_hours import Slot, closed_reason, closure_reason, open_slots, visit_calendar


def visit_locked(visit: Visit) -> Visit:
    # Two taps (or two people) at once must not both pass the state guard.
    return (
        Visit.objects.select_for_update(of=("self",))
        .select_related("ticket", "engineer", "engineer__team", "companion")
        .get(pk=visit.pk)
    )


def require_on_visit(visit: Visit, actor: User) -> None:
    if not (visit.has_on_visit(actor.pk) or actor.has_perm("tickets.lead_team")):
        raise ActionRefused(_("Only the engineer on this visit, their companion or a team lead can do this."))


def require_state(visit: Visit, *allowed: str) -> None:
    if visit.state in allowed:
        return
    messages = {
        VisitState.PROPOSED: _("The visit time is not agreed yet; confirm it with the customer first."),
        VisitState.CONFIRMED: _("The engineer has not checked in yet."),
        VisitState.CHECKED_IN: _("The engineer is already on site (checked in at %(time)s).")
        % {"time": local_text(visit.checked_in_at) if visit.checked_in_at else "-"},
        VisitState.COMPLETED: _("This visit is already completed."),
        VisitState.CANCELLED: _("This visit was cancelled."),
    }
    raise ActionRefused(messages.get(VisitState(visit.state), _("That is not possible now.")))


def check_window(start: datetime | None, end: datetime | None, *, now: datetime, field: str = "start") -> None:
    if start is None or end is None:
        raise ActionRefused(_("Give the date and the time window of the visit."), field=field)
    if start < now:
        raise ActionRefused(
            _("The visit cannot start in the past (%(start)s); choose a later time.") % {"start": local_text(start)},
            field=field,
        )
    if end <= start:
        raise ActionRefused(_("The visit must end after it starts."), field="end" if field == "start" else field)


class OutsideOpenHours(ActionRefused):
    """A visit time on a closed day or outside working hours, refused with the
    next open times the engineer is free (the form offers them as buttons)."""

    def __init__(self, message: str, *, field: str | None = None, slots: list[Slot] | None = None) -> None:
        super().__init__(message, field=field)
        self.slots: list[Slot] = slots or []


# What the refusal asks of whoever set the time.
ASK_STAFF = "staff"  # may tick the box when the customer asked for the time
ASK_CUSTOMER = "customer"  # chooses another time, or calls the desk
ASK_NEW_TIME = "new_time"  # a time already on the table: propose another


def check_open_hours(
    start: datetime | None,
    end: datetime | None,
    *,
    now: datetime,
    off_hours_requested: bool,
    people: tuple[int | None, ...] = (),
    exclude: int | None = None,
    ask: str = ASK_STAFF,
    field: str = "start",
) -> None:
    """A visit takes place in working hours on a business day of the service
    standard's calendar, unless the customer asked for another time. Refused
    with the next open times of `people` (their agreed visits skipped, the visit
    `exclude` being moved not counted). Call after `check_window`."""
    if off_hours_requested or start is None or end is None:
        return  # a missing time is check_window's to refuse
    cal = visit_calendar()
    local_day = start.astimezone(cal.tz).date()
    reason = closed_reason(
        cal, start, end, closure_reason=closure_reason(local_day) if local_day in cal.closures else ""
    )
    if reason is None:
        return
    tails = {
        ASK_STAFF: _(
            "Choose another time, or tick “Visit outside working hours at the customer's request” "
            "if the customer asked for this one."
        ),
        ASK_CUSTOMER: _("Choose another time, or call the service desk to arrange a visit outside working hours."),
        ASK_NEW_TIME: _("Propose a new time."),
    }
    slots = [] if ask == ASK_NEW_TIME else open_slots(
        people=[pk for pk in people if pk is not None], after=max(start, now), length=end - start, exclude=exclude
    )
    raise OutsideOpenHours(f"{reason} {tails[ask]}", field=field, slots=slots)


def check_ticket_open(ticket: Ticket) -> None:
    if ticket.status in FINISHED:
        raise ActionRefused(
            _("Ticket %(number)s is %(status)s; a visit cannot be arranged for finished work.")
            % {"number": ticket.number, "status": Status(ticket.status).label}
        )


def check_no_other_open_visit(ticket: Ticket, *, exclude: int | None = None) -> None:
    """One planned visit at a time per request, except large-scale work, whose
    plan books a visit for each of its windows (BS3)."""
    if ticket.kind == Kind.LARGE_WORK:
        return
    other = (
        Visit.objects.filter(
            ticket=ticket, state__in=[VisitState.PROPOSED, VisitState.CONFIRMED, VisitState.CHECKED_IN]
        )
        .exclude(pk=exclude)
        .first()
    )
    if other is not None:
        raise ActionRefused(
            _("This ticket already has a visit planned (%(start)s); change that one instead.")
            % {"start": local_text(other.start)}
        )


def check_vip(visit: Visit) -> None:
    """MT8: a VIP customer is visited by a team lead or section chief, or with one."""
    if not visit.ticket.reporter_is_vip:
        return
    people = [p for p in (visit.engineer, visit.companion) if p is not None]
    if not any(p.has_perm("tickets.lead_team") for p in people):
        raise ActionRefused(
            _(
                "This is a VIP customer's visit: a team lead or section chief must lead it or go along "
                "(charter MT8). Add one as the companion before confirming."
            ),
            field="companion",
        )
