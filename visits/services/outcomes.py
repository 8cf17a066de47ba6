"""How a checked-in visit ends (MT2, MT6, MT7, SV6): resolved with the customer's
signature, more work needed with the next visit proposed, or nobody there."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from helpdesk.core.times import iso_or_empty
from tickets.lifecycle import Status, sources_of
from tickets.services import ticket_transition

from ..models import ProposedBy, Visit, VisitEvent, VisitOutcome, VisitState
from ..signatures import signature_parse
from .guards import check_open_hours, check_window, require_on_visit, require_state, visit_locked
from .notices import visit_customer_tell
from .on_site import require_checklist_done
from .timeline import visit_event_record

# A visit resolves the ticket when the lifecycle lets it be resolved.
RESOLVABLE = sources_of("resolve")


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
    visit = visit_locked(visit)
    require_on_visit(visit, actor)
    require_state(visit, VisitState.CHECKED_IN)
    require_checklist_done(visit)
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
    visit_event_record(
        visit=visit,
        kind=VisitEvent.Kind.RESOLVED,
        actor=actor,
        at=now,
        data={"signed_by": visit.signoff_name, "note": visit.work_note},
    )
    visit_customer_tell(visit, event="thanks", template="visit_thanks")
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
    off_hours_requested: bool = False,
) -> Visit:
    """MT2: more work is needed. The reason is required and the customer is told
    it, with the next visit proposed. Returns the next (proposed) visit."""
    visit = visit_locked(visit)
    require_on_visit(visit, actor)
    require_state(visit, VisitState.CHECKED_IN)
    if not reason.strip():
        raise ActionRefused(_("Give the reason more work is needed; the customer is told it."), field="reason")
    require_checklist_done(visit)
    now = timezone.now()
    check_window(next_start, next_end, now=now, field="next_start")
    check_open_hours(
        next_start,
        next_end,
        now=now,
        off_hours_requested=off_hours_requested,
        people=(visit.engineer_id, visit.companion_id),
        exclude=visit.pk,
        field="next_start",
    )
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
        off_hours_requested=off_hours_requested,
        previous_visit=visit,
        created_by=actor,
        created_at=now,
    )
    visit_event_record(
        visit=visit,
        kind=VisitEvent.Kind.FOLLOW_UP,
        actor=actor,
        at=now,
        data={"reason": visit.follow_up_reason, "next_visit": following.pk},
    )
    visit_event_record(
        visit=following,
        kind=VisitEvent.Kind.BOOKED,
        actor=actor,
        at=now,
        data={
            "start": iso_or_empty(next_start),
            "end": iso_or_empty(next_end),
            "previous_visit": visit.pk,
            "off_hours_requested": off_hours_requested,
        },
    )
    # One message: why more work is needed, and when we propose to come back.
    visit_customer_tell(
        visit,
        event="follow_up",
        template="visit_follow_up",
        reason=visit.follow_up_reason,
        next_start=iso_or_empty(next_start),
        next_end=iso_or_empty(next_end),
        link=reverse("visits:customer_visit", args=[following.pk]),
    )
    return following


@transaction.atomic
def visit_customer_absent(*, visit: Visit, actor: User, note: str) -> Visit:
    """MT7: nobody there. The note left at the desk is recorded, and a text message
    with the engineer's contact and a link to rebook goes to the customer."""
    visit = visit_locked(visit)
    require_on_visit(visit, actor)
    require_state(visit, VisitState.CHECKED_IN)
    if not note.strip():
        raise ActionRefused(_("Write the note you left at the customer's desk."), field="note")
    now = timezone.now()
    _check_out(visit, outcome=VisitOutcome.CUSTOMER_ABSENT, now=now)
    visit.absence_note = note.strip()
    visit.save()
    visit_event_record(visit=visit, kind=VisitEvent.Kind.CUSTOMER_ABSENT, actor=actor, at=now, data={"note": visit.absence_note})
    visit_customer_tell(
        visit,
        event="absent",
        template="visit_absent",
        channels=("sms", "email", "in_app"),
        note=visit.absence_note,
        visited_at=iso_or_empty(visit.checked_in_at),
    )
    return visit
