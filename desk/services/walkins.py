"""Walk-ins (OV2–OV4): whoever meets the visitor logs them and hands them to the
handler, or to the backup while the handler is away (OV5)."""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import Department, User
from helpdesk.accounts.services import handler_resolve
from helpdesk.core.errors import ActionRefused
from helpdesk.core.times import local_text
from helpdesk.notifications.doors import tell_staff
from tickets.models import Ticket
from tickets.timeline import event_record

from ..models import WalkIn
from .common import DeskEvent, require_staff, require_staff_person


@transaction.atomic
def walk_in_log(
    *,
    actor: User,
    handler: User | None,
    visitor_name: str,
    department: Department | None,
    matter: str,
    visitor: User | None = None,
    ticket: Ticket | None = None,
    now: datetime | None = None,
) -> WalkIn:
    """OV2: any member of staff logs the visitor and routes them to the handler.

    The handler is told at once (OV3: a visitor comes before other work); an
    absent handler's backup gets the visitor instead (OV5)."""
    now = now or timezone.now()
    require_staff(actor)
    if visitor is not None:
        visitor_name = visitor_name.strip() or visitor.display_name
        department = department or visitor.department
    visitor_name = (visitor_name or "").strip()
    if not visitor_name:
        raise ActionRefused(_("Enter the visitor's name."), field="visitor_name")
    if department is None:
        raise ActionRefused(_("Enter the visitor's department."), field="department")
    matter = (matter or "").strip()
    if not matter:
        raise ActionRefused(_("Write down what the visitor needs."), field="matter")
    handler = require_staff_person(handler, field="handler")
    resolved = handler_resolve(user=handler, at=now)
    person = resolved.person
    walk_in = WalkIn.objects.create(
        arrived_at=now,
        met_by=actor,
        visitor=visitor,
        visitor_name=visitor_name[:100],
        department=department,
        matter=matter,
        asked_for=handler if resolved.routed else None,
        routed_to=person,
        via_backup=resolved.routed,
        ticket=ticket,
    )
    if ticket is not None:
        event_record(
            ticket=ticket,
            kind=DeskEvent.WALK_IN,
            actor=actor,
            at=now,
            is_public=True,
            data={"walk_in_id": walk_in.pk, "visitor": walk_in.visitor_name, "handler": person.display_name},
        )
    if person.pk != actor.pk:

        def compose() -> dict[str, str]:
            subject = _("A visitor is waiting for you: %(name)s (%(department)s)") % {
                "name": walk_in.visitor_name,
                "department": department.name,
            }
            lines = [_("Arrived at %(at)s: %(matter)s") % {"at": local_text(now), "matter": matter}]
            if resolved.routed:
                lines.append(_("%(absent)s is away; you are the backup.") % {"absent": handler.display_name})
            return {"subject": subject, "body": "\n".join(lines)}

        tell_staff(
            key=f"desk:walkin:{walk_in.pk}",
            recipients=[person],
            template="generic",
            context=compose,
            link=reverse("desk:walk_ins"),
        )
    return walk_in


@transaction.atomic
def walk_in_serve(*, walk_in: WalkIn, actor: User, now: datetime | None = None) -> WalkIn:
    """OV4: the visitor is being served; the wait from arrival is recorded."""
    now = now or timezone.now()
    require_staff(actor)
    walk_in = WalkIn.objects.select_for_update().get(pk=walk_in.pk)
    if walk_in.served_at is not None:
        server = User.objects.filter(pk=walk_in.served_by_id).first()
        raise ActionRefused(
            _("%(name)s has been serving this visitor since %(at)s.")
            % {"name": server.display_name if server else "-", "at": local_text(walk_in.served_at)}
        )
    walk_in.served_at = max(now, walk_in.arrived_at)
    walk_in.served_by = actor
    walk_in.wait_seconds = int((walk_in.served_at - walk_in.arrived_at).total_seconds())
    walk_in.save(update_fields=["served_at", "served_by", "wait_seconds"])
    return walk_in
