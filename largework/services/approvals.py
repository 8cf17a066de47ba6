"""BS2: the supervising department's approver approves a submitted version or
returns it with a reason; either is a recorded decision (who, when, which
version). Questions go on the plan's thread."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from helpdesk.notifications.doors import tell_customer, tell_staff
from tickets.timeline import event_record

from ..models import Decision, PlanDecision, PlanMessage, PlanState, WorkPlan
from .common import (
    PlanEvent,
    approver_link,
    approvers_of,
    can_approve,
    can_edit_plan,
    customer_link,
    plan_locked,
    staff_link,
)

MAX_MESSAGE = 4000


def _submitted_version(plan: WorkPlan, actor: User):
    if not can_approve(actor, plan):
        raise ActionRefused(_("Only an approver of the supervising department decides on this plan."))
    version = plan.current
    if version is None or version.state != PlanState.SUBMITTED:
        raise ActionRefused(_("There is no submitted version waiting for a decision."))
    return version


@transaction.atomic
def plan_approve(*, plan: WorkPlan, actor: User) -> PlanDecision:
    plan = plan_locked(plan)
    version = _submitted_version(plan, actor)
    now = timezone.now()
    decision = PlanDecision.objects.create(version=version, decision=Decision.APPROVED, decided_by=actor, decided_at=now)
    version.state = PlanState.APPROVED
    version.save(update_fields=["state"])
    plan.state = PlanState.APPROVED
    plan.save(update_fields=["state", "updated_at"])
    event_record(
        ticket=plan.ticket,
        kind=PlanEvent.APPROVED,
        actor=actor,
        at=now,
        is_public=True,
        data={"version": version.number, "by": actor.display_name},
    )
    title = version.title
    tell_staff(
        key=f"largework:approved:p{plan.pk}:v{version.number}",
        recipients=[plan.owner],
        template="generic",
        context=lambda: {
            "subject": _("Plan approved: %(title)s") % {"title": title},
            "body": _("%(approver)s approved version %(n)s; the work may start.")
            % {"approver": actor.display_name, "n": version.number},
        },
        ticket=plan.ticket,
        link=staff_link(plan),
    )
    tell_customer(
        key=f"largework:approved-contact:p{plan.pk}:v{version.number}",
        recipient=plan.contact,
        template="generic",
        context=lambda: {
            "subject": _("The work plan '%(title)s' is approved") % {"title": title},
            "body": _("The plan was approved; you will be told before each work window."),
        },
        ticket=plan.ticket,
        channels=("email", "in_app"),
        link=customer_link(plan),
    )
    return decision


@transaction.atomic
def plan_return(*, plan: WorkPlan, actor: User, reason: str) -> PlanDecision:
    if not reason.strip():
        raise ActionRefused(_("Say why the plan is returned, so it can be revised."), field="reason")
    plan = plan_locked(plan)
    version = _submitted_version(plan, actor)
    now = timezone.now()
    decision = PlanDecision.objects.create(
        version=version, decision=Decision.RETURNED, reason=reason.strip()[:MAX_MESSAGE], decided_by=actor, decided_at=now
    )
    version.state = PlanState.RETURNED
    version.save(update_fields=["state"])
    plan.state = PlanState.RETURNED
    plan.save(update_fields=["state", "updated_at"])
    event_record(
        ticket=plan.ticket,
        kind=PlanEvent.RETURNED,
        actor=actor,
        at=now,
        is_public=False,
        data={"version": version.number, "by": actor.display_name, "note": reason.strip()[:500]},
    )
    title = version.title
    tell_staff(
        key=f"largework:returned:p{plan.pk}:v{version.number}",
        recipients=[plan.owner],
        template="generic",
        context=lambda: {
            "subject": _("Plan returned: %(title)s") % {"title": title},
            "body": _("%(approver)s returned version %(n)s: %(reason)s")
            % {"approver": actor.display_name, "n": version.number, "reason": reason.strip()},
        },
        ticket=plan.ticket,
        link=staff_link(plan),
    )
    return decision


@transaction.atomic
def plan_message_add(*, plan: WorkPlan, actor: User, body: str) -> PlanMessage:
    """A question or an answer on the plan's thread, by its approvers or its editors."""
    if not (can_approve(actor, plan) or can_edit_plan(actor, plan)):
        raise ActionRefused(_("Only the plan's approvers and its owner write on its thread."))
    if not body.strip():
        raise ActionRefused(_("Write a message."), field="body")
    if len(body) > MAX_MESSAGE:
        raise ActionRefused(_("A message has at most %(n)s characters.") % {"n": MAX_MESSAGE}, field="body")
    plan = plan_locked(plan)
    now = timezone.now()
    message = PlanMessage.objects.create(
        plan=plan, version_number=plan.current.number, author=actor, body=body.strip(), created_at=now
    )
    # The approver's message goes to the owner's plan page; the owner's to the approvers' page.
    from_approver = can_approve(actor, plan)
    others = [plan.owner] if from_approver else approvers_of(plan)
    tell_staff(
        key=f"largework:message:m{message.pk}",
        recipients=[p for p in others if p.pk != actor.pk],
        template="generic",
        context=lambda: {
            "subject": _("New message on the plan '%(title)s'") % {"title": plan.current.title},
            "body": f"{actor.display_name}: {message.body}",
        },
        ticket=plan.ticket,
        link=staff_link(plan) if from_approver else approver_link(plan),
    )
    return message
