"""CR3: a complaint about an employee upheld (or not, with a reason) by their
lead; an upheld complaint assigns a service training, tracked to completion and
to the lead's confirmation that the service improved."""
from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from helpdesk.core.times import local_text
from helpdesk.notifications.doors import tell_staff

from ..models import Feedback, FeedbackEventKind, FeedbackKind, TrainingAssignment
from ..scope import led_team_ids, may_decide
from .common import event_write, feedback_locked, lead_of, training_days

TEXT_MAX = 2000


@transaction.atomic
def complaint_decide(
    *, feedback: Feedback, actor: User, upheld: bool, reason: str = "", training: str = ""
) -> TrainingAssignment | None:
    """Uphold the complaint and assign `training` (due in `training_due_days`),
    or decline it with `reason`. Only the named employee's lead or section chief."""
    feedback = feedback_locked(feedback)
    employee = feedback.employee
    if feedback.kind != FeedbackKind.COMPLAINT or employee is None:
        raise ActionRefused(_("Only a complaint that names an employee can be upheld."))
    if not may_decide(actor, employee):
        raise ActionRefused(_("Only the employee's team lead or section chief can decide on this complaint."))
    if feedback.upheld is not None:
        raise ActionRefused(_("This complaint has already been decided."))
    reason, training = (reason or "").strip(), (training or "").strip()
    if upheld and not training:
        raise ActionRefused(_("Say which service training the employee is to take."), field="training")
    if not upheld and not reason:
        raise ActionRefused(_("Say why the complaint is not upheld."), field="reason")
    now = timezone.now()
    feedback.upheld, feedback.decision_reason = upheld, reason[:TEXT_MAX]
    feedback.decided_by, feedback.decided_at = actor, now
    feedback.save(update_fields=["upheld", "decision_reason", "decided_by", "decided_at"])
    if not upheld:
        event_write(feedback, FeedbackEventKind.NOT_UPHELD, actor, now, reason)
        return None
    assignment = TrainingAssignment.objects.create(
        employee=employee,
        complaint=feedback,
        team=employee.team,
        training=training[:300],
        assigned_by=actor,
        assigned_at=now,
        due_at=now + timedelta(days=training_days()),
    )
    event_write(feedback, FeedbackEventKind.UPHELD, actor, now, training)
    due = assignment.due_at
    tell_staff(
        key=f"feedback:training-assigned:t{assignment.pk}",
        recipients=[employee],
        template="generic",
        context=lambda: {
            "subject": _("Service training assigned: %(training)s") % {"training": assignment.training},
            "body": _("After an upheld complaint, please complete '%(training)s' by %(when)s and record what was done.")
            % {"training": assignment.training, "when": local_text(due)},
        },
        link=reverse("feedback:me"),
    )
    return assignment


def training_locked(assignment: TrainingAssignment) -> TrainingAssignment:
    return (
        TrainingAssignment.objects.select_for_update(of=("self",))
        .select_related("employee", "employee__team", "employee__team__lead", "complaint")
        .get(pk=assignment.pk)
    )


@transaction.atomic
def training_complete(*, assignment: TrainingAssignment, actor: User, note: str) -> TrainingAssignment:
    """The training done: recorded by the employee or their lead, with what was done; the lead is told."""
    assignment = training_locked(assignment)
    is_lead = assignment.team_id is not None and assignment.team_id in led_team_ids(actor) and actor.pk != assignment.employee_id
    if actor.pk != assignment.employee_id and not is_lead:
        raise ActionRefused(_("Only the employee or their team lead can record the training."))
    if assignment.completed_at is not None:
        raise ActionRefused(_("This training is already recorded as completed."))
    note = (note or "").strip()
    if not note:
        raise ActionRefused(_("Say what training was done."), field="note")
    now = timezone.now()
    assignment.completed_at, assignment.completed_by, assignment.done_note = now, actor, note[:TEXT_MAX]
    assignment.save(update_fields=["completed_at", "completed_by", "done_note"])
    event_write(assignment.complaint, FeedbackEventKind.TRAINING_DONE, actor, now, note)
    employee = assignment.employee
    tell_staff(
        key=f"feedback:training-done:t{assignment.pk}",
        recipients=[lead_of(employee.team, about=employee)],
        template="generic",
        context=lambda: {
            "subject": _("%(name)s completed a service training") % {"name": employee.display_name},
            "body": _("%(training)s: %(note)s") % {"training": assignment.training, "note": assignment.done_note},
        },
        link=reverse("feedback:team"),
    )
    return assignment


@transaction.atomic
def training_confirm(*, assignment: TrainingAssignment, actor: User, note: str) -> TrainingAssignment:
    """The lead confirms the employee's service improved after the training."""
    assignment = training_locked(assignment)
    if actor.pk == assignment.employee_id or assignment.team_id not in led_team_ids(actor):
        raise ActionRefused(_("Only the employee's team lead can confirm the improvement."))
    if assignment.completed_at is None:
        raise ActionRefused(_("The training has not been completed yet."))
    if assignment.confirmed_at is not None:
        raise ActionRefused(_("The improvement has already been confirmed."))
    note = (note or "").strip()
    if not note:
        raise ActionRefused(_("Say what improved."), field="note")
    now = timezone.now()
    assignment.confirmed_at, assignment.confirmed_by, assignment.confirm_note = now, actor, note[:TEXT_MAX]
    assignment.save(update_fields=["confirmed_at", "confirmed_by", "confirm_note"])
    event_write(assignment.complaint, FeedbackEventKind.TRAINING_CONFIRMED, actor, now, note)
    return assignment
