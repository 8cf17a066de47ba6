"""IM2: one survey after finished work — a resolved ticket, or large work's
completion report (its customer contact) — unless the customer had one within
the standard's quiet period; sent by e-mail, SMS and in the app with its signed link."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import Team, User
from helpdesk.notifications.doors import tell_customer
from largework.models import WorkPlan
from tickets.models import Ticket
from tickets.timeline import event_record

from ..links import survey_link
from ..models import Survey, SurveyKind
from .common import SurveyEvent, survey_rules


def _quiet(customer: User, now: datetime, quiet_days: int) -> bool:
    """Whether the customer had a survey within the quiet period. Their row is
    locked first, so two resolutions at once cannot both send one."""
    User.objects.select_for_update().filter(pk=customer.pk).first()
    return Survey.objects.filter(customer=customer, sent_at__gt=now - timedelta(days=quiet_days)).exists()


def _send(
    *,
    kind: str,
    customer: User,
    ticket: Ticket,
    plan: WorkPlan | None,
    team: Team | None,
    handler: User | None,
    phone: str | None,
    now: datetime,
) -> Survey | None:
    rules = survey_rules()
    if _quiet(customer, now, rules.quiet_days):
        return None
    survey = Survey.objects.create(
        kind=kind,
        ticket=None if plan is not None else ticket,
        work_plan=plan,
        customer=customer,
        team=team,
        handler=handler,
        sent_at=now,
        expires_at=now + timedelta(days=rules.valid_days),
    )
    event_record(ticket=ticket, kind=SurveyEvent.SENT, actor=None, at=now, is_public=True, data={"survey": survey.pk})
    title = ticket.title
    tell_customer(
        key=f"surveys:sent:s{survey.pk}",
        recipient=customer,
        template="generic",
        context=lambda: {
            "subject": _("How did we do? %(title)s") % {"title": title},
            "body": _("Please rate our service in one tap (1 to 5); no sign-in needed. The link works once."),
        },
        ticket=ticket,
        link=survey_link(survey.pk),
        phone=phone,
    )
    return survey


@transaction.atomic
def survey_for_ticket(*, ticket: Ticket, at: datetime | None = None) -> Survey | None:
    """The survey of a resolved ticket's reporter; None when they have no
    account or were asked within the quiet period."""
    customer = ticket.reporter
    if customer is None or not customer.is_active:
        return None  # a caller without an account cannot be asked through a page of ours
    return _send(
        kind=SurveyKind.TICKET,
        customer=customer,
        ticket=ticket,
        plan=None,
        team=ticket.team,
        handler=ticket.assignee,
        phone=None,  # the number given on the ticket
        now=at or timezone.now(),
    )


@transaction.atomic
def survey_for_plan(*, plan: WorkPlan, at: datetime | None = None) -> Survey | None:
    """The survey of a large-work plan's customer contact once its completion
    report is in; at most one per plan, whichever path asks first."""
    if Survey.objects.filter(work_plan=plan).exists():
        return None
    contact = plan.contact
    if not contact.is_active:
        return None
    ticket = plan.ticket
    return _send(
        kind=SurveyKind.LARGE_WORK,
        customer=contact,
        ticket=ticket,
        plan=plan,
        team=ticket.team,
        handler=plan.owner,
        phone=str(contact.phone) if contact.phone else "",
        now=at or timezone.now(),
    )
