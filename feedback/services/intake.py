"""CP1, CC1, CC3: feedback received from the portal or taken by the desk."""
from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import Department, User
from helpdesk.core.errors import ActionRefused
from helpdesk.notifications.doors import tell_staff
from tickets.models import Ticket
from tickets.permissions import is_staff
from tickets.selectors import tickets_visible_to
from tickets.uploads import upload_check

from ..models import Feedback, FeedbackChannel, FeedbackEventKind, FeedbackKind
from ..scope import DESK_PERM
from .common import desk_team, event_write, feedback_due, lead_of, staff_link

BODY_MAX = 4000


def _ticket_checked(actor: User, customer: User | None, ticket: Ticket | None) -> Ticket | None:
    """A customer names only their own request; the desk any it can see."""
    if ticket is None:
        return None
    if actor.has_perm(DESK_PERM):
        if not tickets_visible_to(actor).filter(pk=ticket.pk).exists():
            raise ActionRefused(_("That request was not found."), field="ticket")
    elif customer is None or ticket.reporter_id != customer.pk:
        raise ActionRefused(_("That request was not found."), field="ticket")
    return ticket


def _employee_checked(employee: User | None) -> User | None:
    if employee is not None and not (employee.is_active and is_staff(employee)):
        raise ActionRefused(_("Choose a member of staff."), field="employee")
    return employee


@transaction.atomic
def feedback_file(
    *,
    actor: User,
    kind: str,
    body: str,
    channel: str = FeedbackChannel.PORTAL,
    customer: User | None = None,
    customer_name: str = "",
    customer_department: Department | None = None,
    contact_phone: str = "",
    ticket: Ticket | None = None,
    employee: User | None = None,
    attachment: UploadedFile | None = None,
) -> Feedback:
    """Receive a suggestion, complaint or commendation.

    From the portal the actor is the customer (channel "portal"); the desk
    (`tickets.intake_ticket`) enters what came by phone, e-mail, letter or in
    person, for a customer with an account or by name and department. A
    complaint or commendation about a request names its handler when no
    employee is chosen. The handler is the named employee's lead, else the
    desk team's lead; the answer is due in `feedback_due_business_days`.
    """
    if kind not in FeedbackKind.values:
        raise ActionRefused(_("Choose what kind of feedback this is."), field="kind")
    if channel not in FeedbackChannel.values:
        raise ActionRefused(_("Choose how the feedback arrived."), field="channel")
    body = (body or "").strip()
    if not body:
        raise ActionRefused(_("Write what you would like to tell us."), field="body")
    if len(body) > BODY_MAX:
        raise ActionRefused(_("Keep it within %(n)s characters.") % {"n": BODY_MAX}, field="body")
    on_behalf = actor.has_perm(DESK_PERM) and customer != actor
    if not on_behalf:
        customer, channel = actor, FeedbackChannel.PORTAL
    elif channel == FeedbackChannel.PORTAL:
        raise ActionRefused(_("Say how the customer reached the desk."), field="channel")
    if customer is not None:
        customer_name = customer.display_name
        customer_department = customer.department
    customer_name = (customer_name or "").strip()
    if not customer_name:
        raise ActionRefused(_("Enter the customer's name."), field="customer_name")
    ticket = _ticket_checked(actor, customer, ticket)
    employee = _employee_checked(employee)
    if employee is None and ticket is not None and kind != FeedbackKind.SUGGESTION:
        employee = ticket.assignee
    if kind == FeedbackKind.COMMENDATION and employee is None:
        raise ActionRefused(_("Choose the employee you would like to commend."), field="employee")
    if employee is not None and employee.pk == actor.pk:
        raise ActionRefused(_("You cannot name yourself."), field="employee")
    content_type = upload_check(attachment) if attachment is not None else ""
    del content_type  # checked; served as a download whatever it is

    now = timezone.now()
    team = employee.team if employee is not None and employee.team_id else desk_team()
    handler = lead_of(team, about=employee)
    feedback = Feedback(
        kind=kind,
        channel=channel,
        customer=customer,
        customer_name=customer_name[:100],
        customer_department=customer_department,
        contact_phone=(contact_phone or "").strip()[:30],
        ticket=ticket,
        employee=employee,
        body=body,
        team=team,
        handler=handler,
        due_at=feedback_due(now),
        created_by=actor,
        created_at=now,
    )
    if attachment is not None:
        feedback.attachment_name = (attachment.name or "")[:200]
        feedback.attachment.save(attachment.name or "scan", attachment, save=False)
    feedback.save()
    event_write(feedback, FeedbackEventKind.FILED, actor, now, feedback.get_channel_display())
    _tell_on_filing(feedback)
    return feedback


def _tell_on_filing(feedback: Feedback) -> None:
    kind_label = feedback.get_kind_display
    if feedback.kind == FeedbackKind.COMMENDATION:
        # CC3: the employee and their lead hear of it.
        employee = feedback.employee
        tell_staff(
            key=f"feedback:commended:f{feedback.pk}",
            recipients=[employee, feedback.handler],
            template="generic",
            context=lambda: {
                "subject": _("A customer commended %(name)s") % {"name": employee.display_name},
                "body": _("%(customer)s wrote: %(body)s") % {"customer": feedback.customer_name, "body": feedback.body},
            },
            link=staff_link(feedback),
        )
        return
    tell_staff(
        key=f"feedback:filed:f{feedback.pk}",
        recipients=[feedback.handler],
        template="generic",
        context=lambda: {
            "subject": _("New %(kind)s from %(customer)s") % {"kind": kind_label(), "customer": feedback.customer_name},
            "body": feedback.body,
        },
        link=staff_link(feedback),
    )
