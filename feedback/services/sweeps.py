"""The feedback sweep (beat, every minute): feedback not answered by its due
time, and service trainings not completed by theirs, are reported to the lead
once each. Each row is claimed with a conditional update (`overdue_told_at`
still empty), so a second sweep or a second worker tells nobody twice; a row
whose notice fails is pushed forward (stamped) and logged instead of blocking
the ones behind it."""
from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.selectors import lead_book
from helpdesk.core.times import local_text
from helpdesk.notifications.doors import tell_staff

from ..models import Feedback, TrainingAssignment
from .common import staff_link

logger = logging.getLogger(__name__)
BATCH = 200


def _tell_feedback_overdue(feedback: Feedback, recipients: list) -> None:
    kind, when = feedback.get_kind_display, feedback.due_at
    tell_staff(
        key=f"feedback:overdue:f{feedback.pk}",
        recipients=recipients,
        template="generic",
        context=lambda: {
            "subject": _("Feedback not answered in time: %(kind)s from %(customer)s")
            % {"kind": kind(), "customer": feedback.customer_name},
            "body": _("The answer was due %(when)s.") % {"when": local_text(when)},
        },
        link=staff_link(feedback),
    )


def _tell_training_overdue(assignment: TrainingAssignment, recipients: list) -> None:
    employee, when = assignment.employee, assignment.due_at
    tell_staff(
        key=f"feedback:training-overdue:t{assignment.pk}",
        recipients=recipients,
        template="generic",
        context=lambda: {
            "subject": _("Service training overdue: %(name)s") % {"name": employee.display_name},
            "body": _("'%(training)s' was due %(when)s.") % {"training": assignment.training, "when": local_text(when)},
        },
        link=reverse("feedback:team"),
    )


def _feedback_overdue(now: datetime) -> int:
    due = list(
        Feedback.objects.filter(answered_at__isnull=True, overdue_told_at__isnull=True, due_at__lte=now)
        .select_related("team", "team__lead", "handler", "employee")
        .order_by("due_at")[:BATCH]
    )
    book = lead_book([f.team for f in due])
    told = 0
    for feedback in due:
        try:
            with transaction.atomic():
                if Feedback.objects.filter(pk=feedback.pk, overdue_told_at__isnull=True).update(overdue_told_at=now) != 1:
                    continue
                leads = book.leads_for(feedback.team, about=feedback.employee)
                if not leads:
                    logger.warning("feedback: nobody to tell that feedback %s is overdue", feedback.pk)
                _tell_feedback_overdue(feedback, [*leads, feedback.handler])
                told += 1
        except Exception:  # one bad row must not stop the sweep: stamp it and go on
            logger.exception("feedback: overdue notice for %s failed", feedback.pk)
            Feedback.objects.filter(pk=feedback.pk, overdue_told_at__isnull=True).update(overdue_told_at=now)
    return told


def _trainings_overdue(now: datetime) -> int:
    due = list(
        TrainingAssignment.objects.filter(completed_at__isnull=True, overdue_told_at__isnull=True, due_at__lte=now)
        .select_related("team", "team__lead", "employee")
        .order_by("due_at")[:BATCH]
    )
    book = lead_book([t.team for t in due])
    told = 0
    for assignment in due:
        try:
            with transaction.atomic():
                claimed = TrainingAssignment.objects.filter(pk=assignment.pk, overdue_told_at__isnull=True).update(
                    overdue_told_at=now
                )
                if claimed != 1:
                    continue
                _tell_training_overdue(assignment, book.leads_for(assignment.team, about=assignment.employee))
                told += 1
        except Exception:
            logger.exception("feedback: overdue notice for training %s failed", assignment.pk)
            TrainingAssignment.objects.filter(pk=assignment.pk, overdue_told_at__isnull=True).update(overdue_told_at=now)
    return told


def feedback_sweep_once(*, now: datetime | None = None) -> int:
    """Tell the leads of overdue feedback and trainings, once each; returns how many were told."""
    now = now or timezone.now()
    return _feedback_overdue(now) + _trainings_overdue(now)
