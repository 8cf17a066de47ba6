"""The minute sweep of large-scale work: customers told before each window
(BS3), and the completion report's owner reminded before it is due and the
lead told when it is late (BS4). Each row is claimed with a conditional
update, so a second sweep (or a second worker) does nothing twice."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.accounts.selectors import leads_for
from helpdesk.core.times import local_text
from helpdesk.notifications.doors import tell_customer, tell_staff

from ..models import PlanState, PlanWindow, WindowState, WorkPlan
from .common import customer_link, staff_link

logger = logging.getLogger(__name__)

# Customers hear about a window this long before it starts (or at once when it is sooner).
NOTICE_AHEAD = timedelta(days=2)
BATCH = 200


def _window_notice(window: PlanWindow, now: datetime) -> int:
    plan = window.version.plan
    version = window.version
    people = list(
        User.objects.filter(is_active=True, department__in=version.departments.all()).exclude(pk=plan.contact_id)
    ) + [plan.contact]
    minutes = window.seats_out_minutes
    for person in people:
        tell_customer(
            key=f"largework:window:w{window.pk}:u{person.pk}",
            recipient=person,
            template="generic",
            context=lambda: {
                "subject": _("Planned work: %(title)s, %(when)s") % {"title": version.title, "when": local_text(window.starts_at)},
                "body": _("%(what)s\nFrom %(start)s to %(end)s; each seat is out for about %(minutes)s minutes.\n%(notice)s")
                % {
                    "what": window.what,
                    "start": local_text(window.starts_at),
                    "end": local_text(window.ends_at),
                    "minutes": minutes,
                    "notice": version.customer_notice,
                },
            },
            ticket=plan.ticket,
            channels=("email", "in_app"),
            phone="",
            link=customer_link(plan),
        )
    return len(people)


def window_notices_send(*, now: datetime | None = None) -> int:
    """Tell the customer departments of every approved window starting soon; returns the windows told."""
    now = now or timezone.now()
    due = list(
        PlanWindow.objects.filter(
            notice_sent_at__isnull=True,
            starts_at__lte=now + NOTICE_AHEAD,
            starts_at__gt=now,
            state=WindowState.PLANNED,
            version__plan__state=PlanState.APPROVED,
        )
        .select_related("version", "version__plan", "version__plan__contact", "version__plan__ticket")
        .order_by("starts_at")[:BATCH]
    )
    told = 0
    for window in due:
        if window.version.plan.current_id != window.version_id:
            continue
        with transaction.atomic():
            if PlanWindow.objects.filter(pk=window.pk, notice_sent_at__isnull=True).update(notice_sent_at=now) != 1:
                continue  # another sweep told them
            _window_notice(window, now)
            told += 1
    return told


def _remind(plan: WorkPlan, now: datetime) -> None:
    title = plan.current.title
    due = plan.report_due_at
    tell_staff(
        key=f"largework:report-reminder:p{plan.pk}",
        recipients=[plan.owner],
        template="generic",
        context=lambda: {
            "subject": _("Completion report due %(when)s: %(title)s") % {"when": local_text(due), "title": title},
            "body": _("The written completion report of '%(title)s' is due %(when)s.") % {"title": title, "when": local_text(due)},
        },
        ticket=plan.ticket,
        link=staff_link(plan),
    )


def _escalate(plan: WorkPlan, now: datetime) -> None:
    title = plan.current.title
    due = plan.report_due_at
    people = leads_for(plan.ticket.team, about=plan.owner)
    if not people:
        logger.warning("largework: nobody to tell that the report of plan %s is late", plan.pk)
    tell_staff(
        key=f"largework:report-late:p{plan.pk}",
        recipients=[plan.owner, *people],
        template="generic",
        context=lambda: {
            "subject": _("Completion report overdue: %(title)s") % {"title": title},
            "body": _("The completion report of '%(title)s' by %(owner)s was due %(when)s and has not been submitted.")
            % {"title": title, "owner": plan.owner.display_name, "when": local_text(due)},
        },
        ticket=plan.ticket,
        link=staff_link(plan),
    )


def report_sweep(*, now: datetime | None = None) -> int:
    """Remind before the due time, escalate after it, once each; returns the plans acted on."""
    now = now or timezone.now()
    due = list(
        # A submitted report clears next_check_at (report_submit); the filter is the safety net.
        WorkPlan.objects.filter(next_check_at__lte=now, report__isnull=True, report_due_at__isnull=False)
        .select_related("current", "owner", "owner__team", "ticket", "ticket__team", "ticket__team__lead")
        .order_by("next_check_at")[:BATCH]
    )
    acted = 0
    for plan in due:
        with transaction.atomic():
            late = now >= plan.report_due_at
            following = None if late else plan.report_due_at
            stamp = {"report_escalated_at": now} if late else {"report_reminded_at": now}
            claimed = WorkPlan.objects.filter(pk=plan.pk, next_check_at=plan.next_check_at).update(
                next_check_at=following, **stamp
            )
            if claimed != 1:
                continue
            if late:
                _escalate(plan, now)
            else:
                _remind(plan, now)
            acted += 1
    return acted
