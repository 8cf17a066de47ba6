"""Every write to a ticket: one function per state change, each with its timeline event.

Apps above `tickets` react to these changes through `tickets.hooks` (guards,
receivers in the same transaction, work after commit); this module imports none
of them."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import Department, Team, User
from helpdesk.accounts.services import handler_resolve
from helpdesk.core.errors import ActionRefused

from .hooks import Change, TicketChange, changed, guards_check
from .lifecycle import CUSTOMER, FINAL_STATUSES, STAFF, TRANSITIONS_BY_ACTION, Status, transitions_from
from .locks import ticket_locked
from .models import (
    Asset,
    Attachment,
    Channel,
    Comment,
    FaultCategory,
    Kind,
    Priority,
    Ticket,
    TicketEvent,
)
from .timeline import event_record
from .uploads import upload_check


def team_for_department(department: Department) -> Team | None:
    """The maintenance team that serves a department, else the first maintenance team."""
    team = Team.objects.filter(handles_tickets=True, served_departments=department).order_by("pk").first()
    return team or Team.objects.filter(handles_tickets=True).order_by("pk").first()


def _check_category(asset: Asset | None, category: FaultCategory | None) -> None:
    if asset is not None and category is not None and category.asset_type != asset.asset_type:
        raise ActionRefused(
            _("The category %(category)s is not for a %(type)s.")
            % {"category": category.label, "type": asset.get_asset_type_display()},
            field="category",
        )


@transaction.atomic
def ticket_create(
    *,
    actor: User,
    title: str,
    reporter_department: Department | None,
    reporter_name: str,
    reporter: User | None = None,
    kind: str = Kind.FAULT,
    channel: str = Channel.WEB,
    priority: str = Priority.NORMAL,
    description: str = "",
    contact_phone: Any = "",
    asset: Asset | None = None,
    asset_other: str = "",
    category: FaultCategory | None = None,
    symptom_answers: list[dict[str, Any]] | None = None,
    requested_by: datetime | None = None,
    attachments: Iterable[UploadedFile] = (),
) -> Ticket:
    """Open a ticket. CC2: the reporter's department and name are required."""
    if reporter_department is None:
        raise ActionRefused(_("The reporter's department is required."), field="reporter_department")
    if not reporter_name.strip():
        raise ActionRefused(_("The reporter's name is required."), field="reporter_name")
    if not title.strip():
        raise ActionRefused(_("A title is required."), field="title")
    if kind == Kind.FAULT and asset is None and not asset_other.strip():
        raise ActionRefused(_("Choose the equipment, or describe it under 'other'."), field="asset")
    _check_category(asset, category)
    files = list(attachments)
    for f in files:
        upload_check(f)
    now = timezone.now()
    ticket = Ticket.objects.create(
        kind=kind,
        channel=channel,
        priority=priority,
        title=title.strip(),
        description=description,
        reporter=reporter,
        reporter_name=reporter_name.strip(),
        reporter_department=reporter_department,
        reporter_is_vip=bool(reporter and reporter.is_vip),
        contact_phone=contact_phone or (reporter.phone if reporter else ""),
        asset=asset,
        asset_other=asset_other.strip(),
        category=category,
        symptom_answers=symptom_answers or [],
        requested_by=requested_by,
        team=team_for_department(reporter_department),
        created_by=actor,
        created_at=now,
    )
    event_record(ticket=ticket, kind=TicketEvent.Kind.CREATED, actor=actor, at=now, data={"channel": channel})
    for f in files:
        _attachment_store(ticket=ticket, uploaded_by=actor, file=f, is_public=True, at=now)
    changed(TicketChange(kind=Change.CREATED, ticket=ticket, actor=actor, at=now))
    return ticket


@transaction.atomic
def ticket_assign(*, ticket: Ticket, assignee: User, actor: User) -> Ticket:
    """Give the ticket to a handler; an absent handler's backup gets it instead (OV5)."""
    ticket = ticket_locked(ticket)
    if Status(ticket.status) in FINAL_STATUSES:
        raise ActionRefused(_("A closed or cancelled ticket cannot be assigned."))
    if not assignee.has_perm("tickets.work_ticket"):
        raise ActionRefused(_("%(name)s does not handle tickets.") % {"name": assignee}, field="assignee")
    handler = handler_resolve(user=assignee)
    person = handler.person
    if ticket.assignee_id == person.pk:
        raise ActionRefused(_("%(name)s already handles this ticket.") % {"name": person}, field="assignee")
    previous = ticket.assignee
    old_team_id = ticket.team_id
    ticket.assignee = person
    if person.team_id:
        ticket.team_id = person.team_id
    old_status = ticket.status
    if ticket.status == Status.RECEIVED:
        ticket.status = Status.ASSIGNED
    ticket.save(update_fields=["assignee", "team", "status", "updated_at"])
    now = timezone.now()
    if handler.routed:
        event_record(
            ticket=ticket,
            kind=TicketEvent.Kind.ROUTED_TO_BACKUP,
            actor=actor,
            at=now,
            data={"absent": str(assignee), "backup": str(person), "until": handler.absence.ends_at.isoformat()},
        )
    event_record(
        ticket=ticket,
        kind=TicketEvent.Kind.ASSIGNED,
        actor=actor,
        at=now,
        data={
            "from": str(previous) if previous else "",
            "to": str(person),
            "from_status": old_status,
            "to_status": ticket.status,
        },
    )
    changed(
        TicketChange(
            kind=Change.ASSIGNED,
            ticket=ticket,
            actor=actor,
            at=now,
            old_status=old_status,
            old_assignee_id=previous.pk if previous else None,
            old_team_id=old_team_id,
        )
    )
    return ticket


@transaction.atomic
def ticket_team_move(*, ticket: Ticket, team: Team, actor: User, note: str) -> Ticket:
    """Hand the ticket over to another maintenance team, with the reason.

    The new team decides who handles it, so the handler is cleared and a ticket
    that was only assigned goes back to received; work already under way keeps
    its status (and its deadline, which belongs to the customer, not the team)."""
    ticket = ticket_locked(ticket)
    if Status(ticket.status) in FINAL_STATUSES:
        raise ActionRefused(_("A closed or cancelled ticket cannot be handed over."))
    if not team.handles_tickets:
        raise ActionRefused(_("%(team)s does not handle tickets.") % {"team": team}, field="team")
    if ticket.team_id == team.pk:
        raise ActionRefused(_("The ticket is already with %(team)s.") % {"team": team}, field="team")
    if not note.strip():
        raise ActionRefused(_("Please give a reason."), field="note")
    old_team = ticket.team
    old_assignee_id = ticket.assignee_id
    old_status = ticket.status
    ticket.team = team
    ticket.assignee = None
    if ticket.status == Status.ASSIGNED:
        ticket.status = Status.RECEIVED
    ticket.save(update_fields=["team", "assignee", "status", "updated_at"])
    now = timezone.now()
    event_record(
        ticket=ticket,
        kind=TicketEvent.Kind.TEAM_MOVED,
        actor=actor,
        at=now,
        data={
            "from": str(old_team) if old_team else "",
            "to": str(team),
            "note": note.strip(),
            "from_status": old_status,
            "to_status": ticket.status,
        },
    )
    changed(
        TicketChange(
            kind=Change.TEAM_MOVED,
            ticket=ticket,
            actor=actor,
            at=now,
            old_status=old_status,
            note=note.strip(),
            old_assignee_id=old_assignee_id,
            old_team_id=old_team.pk if old_team else None,
        )
    )
    return ticket


def actor_side(ticket: Ticket, user: User) -> str:
    """Staff act as staff; anyone else only as the reporter of their own ticket."""
    if user.has_perm("tickets.work_ticket"):
        return STAFF
    if ticket.reporter_id == user.pk:
        return CUSTOMER
    raise ActionRefused(_("You cannot change this ticket."))


@transaction.atomic
def ticket_transition(*, ticket: Ticket, action: str, actor: User, note: str = "") -> Ticket:
    """Move the ticket along the lifecycle table — the only place status changes."""
    ticket = ticket_locked(ticket)
    transition = TRANSITIONS_BY_ACTION.get(action)
    side = actor_side(ticket, actor)
    allowed = {t.action for t in transitions_from(ticket.status, side)}
    if transition is None or action not in allowed:
        raise ActionRefused(
            _("This ticket is %(status)s; that action is not allowed now.")
            % {"status": Status(ticket.status).label}
        )
    if transition.needs_note and not note.strip():
        raise ActionRefused(_("Please give a reason."), field="note")
    guards_check(ticket=ticket, transition=transition, actor=actor, note=note)
    now = timezone.now()
    old = ticket.status
    ticket.status = transition.target
    fields = ["status", "updated_at"]
    if transition.target == Status.RESOLVED:
        ticket.resolved_at = now
        fields.append("resolved_at")
    elif transition.target in FINAL_STATUSES:
        ticket.closed_at = now
        fields.append("closed_at")
    elif action == "reopen":
        ticket.resolved_at = None
        ticket.closed_at = None
        fields += ["resolved_at", "closed_at"]
    ticket.save(update_fields=fields)
    event_record(
        ticket=ticket,
        kind=TicketEvent.Kind.STATUS_CHANGED,
        actor=actor,
        at=now,
        data={"from": old, "to": ticket.status, "action": action, "note": note.strip()},
    )
    changed(
        TicketChange(
            kind=Change.TRANSITIONED, ticket=ticket, actor=actor, at=now, action=action, old_status=old, note=note
        )
    )
    return ticket


@transaction.atomic
def ticket_set_priority(*, ticket: Ticket, priority: str, actor: User) -> Ticket:
    ticket = ticket_locked(ticket)
    if priority not in Priority.values:
        raise ActionRefused(_("Unknown priority."), field="priority")
    if not ticket.is_open:
        raise ActionRefused(_("The priority of finished work cannot change."))
    if ticket.priority == priority:
        return ticket
    old = ticket.priority
    ticket.priority = priority
    ticket.save(update_fields=["priority", "updated_at"])
    now = timezone.now()
    event_record(
        ticket=ticket, kind=TicketEvent.Kind.PRIORITY_CHANGED, actor=actor, at=now, data={"from": old, "to": priority}
    )
    changed(TicketChange(kind=Change.PRIORITY_CHANGED, ticket=ticket, actor=actor, at=now, old_status=ticket.status))
    return ticket


def _attachment_store(
    *, ticket: Ticket, uploaded_by: User, file: UploadedFile, is_public: bool, at: datetime
) -> Attachment:
    content_type = upload_check(file)
    attachment = Attachment(
        ticket=ticket,
        original_name=(file.name or "file")[:200],
        size=file.size or 0,
        content_type=content_type,
        is_public=is_public,
        uploaded_by=uploaded_by,
        created_at=at,
    )
    attachment.file.save(file.name or "file", file, save=False)
    attachment.save()
    event_record(
        ticket=ticket,
        kind=TicketEvent.Kind.ATTACHED,
        actor=uploaded_by,
        at=at,
        is_public=is_public,
        attachment=attachment,
        data={"name": attachment.original_name},
    )
    return attachment


@transaction.atomic
def comment_add(
    *,
    ticket: Ticket,
    author: User,
    body: str,
    is_public: bool = True,
    attachments: Iterable[UploadedFile] = (),
) -> Comment:
    """A comment, optionally with files. Customers' comments are always public."""
    side = actor_side(ticket, author)
    if side == CUSTOMER:
        is_public = True
    files = list(attachments)
    if not body.strip() and not files:
        raise ActionRefused(_("Write a comment or attach a file."), field="body")
    for f in files:
        upload_check(f)
    if Status(ticket.status) in FINAL_STATUSES and side == CUSTOMER:
        raise ActionRefused(_("This ticket is finished; reopen it or file a new one."))
    now = timezone.now()
    comment = Comment.objects.create(
        ticket=ticket, author=author, body=body.strip(), is_public=is_public, created_at=now
    )
    if body.strip():
        event_record(
            ticket=ticket, kind=TicketEvent.Kind.COMMENTED, actor=author, at=now, is_public=is_public, comment=comment
        )
    for f in files:
        _attachment_store(ticket=ticket, uploaded_by=author, file=f, is_public=is_public, at=now)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=now)
    changed(
        TicketChange(kind=Change.COMMENTED, ticket=ticket, actor=author, at=now, comment=comment, by_staff=side == STAFF)
    )
    return comment
