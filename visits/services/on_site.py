"""At the customer's: checking in (SV1, MT6), filling the checklist (MT6), and
the new requests (SV7) and files taken on site."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from helpdesk.core.times import local_text
from tickets.lifecycle import Status
from tickets.models import Channel, Kind, Ticket
from tickets.services import ticket_create, ticket_transition
from tickets.uploads import upload_check

from ..models import ChecklistMark, Visit, VisitAttachment, VisitChecklistEntry, VisitEvent, VisitState
from .checklist_templates import checklist_template_for
from .guards import check_ticket_open, require_on_visit, require_state, visit_locked
from .timeline import visit_event_record

# A check-in this long before the agreed start is a mistake (wrong visit, wrong day).
EARLIEST_CHECK_IN = timedelta(hours=3)


@transaction.atomic
def visit_check_in(*, visit: Visit, actor: User) -> Visit:
    """One tap on arrival: the time is recorded against the agreed start (SV1), and
    the visit takes the checklist version current now (MT6)."""
    visit = visit_locked(visit)
    require_on_visit(visit, actor)
    if visit.state == VisitState.CHECKED_IN:
        raise ActionRefused(
            _("You already checked in at %(time)s.") % {"time": local_text(visit.checked_in_at)}
        )
    require_state(visit, VisitState.CONFIRMED)
    check_ticket_open(visit.ticket)
    now = timezone.now()
    if now < visit.agreed_start - EARLIEST_CHECK_IN:
        raise ActionRefused(
            _("This visit is agreed for %(start)s; check in when you arrive.") % {"start": local_text(visit.agreed_start)}
        )
    visit.state = VisitState.CHECKED_IN
    visit.checked_in_at = now
    # Whole minutes, truncated towards zero: 59 seconds late is on time.
    visit.punctuality_minutes = int((now - visit.agreed_start).total_seconds() / 60)
    visit.next_check_at = None
    template = checklist_template_for(visit.ticket)
    visit.checklist_template = template
    visit.save()
    if template is not None:
        VisitChecklistEntry.objects.bulk_create(
            [VisitChecklistEntry(visit=visit, item=item) for item in template.items.all()]
        )
    visit_event_record(
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
    visit = visit_locked(visit)
    require_on_visit(visit, actor)
    require_state(visit, VisitState.CHECKED_IN)
    entries = _checklist_of(visit)
    _marks_apply(visit, actor, entries, marks, data={})
    return visit


@transaction.atomic
def visit_checklist_all_ok(
    *, visit: Visit, actor: User, exceptions: Mapping[int, tuple[str, str]] | None = None
) -> Visit:
    """One tap for "all OK" (MT6): every item is marked OK, except the ones the
    engineer marked otherwise first (fixed or not applicable, each with its note),
    which keep their mark. A note typed beside an OK item is kept with it. One
    checklist event says how many items were exceptions."""
    visit = visit_locked(visit)
    require_on_visit(visit, actor)
    require_state(visit, VisitState.CHECKED_IN)
    entries = _checklist_of(visit)
    given = exceptions or {}
    marks: dict[int, tuple[str, str]] = {}
    for entry in entries:
        mark, note = given.get(entry.item_id, ("", ""))
        mark = (mark or "").strip()
        if mark and mark != ChecklistMark.OK:
            marks[entry.item_id] = (mark, note)
        elif entry.mark and entry.mark != ChecklistMark.OK and entry.item_id not in given:
            # Marked otherwise earlier and not sent now: an earlier exception stays one.
            marks[entry.item_id] = (entry.mark, entry.note)
        else:
            marks[entry.item_id] = (ChecklistMark.OK, note or (entry.note if entry.mark == ChecklistMark.OK else ""))
    excepted = sum(1 for mark, _note in marks.values() if mark != ChecklistMark.OK)
    _marks_apply(visit, actor, entries, marks, data={"all_ok": True, "exceptions": excepted})
    return visit


def _checklist_of(visit: Visit) -> list[VisitChecklistEntry]:
    entries = list(visit.checklist_entries.select_related("item"))
    if not entries:
        raise ActionRefused(_("This visit has no checklist."))
    return entries


def _marks_apply(
    visit: Visit,
    actor: User,
    entries: list[VisitChecklistEntry],
    marks: Mapping[int, tuple[str, str]],
    *,
    data: dict[str, object],
) -> None:
    """Check and write the marks, then record one checklist event (none when nothing changed)."""
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
        visit_event_record(
            visit=visit,
            kind=VisitEvent.Kind.CHECKLIST,
            actor=actor,
            at=now,
            is_public=False,
            data={"changed": len(changed), "open": len(checklist_problems(entries)), **data},
        )


def require_checklist_done(visit: Visit) -> None:
    problems = checklist_problems(visit.checklist_entries.select_related("item"))
    if problems:
        raise ActionRefused(
            _("The checklist is not complete. Mark every item (with a note where needed): %(items)s.")
            % {"items": ", ".join(problems)},
            field="checklist",
        )


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
    visit = visit_locked(visit)
    require_on_visit(visit, actor)
    require_state(visit, VisitState.CHECKED_IN, VisitState.COMPLETED)
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
    visit_event_record(
        visit=visit,
        kind=VisitEvent.Kind.REQUEST_TAKEN,
        actor=actor,
        data={"ticket_id": ticket.pk, "title": ticket.title},
    )
    return ticket


@transaction.atomic
def visit_attach(*, visit: Visit, actor: User, files: Iterable[UploadedFile]) -> list[VisitAttachment]:
    """Photos and files from the phone, checked like ticket attachments."""
    visit = visit_locked(visit)
    require_on_visit(visit, actor)
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
    visit_event_record(
        visit=visit,
        kind=VisitEvent.Kind.FILE_ADDED,
        actor=actor,
        at=now,
        is_public=False,
        data={"names": [a.original_name for a in stored]},
    )
    return stored
