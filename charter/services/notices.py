"""MT1: the advance delay notice — the reason and the new expected date, told at once."""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from helpdesk.core.times import iso_or_empty, local_text
from helpdesk.notifications.doors import tell_customer
from standards.business_calendar import CalendarRangeError
from standards.selectors import calendar_for, standard_by_id
from tickets.locks import ticket_lock
from tickets.models import Ticket, TicketEvent
from tickets.timeline import event_record

from .. import notify
from ..models import DelayNotice
from .deadlines import DEADLINE_FIELDS, reschedule, too_far_message


@transaction.atomic
def delay_notice_file(
    *, ticket: Ticket, actor: User, reason: str, new_date: datetime | None, now: datetime | None = None
) -> DelayNotice:
    """File a delay notice and tell the customer by e-mail, SMS and in the portal.

    Before the deadline the new date becomes the committed date (a new deadline
    version, so the warning/escalation ladder starts again from it). After the
    deadline the notice is still sent but recorded as late: it counts against
    compliance and the missed date stays the committed one."""
    now = now or timezone.now()
    locked = ticket_lock(ticket.pk, related=("assignee", "assignee__team", "team"))
    if locked is None:
        raise Ticket.DoesNotExist(ticket.pk)
    ticket = locked
    if not actor.has_perm("tickets.work_ticket"):
        raise ActionRefused(_("Only staff can file a delay notice."))
    if not ticket.is_open:
        raise ActionRefused(_("This work is finished; there is no deadline to move."))
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("Tell the customer why the work is late."), field="reason")
    if new_date is None:
        raise ActionRefused(_("Give the new expected date."), field="new_date")
    if new_date <= now:
        raise ActionRefused(_("The new expected date must be in the future."), field="new_date")
    current = ticket.resolve_by
    latest = (
        DelayNotice.objects.filter(ticket=ticket, deadline_version=ticket.deadline_version)
        .order_by("-new_deadline")
        .values_list("new_deadline", flat=True)
        .first()
    )
    floor = max(d for d in (current, latest) if d is not None) if (current or latest) else None
    if floor is not None and new_date <= floor:
        raise ActionRefused(
            _("The new expected date must be after the current deadline (%(deadline)s).") % {"deadline": local_text(floor)},
            field="new_date",
        )

    late = current is not None and now > current
    notice = DelayNotice.objects.create(
        ticket=ticket,
        reason=reason,
        old_deadline=current,
        new_deadline=new_date,
        filed_by=actor,
        filed_at=now,
        was_late=late,
        deadline_version=ticket.deadline_version,
    )
    if not late:
        ticket.resolve_by = new_date
        ticket.resolve_by_from_notice = True
        # The new window starts now; a pause in progress continues in it.
        ticket.clock_started_at = now
        ticket.paused_business_seconds = 0
        if ticket.paused_at is not None:
            ticket.paused_at = now
        ticket.deadline_version += 1
        ticket.escalation_level = 0
        standard = standard_by_id(ticket.standard_version_id)
        if standard is not None:
            try:
                reschedule(ticket, standard, calendar_for(standard), done=set())
            except CalendarRangeError:
                # The form bounds the date; this keeps any other caller from
                # storing a deadline the sweep could never compute.
                raise ActionRefused(too_far_message(), field="new_date") from None
        else:
            ticket.next_check_at = None
        ticket.save(update_fields=DEADLINE_FIELDS)
    event_record(
        ticket=ticket,
        kind=TicketEvent.Kind.DELAY_NOTICE,
        actor=actor,
        at=now,
        is_public=True,
        # "note" is what the shared timeline template prints as the reason.
        data={"note": reason, "from": iso_or_empty(current), "to": iso_or_empty(new_date), "late": late},
    )
    tell_customer(
        key=notify.notice_key("delay_notice", ticket.pk, notice.pk, notice.deadline_version, ticket.reporter_id or 0),
        recipient=ticket.reporter,
        template="delay_notice",
        context=notify.notice_context(
            ticket, deadline=current, reason=reason, new_date=new_date, for_customer=True
        ),
        ticket=ticket,
    )
    return notice
