"""Every write to a visit: one function per state change, each with its audit event.

The visit's life: booked (proposed) → confirmed (by the customer online, by
phone through the desk, or by staff accepting the customer's time) → checked
in → completed with one outcome (resolved / follow-up / customer absent), or
cancelled before check-in. Each function locks the visit, checks the current
state, changes it, writes one `VisitEvent` through `_timeline`, and puts the
notices in the outbox in the same transaction (delivery happens after commit).

Notice keys carry the visit's schedule version, so a reschedule notifies
again while repeating one step never does.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.accounts.phones import phone_format
from helpdesk.core.errors import ActionRefused
from tickets.lifecycle import STAFF, Status
from tickets.models import Channel, Kind, Ticket, TicketEvent
from tickets.services import (
    actor_side,
    event_record,
    ticket_assign,
    ticket_create,
    ticket_transition,
)
from tickets.uploads import upload_check

from .models import (
    ChecklistItem,
    ChecklistMark,
    ChecklistTemplate,
    ConfirmedVia,
    ProposedBy,
    Visit,
    VisitAttachment,
    VisitChecklistEntry,
    VisitEvent,
    VisitOutcome,
    VisitState,
)
from .signatures import signature_parse
from .standards import prompt_before

logger = logging.getLogger(__name__)

# A check-in this long before the agreed start is a mistake (wrong visit, wrong day).
EARLIEST_CHECK_IN = timedelta(hours=3)
# A late notice announces a delay, not a new appointment: beyond this, reschedule.
LONGEST_DELAY = timedelta(hours=12)
FINISHED_TICKET = (Status.RESOLVED, Status.CLOSED, Status.CANCELLED)
RESOLVABLE = (Status.DIAGNOSING, Status.IN_PROGRESS)


# --- Audit, notices and guards ------------------------------------------------------


# The ticket timeline kinds each visit step appears as (requested from the lead:
# TicketEvent.Kind values of these names). Until a kind exists there, only the
# VisitEvent is written; once it does, the ticket's timeline shows the step too.
TICKET_EVENT_KINDS: dict[str, str] = {
    VisitEvent.Kind.BOOKED: "visit_booked",
    VisitEvent.Kind.PROPOSED: "visit_rescheduled",
    VisitEvent.Kind.CONFIRMED: "visit_confirmed",
    VisitEvent.Kind.CANCELLED: "visit_cancelled",
    VisitEvent.Kind.LATE_NOTICE: "visit_late_notice",
    VisitEvent.Kind.LATE_WITHOUT_NOTICE: "visit_late_without_notice",
    VisitEvent.Kind.CHECKED_IN: "visit_checked_in",
    VisitEvent.Kind.RESOLVED: "visit_completed",
    VisitEvent.Kind.FOLLOW_UP: "visit_follow_up",
    VisitEvent.Kind.CUSTOMER_ABSENT: "visit_customer_absent",
}
# What the ticket timeline prints as "Reason" (its template shows data.note).
_NOTE_FROM = ("reason", "note")


def _timeline(
    *,
    visit: Visit,
    kind: str,
    actor: User | None,
    at: datetime | None = None,
    data: dict[str, Any] | None = None,
    is_public: bool = True,
) -> VisitEvent:
    """The one place a visit's history is written: a VisitEvent always, and the
    matching ticket timeline entry once tickets knows the kind."""
    at = at or timezone.now()
    data = data or {}
    event = VisitEvent.objects.create(
        visit=visit, kind=kind, actor=actor, created_at=at, is_public=is_public, data=data
    )
    ticket_kind = TICKET_EVENT_KINDS.get(kind)
    if ticket_kind is not None and ticket_kind in TicketEvent.Kind.values:
        note = next((str(data[k]) for k in _NOTE_FROM if data.get(k)), "")
        event_record(
            ticket=visit.ticket,
            kind=ticket_kind,
            actor=actor,
            at=at,
            is_public=is_public,
            data={**data, "visit_id": visit.pk, **({"note": note} if note else {})},
        )
    return event


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def visit_notice_context(visit: Visit, **extra: Any) -> dict[str, Any]:
    """What every visit notice tells (SV1, SV3): who comes, from which team, how to
    reach them, why and when. Plain strings only: the outbox renders it later."""
    engineer = visit.engineer
    team = engineer.team if engineer.team_id else None
    companion = visit.companion
    context: dict[str, Any] = {
        "visit_id": visit.pk,
        "engineer_name": engineer.display_name,
        "engineer_team": team.name if team else "",
        "engineer_phone": phone_format(engineer.phone) or (team.phone if team else ""),
        "companion_name": companion.display_name if companion else "",
        "purpose": visit.purpose,
        "start": _iso(visit.start),
        "end": _iso(visit.end),
        "customer_name": visit.ticket.reporter_name,
        "link": reverse("visits:customer_visit", args=[visit.pk]),
    }
    context.update(extra)
    return context


def _notify_customer(visit: Visit, *, event: str, template: str, channels: Iterable[str], **extra: Any) -> None:
    from helpdesk.notifications.services import notify

    ticket = visit.ticket
    reporter = ticket.reporter
    notify(
        key=f"visit:{visit.pk}:v{visit.schedule_version}:{event}",
        template=template,
        context=visit_notice_context(visit, **extra),
        recipient=reporter,
        # The number given on the ticket is the one the customer asked to be reached on.
        phone=str(ticket.contact_phone or ""),
        channels=tuple(channels),
        ticket=ticket,
        customer_facing=True,
    )


def _notify_staff(
    visit: Visit, *, person: User | None, event: str, template: str, channels: Iterable[str], **extra: Any
) -> None:
    if person is None:
        logger.warning("Visit %s: nobody to tell about %s", visit.pk, event)
        return
    from helpdesk.notifications.services import notify

    notify(
        key=f"visit:{visit.pk}:v{visit.schedule_version}:{event}:u{person.pk}",
        template=template,
        context=visit_notice_context(visit, link=reverse("visits:staff_visit", args=[visit.pk]), **extra),
        recipient=person,
        channels=tuple(channels),
        ticket=visit.ticket,
    )


def _locked(visit: Visit) -> Visit:
    # Two taps (or two people) at once must not both pass the state guard.
    return (
        Visit.objects.select_for_update(of=("self",))
        .select_related("ticket", "engineer", "engineer__team", "companion")
        .get(pk=visit.pk)
    )


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _require_staff(actor: User) -> None:
    if not actor.has_perm("tickets.work_ticket"):
        raise ActionRefused(_("Only staff can do this."))


def _require_on_visit(visit: Visit, actor: User) -> None:
    if not (visit.has_on_visit(actor.pk) or actor.has_perm("tickets.lead_team")):
        raise ActionRefused(_("Only the engineer on this visit, their companion or a team lead can do this."))


def _require_state(visit: Visit, *allowed: str) -> None:
    if visit.state in allowed:
        return
    messages = {
        VisitState.PROPOSED: _("The visit time is not agreed yet; confirm it with the customer first."),
        VisitState.CONFIRMED: _("The engineer has not checked in yet."),
        VisitState.CHECKED_IN: _("The engineer is already on site (checked in at %(time)s).")
        % {"time": _local(visit.checked_in_at) if visit.checked_in_at else "-"},
        VisitState.COMPLETED: _("This visit is already completed."),
        VisitState.CANCELLED: _("This visit was cancelled."),
    }
    raise ActionRefused(messages.get(VisitState(visit.state), _("That is not possible now.")))


def _check_window(start: datetime | None, end: datetime | None, *, now: datetime, field: str = "start") -> None:
    if start is None or end is None:
        raise ActionRefused(_("Give the date and the time window of the visit."), field=field)
    if start < now:
        raise ActionRefused(
            _("The visit cannot start in the past (%(start)s); choose a later time.") % {"start": _local(start)},
            field=field,
        )
    if end <= start:
        raise ActionRefused(_("The visit must end after it starts."), field="end" if field == "start" else field)


def _check_ticket_open(ticket: Ticket) -> None:
    if ticket.status in FINISHED_TICKET:
        raise ActionRefused(
            _("Ticket %(number)s is %(status)s; a visit cannot be arranged for finished work.")
            % {"number": ticket.number, "status": Status(ticket.status).label}
        )


def _check_no_other_open_visit(ticket: Ticket, *, exclude: int | None = None) -> None:
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
            % {"start": _local(other.start)}
        )


def _check_vip(visit: Visit) -> None:
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


def _schedule_checks(visit: Visit) -> None:
    """SV4: the sweep's first moment is the reminder before the agreed start."""
    visit.next_check_at = visit.agreed_start - prompt_before() if visit.agreed_start else None


# --- Booking and agreeing the time (SV1, SV3) ----------------------------------------------


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
) -> Visit:
    """Propose a visit on a ticket; with `agreed_by_phone` the desk records a time
    already agreed on the phone, and the visit is confirmed at once."""
    _require_staff(actor)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _check_ticket_open(ticket)
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
    _check_window(start, end, now=now)
    _check_no_other_open_visit(ticket)
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
        created_by=actor,
        created_at=now,
    )
    _timeline(
        visit=visit,
        kind=VisitEvent.Kind.BOOKED,
        actor=actor,
        at=now,
        data={"start": _iso(start), "end": _iso(end), "engineer": engineer.display_name},
    )
    if agreed_by_phone:
        return _confirm(visit, actor=actor, via=ConfirmedVia.PHONE, now=now)
    _notify_customer(visit, event="proposed", template="visit_proposed", channels=("email", "sms", "in_app"))
    return visit


@transaction.atomic
def visit_propose(
    *, visit: Visit, actor: User, start: datetime | None, end: datetime | None, note: str = ""
) -> Visit:
    """A new time: the desk reschedules, or the customer proposes another time.
    The other side then confirms it; notices go out again for the new version."""
    visit = _locked(visit)
    side = actor_side(visit.ticket, actor)
    _require_state(visit, VisitState.PROPOSED, VisitState.CONFIRMED)
    _check_ticket_open(visit.ticket)
    now = timezone.now()
    _check_window(start, end, now=now)
    previous = {"start": _iso(visit.start), "end": _iso(visit.end), "state": visit.state}
    visit.schedule_version += 1
    visit.state = VisitState.PROPOSED
    visit.proposed_by = ProposedBy.STAFF if side == STAFF else ProposedBy.CUSTOMER
    visit.proposed_start, visit.proposed_end = start, end
    visit.agreed_start = visit.agreed_end = None
    visit.confirmed_via, visit.confirmed_by = "", None
    # The reminders and notices of the old time no longer apply; a late record stays.
    visit.next_check_at = visit.prompt_sent_at = visit.late_notice_at = visit.new_arrival = None
    visit.late_reason = ""
    visit.save()
    _timeline(
        visit=visit,
        kind=VisitEvent.Kind.PROPOSED,
        actor=actor,
        at=now,
        data={
            "start": _iso(start),
            "end": _iso(end),
            "by": visit.proposed_by,
            "note": note.strip(),
            "previous": previous,
            "version": visit.schedule_version,
        },
    )
    if side == STAFF:
        _notify_customer(
            visit,
            event="proposed",
            template="visit_proposed",
            channels=("email", "sms", "in_app"),
            rescheduled=True,
            note=note.strip(),
        )
    else:
        for person in (visit.engineer, visit.companion):
            if person is not None:
                _notify_staff(
                    visit,
                    person=person,
                    event="customer_proposed",
                    template="visit_customer_proposed",
                    channels=("in_app", "email"),
                    note=note.strip(),
                )
    return visit


def _confirm(visit: Visit, *, actor: User, via: str, now: datetime) -> Visit:
    if visit.proposed_start < now:
        raise ActionRefused(
            _("The proposed time (%(start)s) has passed; propose a new time.") % {"start": _local(visit.proposed_start)},
            field="start",
        )
    _check_vip(visit)
    visit.state = VisitState.CONFIRMED
    visit.agreed_start, visit.agreed_end = visit.proposed_start, visit.proposed_end
    visit.confirmed_via, visit.confirmed_by = via, actor
    _schedule_checks(visit)
    visit.save()
    _timeline(
        visit=visit,
        kind=VisitEvent.Kind.CONFIRMED,
        actor=actor,
        at=now,
        data={"start": _iso(visit.agreed_start), "end": _iso(visit.agreed_end), "via": via},
    )
    # SV1/SV3: the pre-visit notice with who comes, from where, why and when.
    _notify_customer(visit, event="confirmed", template="visit_confirmed", channels=("email", "sms", "in_app"))
    if via == ConfirmedVia.PORTAL:
        for person in (visit.engineer, visit.companion):
            if person is not None:
                _notify_staff(
                    visit,
                    person=person,
                    event="customer_confirmed",
                    template="visit_customer_confirmed",
                    channels=("in_app",),
                )
    return visit


@transaction.atomic
def visit_confirm(*, visit: Visit, actor: User) -> Visit:
    """The customer confirms the desk's proposal online; staff record an agreement
    made by phone, or accept the time the customer proposed."""
    visit = _locked(visit)
    side = actor_side(visit.ticket, actor)
    _require_state(visit, VisitState.PROPOSED)
    _check_ticket_open(visit.ticket)
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
    _require_staff(actor)
    visit = _locked(visit)
    _require_state(visit, VisitState.PROPOSED, VisitState.CONFIRMED)
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
        _check_vip(visit)
    visit.save(update_fields=["companion", "updated_at"])
    _timeline(
        visit=visit,
        kind=VisitEvent.Kind.COMPANION_SET,
        actor=actor,
        data={"from": previous.display_name if previous else "", "to": companion.display_name if companion else ""},
    )
    return visit


@transaction.atomic
def visit_cancel(*, visit: Visit, actor: User, reason: str) -> Visit:
    visit = _locked(visit)
    side = actor_side(visit.ticket, actor)
    _require_state(visit, VisitState.PROPOSED, VisitState.CONFIRMED)
    if not reason.strip():
        raise ActionRefused(_("Please give a reason."), field="reason")
    visit.state = VisitState.CANCELLED
    visit.cancel_reason = reason.strip()[:300]
    visit.next_check_at = None
    visit.save()
    _timeline(visit=visit, kind=VisitEvent.Kind.CANCELLED, actor=actor, data={"reason": visit.cancel_reason, "by": side})
    if side == STAFF:
        _notify_customer(
            visit, event="cancelled", template="visit_cancelled", channels=("email", "sms", "in_app"), reason=visit.cancel_reason
        )
    else:
        for person in (visit.engineer, visit.companion):
            if person is not None:
                _notify_staff(
                    visit,
                    person=person,
                    event="cancelled",
                    template="visit_cancelled",
                    channels=("in_app", "email"),
                    reason=visit.cancel_reason,
                )
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
        _timeline(visit=visit, kind=VisitEvent.Kind.CANCELLED, actor=actor, data={"reason": visit.cancel_reason, "by": "ticket"})
        _notify_customer(
            visit, event="cancelled", template="visit_cancelled", channels=("email", "sms", "in_app"), reason=visit.cancel_reason
        )
    return len(planned)


# --- Before and at arrival (SV1, SV4) ------------------------------------------------------


@transaction.atomic
def visit_late_notice_send(*, visit: Visit, actor: User, new_arrival: datetime | None, reason: str = "") -> Visit:
    """SV4: a delay announced before the agreed start, with the new arrival time."""
    visit = _locked(visit)
    _require_on_visit(visit, actor)
    _require_state(visit, VisitState.CONFIRMED)
    now = timezone.now()
    if now >= visit.agreed_start:
        raise ActionRefused(
            _("The visit was due at %(start)s; a late notice must go before then. Call the customer now.")
            % {"start": _local(visit.agreed_start)}
        )
    if new_arrival is None:
        raise ActionRefused(_("Give the new arrival time."), field="new_arrival")
    if new_arrival <= visit.agreed_start or new_arrival <= now:
        raise ActionRefused(
            _("The new arrival time must be after the agreed start (%(start)s).") % {"start": _local(visit.agreed_start)},
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
    _timeline(
        visit=visit,
        kind=VisitEvent.Kind.LATE_NOTICE,
        actor=actor,
        at=now,
        data={"new_arrival": _iso(new_arrival), "reason": visit.late_reason},
    )
    _notify_customer(
        visit,
        event=f"late:{int(new_arrival.timestamp())}",
        template="visit_late_notice",
        channels=("email", "sms", "in_app"),
        new_arrival=_iso(new_arrival),
        reason=visit.late_reason,
    )
    return visit


def _checklist_template_for(ticket: Ticket) -> ChecklistTemplate | None:
    asset = ticket.asset
    if asset is None:
        return None
    return ChecklistTemplate.objects.filter(asset_type=asset.asset_type, is_current=True).first()


@transaction.atomic
def visit_check_in(*, visit: Visit, actor: User) -> Visit:
    """One tap on arrival: the time is recorded against the agreed start (SV1), and
    the visit takes the checklist version current now (MT6)."""
    visit = _locked(visit)
    _require_on_visit(visit, actor)
    if visit.state == VisitState.CHECKED_IN:
        raise ActionRefused(
            _("You already checked in at %(time)s.") % {"time": _local(visit.checked_in_at)}
        )
    _require_state(visit, VisitState.CONFIRMED)
    _check_ticket_open(visit.ticket)
    now = timezone.now()
    if now < visit.agreed_start - EARLIEST_CHECK_IN:
        raise ActionRefused(
            _("This visit is agreed for %(start)s; check in when you arrive.") % {"start": _local(visit.agreed_start)}
        )
    visit.state = VisitState.CHECKED_IN
    visit.checked_in_at = now
    # Whole minutes, truncated towards zero: 59 seconds late is on time.
    visit.punctuality_minutes = int((now - visit.agreed_start).total_seconds() / 60)
    visit.next_check_at = None
    template = _checklist_template_for(visit.ticket)
    visit.checklist_template = template
    visit.save()
    if template is not None:
        VisitChecklistEntry.objects.bulk_create(
            [VisitChecklistEntry(visit=visit, item=item) for item in template.items.all()]
        )
    _timeline(
        visit=visit,
        kind=VisitEvent.Kind.CHECKED_IN,
        actor=actor,
        at=now,
        data={
            "minutes_late": visit.punctuality_minutes,
            "late_notice": bool(visit.late_notice_at),
            "checklist": template.pk if template else None,
        },
    )
    if visit.ticket.status == Status.ASSIGNED:
        # On site the diagnosis starts; the ticket says so.
        ticket_transition(ticket=visit.ticket, action="diagnose", actor=actor)
    return visit


# --- The checklist (MT6) -------------------------------------------------------------------


def checklist_problems(entries: Iterable[VisitChecklistEntry]) -> list[str]:
    """The items still unmarked or missing the note their mark needs."""
    problems = []
    for entry in entries:
        if not entry.mark or (entry.item.needs_note(entry.mark) and not entry.note.strip()):
            problems.append(entry.item.label)
    return problems


@transaction.atomic
def visit_checklist_fill(*, visit: Visit, actor: User, marks: Mapping[int, tuple[str, str]]) -> Visit:
    """Save the marks given ({item id: (mark, note)}); an item left blank stays open.
    A 'fixed' (or, where the item says so, 'not applicable') needs a note."""
    visit = _locked(visit)
    _require_on_visit(visit, actor)
    _require_state(visit, VisitState.CHECKED_IN)
    entries = list(visit.checklist_entries.select_related("item"))
    if not entries:
        raise ActionRefused(_("This visit has no checklist."))
    valid = {"", *ChecklistMark.values}
    missing_notes = []
    now = timezone.now()
    changed = []
    for entry in entries:
        if entry.item_id not in marks:
            continue
        mark, note = marks[entry.item_id]
        mark, note = (mark or "").strip(), (note or "").strip()[:500]
        if mark not in valid:
            raise ActionRefused(_("Unknown result for %(item)s.") % {"item": entry.item.label}, field=f"mark_{entry.item_id}")
        if mark and entry.item.needs_note(mark) and not note:
            missing_notes.append(entry)
        if (mark, note) != (entry.mark, entry.note):
            entry.mark, entry.note = mark, note
            entry.marked_at, entry.marked_by = (now, actor) if mark else (None, None)
            changed.append(entry)
    if missing_notes:
        raise ActionRefused(
            _("Write what was done for: %(items)s.") % {"items": ", ".join(e.item.label for e in missing_notes)},
            field=f"note_{missing_notes[0].item_id}",
        )
    if changed:
        VisitChecklistEntry.objects.bulk_update(changed, ["mark", "note", "marked_at", "marked_by"])
        _timeline(
            visit=visit,
            kind=VisitEvent.Kind.CHECKLIST,
            actor=actor,
            at=now,
            is_public=False,
            data={"changed": len(changed), "open": len(checklist_problems(entries))},
        )
    return visit


def _require_checklist_done(visit: Visit) -> None:
    problems = checklist_problems(visit.checklist_entries.select_related("item"))
    if problems:
        raise ActionRefused(
            _("The checklist is not complete. Mark every item (with a note where needed): %(items)s.")
            % {"items": ", ".join(problems)},
            field="checklist",
        )


# --- Outcomes (MT2, MT6, MT7, SV6) ----------------------------------------------------------


@dataclass
class ResolveResult:
    visit: Visit
    ticket_resolved: bool
    # Why the ticket was left as it was, for the engineer to act on.
    ticket_note: str = field(default="")


def _check_out(visit: Visit, *, outcome: str, now: datetime) -> None:
    visit.state = VisitState.COMPLETED
    visit.outcome = outcome
    visit.checked_out_at = now
    visit.next_check_at = None


@transaction.atomic
def visit_resolve(
    *, visit: Visit, actor: User, signoff_name: str, signature: str, work_note: str = ""
) -> ResolveResult:
    """Resolved on site: the customer signs on the engineer's phone, the customer is
    thanked (SV6), and the ticket is resolved when its status allows it."""
    visit = _locked(visit)
    _require_on_visit(visit, actor)
    _require_state(visit, VisitState.CHECKED_IN)
    _require_checklist_done(visit)
    if not signoff_name.strip():
        raise ActionRefused(_("Write the name of the customer who signs."), field="signoff_name")
    parsed = signature_parse(signature)
    now = timezone.now()
    _check_out(visit, outcome=VisitOutcome.RESOLVED, now=now)
    visit.signoff_name = signoff_name.strip()[:100]
    visit.signed_at = now
    visit.work_note = work_note.strip()
    # Django's storage API: the file lands wherever STORAGES["default"] says.
    visit.signature.save("signature.png", ContentFile(parsed.data), save=False)
    visit.save()
    _timeline(
        visit=visit,
        kind=VisitEvent.Kind.RESOLVED,
        actor=actor,
        at=now,
        data={"signed_by": visit.signoff_name, "note": visit.work_note},
    )
    _notify_customer(visit, event="thanks", template="visit_thanks", channels=("email", "sms", "in_app"))
    ticket = visit.ticket
    if ticket.status in RESOLVABLE:
        note = visit.work_note or _("Resolved on site; signed off by %(name)s.") % {"name": visit.signoff_name}
        ticket_transition(ticket=ticket, action="resolve", actor=actor, note=note)
        return ResolveResult(visit=visit, ticket_resolved=True)
    if ticket.status == Status.RESOLVED:
        return ResolveResult(visit=visit, ticket_resolved=True)
    return ResolveResult(
        visit=visit,
        ticket_resolved=False,
        ticket_note=_(
            "The visit is recorded as resolved, but ticket %(number)s is %(status)s, which cannot move to "
            "resolved directly; update it on the ticket page."
        )
        % {"number": ticket.number, "status": Status(ticket.status).label},
    )


@transaction.atomic
def visit_follow_up(
    *,
    visit: Visit,
    actor: User,
    reason: str,
    next_start: datetime | None,
    next_end: datetime | None,
) -> Visit:
    """MT2: more work is needed. The reason is required and the customer is told
    it, with the next visit proposed. Returns the next (proposed) visit."""
    visit = _locked(visit)
    _require_on_visit(visit, actor)
    _require_state(visit, VisitState.CHECKED_IN)
    if not reason.strip():
        raise ActionRefused(_("Give the reason more work is needed; the customer is told it."), field="reason")
    _require_checklist_done(visit)
    now = timezone.now()
    _check_window(next_start, next_end, now=now, field="next_start")
    _check_out(visit, outcome=VisitOutcome.FOLLOW_UP, now=now)
    visit.follow_up_reason = reason.strip()
    visit.save()
    following = Visit.objects.create(
        ticket=visit.ticket,
        engineer=visit.engineer,
        companion=visit.companion,
        purpose=visit.purpose,
        proposed_by=ProposedBy.STAFF,
        proposed_start=next_start,
        proposed_end=next_end,
        previous_visit=visit,
        created_by=actor,
        created_at=now,
    )
    _timeline(
        visit=visit,
        kind=VisitEvent.Kind.FOLLOW_UP,
        actor=actor,
        at=now,
        data={"reason": visit.follow_up_reason, "next_visit": following.pk},
    )
    _timeline(
        visit=following,
        kind=VisitEvent.Kind.BOOKED,
        actor=actor,
        at=now,
        data={"start": _iso(next_start), "end": _iso(next_end), "previous_visit": visit.pk},
    )
    # One message: why more work is needed, and when we propose to come back.
    _notify_customer(
        visit,
        event="follow_up",
        template="visit_follow_up",
        channels=("email", "sms", "in_app"),
        reason=visit.follow_up_reason,
        next_start=_iso(next_start),
        next_end=_iso(next_end),
        link=reverse("visits:customer_visit", args=[following.pk]),
    )
    return following


@transaction.atomic
def visit_customer_absent(*, visit: Visit, actor: User, note: str) -> Visit:
    """MT7: nobody there. The note left at the desk is recorded, and a text message
    with the engineer's contact and a link to rebook goes to the customer."""
    visit = _locked(visit)
    _require_on_visit(visit, actor)
    _require_state(visit, VisitState.CHECKED_IN)
    if not note.strip():
        raise ActionRefused(_("Write the note you left at the customer's desk."), field="note")
    now = timezone.now()
    _check_out(visit, outcome=VisitOutcome.CUSTOMER_ABSENT, now=now)
    visit.absence_note = note.strip()
    visit.save()
    _timeline(visit=visit, kind=VisitEvent.Kind.CUSTOMER_ABSENT, actor=actor, at=now, data={"note": visit.absence_note})
    _notify_customer(
        visit,
        event="absent",
        template="visit_absent",
        channels=("sms", "email", "in_app"),
        note=visit.absence_note,
        visited_at=_iso(visit.checked_in_at),
    )
    return visit


@transaction.atomic
def visit_rebook(*, visit: Visit, actor: User, start: datetime | None, end: datetime | None, note: str = "") -> Visit:
    """After a visit that found nobody, the customer (or the desk) asks for a new one.
    Returns the new visit, proposed for the other side to confirm."""
    visit = _locked(visit)
    side = actor_side(visit.ticket, actor)
    if not (visit.state == VisitState.COMPLETED and visit.outcome == VisitOutcome.CUSTOMER_ABSENT):
        raise ActionRefused(_("Only a visit that found nobody there is rebooked this way."))
    _check_ticket_open(visit.ticket)
    _check_no_other_open_visit(visit.ticket)
    now = timezone.now()
    _check_window(start, end, now=now)
    by = ProposedBy.STAFF if side == STAFF else ProposedBy.CUSTOMER
    following = Visit.objects.create(
        ticket=visit.ticket,
        engineer=visit.engineer,
        companion=visit.companion,
        purpose=visit.purpose,
        proposed_by=by,
        proposed_start=start,
        proposed_end=end,
        previous_visit=visit,
        created_by=actor,
        created_at=now,
    )
    _timeline(visit=visit, kind=VisitEvent.Kind.REBOOKED, actor=actor, at=now, data={"next_visit": following.pk})
    _timeline(
        visit=following,
        kind=VisitEvent.Kind.BOOKED,
        actor=actor,
        at=now,
        data={"start": _iso(start), "end": _iso(end), "previous_visit": visit.pk, "by": by, "note": note.strip()},
    )
    if by == ProposedBy.CUSTOMER:
        for person in (following.engineer, following.companion):
            if person is not None:
                _notify_staff(
                    following,
                    person=person,
                    event="customer_proposed",
                    template="visit_customer_proposed",
                    channels=("in_app", "email"),
                    note=note.strip(),
                )
    else:
        _notify_customer(following, event="proposed", template="visit_proposed", channels=("email", "sms", "in_app"))
    return following


# --- On site: new requests and files (SV7) --------------------------------------------------


@transaction.atomic
def visit_request_create(
    *,
    visit: Visit,
    actor: User,
    title: str,
    description: str = "",
    kind: str = Kind.FAULT,
    same_equipment: bool = True,
    asset_other: str = "",
) -> Ticket:
    """SV7: the customer asks for something else while the engineer is there; it
    becomes a ticket in one step, taken on site and linked to this visit."""
    visit = _locked(visit)
    _require_on_visit(visit, actor)
    _require_state(visit, VisitState.CHECKED_IN, VisitState.COMPLETED)
    source = visit.ticket
    asset = source.asset if same_equipment else None
    other = asset_other.strip() or ("" if asset is not None or not same_equipment else source.asset_other)
    ticket = ticket_create(
        actor=actor,
        title=title,
        description=description,
        kind=kind,
        channel=Channel.ON_SITE,
        reporter=source.reporter,
        reporter_name=source.reporter_name,
        reporter_department=source.reporter_department,
        contact_phone=source.contact_phone,
        asset=asset,
        asset_other=other,
    )
    visit.new_requests.add(ticket)
    _timeline(
        visit=visit,
        kind=VisitEvent.Kind.REQUEST_TAKEN,
        actor=actor,
        data={"ticket_id": ticket.pk, "title": ticket.title},
    )
    return ticket


@transaction.atomic
def visit_attach(*, visit: Visit, actor: User, files: Iterable[UploadedFile]) -> list[VisitAttachment]:
    """Photos and files from the phone, checked like ticket attachments."""
    visit = _locked(visit)
    _require_on_visit(visit, actor)
    if visit.state == VisitState.CANCELLED:
        raise ActionRefused(_("This visit was cancelled."))
    files = list(files)
    if not files:
        raise ActionRefused(_("Choose a photo or a file."), field="files")
    types = [upload_check(f) for f in files]
    now = timezone.now()
    stored = []
    for f, content_type in zip(files, types, strict=True):
        attachment = VisitAttachment(
            visit=visit,
            original_name=(f.name or "file")[:200],
            size=f.size or 0,
            content_type=content_type,
            uploaded_by=actor,
            created_at=now,
        )
        attachment.file.save(f.name or "file", f, save=False)
        attachment.save()
        stored.append(attachment)
    _timeline(
        visit=visit,
        kind=VisitEvent.Kind.FILE_ADDED,
        actor=actor,
        at=now,
        is_public=False,
        data={"names": [a.original_name for a in stored]},
    )
    return stored


# --- Checklist templates (admin) --------------------------------------------------------------


@transaction.atomic
def checklist_template_new_version(*, template: ChecklistTemplate) -> ChecklistTemplate:
    """Copy a template and its items as the next version, which becomes current.
    Visits that started with the old version keep it (their entries point at its items)."""
    template = ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
    latest = (
        ChecklistTemplate.objects.filter(asset_type=template.asset_type).order_by("-version").values_list(
            "version", flat=True
        ).first()
        or 0
    )
    ChecklistTemplate.objects.filter(asset_type=template.asset_type, is_current=True).update(is_current=False)
    copy = ChecklistTemplate.objects.create(
        asset_type=template.asset_type,
        name=template.name,
        name_en=template.name_en,
        version=latest + 1,
        is_current=True,
    )
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(template=copy, order=i.order, text=i.text, text_en=i.text_en, note_rule=i.note_rule)
            for i in template.items.all()
        ]
    )
    return copy


@transaction.atomic
def checklist_template_register(*, template: ChecklistTemplate) -> ChecklistTemplate:
    """Save a template an admin added as the newest version for its asset type, and make it current."""
    latest = (
        ChecklistTemplate.objects.select_for_update()
        .filter(asset_type=template.asset_type)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
        or 0
    )
    ChecklistTemplate.objects.filter(asset_type=template.asset_type, is_current=True).update(is_current=False)
    template.version = latest + 1
    template.is_current = True
    template.save()
    return template
