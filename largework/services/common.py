"""What the large-work services share: the timeline kinds they write, the plan
lock, and who may edit a plan."""
from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from tickets.permissions import is_staff

from ..models import WorkPlan


class PlanEvent:
    """Ticket timeline kinds of a plan's life (read by largework.presenters)."""

    CREATED = "plan_created"
    SUBMITTED = "plan_submitted"
    APPROVED = "plan_approved"
    RETURNED = "plan_returned"
    REVISED = "plan_revised"
    WINDOW_DONE = "plan_window_done"
    WINDOW_POSTPONED = "plan_window_postponed"
    REPORT_SUBMITTED = "plan_report_submitted"

    ALL = (CREATED, SUBMITTED, APPROVED, RETURNED, REVISED, WINDOW_DONE, WINDOW_POSTPONED, REPORT_SUBMITTED)


def plan_locked(plan: WorkPlan) -> WorkPlan:
    # Two people deciding on one plan at once must not both pass its state check.
    return WorkPlan.objects.select_for_update(of=("self",)).select_related("current", "ticket").get(pk=plan.pk)


def can_edit_plan(user: User, plan: WorkPlan) -> bool:
    """The plan's owner, and the team leads who see its request."""
    return is_staff(user) and (plan.owner_id == user.pk or user.has_perm("tickets.lead_team"))


def require_plan_editor(user: User, plan: WorkPlan) -> None:
    if not can_edit_plan(user, plan):
        raise ActionRefused(_("Only the plan's owner or a team lead can change the plan."))


def can_approve(user: User, plan: WorkPlan) -> bool:
    """An approver of the plan's supervising department (BS2)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_perm("largework.approve_plan")
        and user.department_id == plan.supervising_department_id
    )


def approvers_of(plan: WorkPlan) -> list[User]:
    """The active approvers of the plan's supervising department."""
    return list(
        User.objects.filter(is_active=True, department_id=plan.supervising_department_id)
        .filter(
            Q(groups__permissions__codename="approve_plan", groups__permissions__content_type__app_label="largework")
            | Q(user_permissions__codename="approve_plan", user_permissions__content_type__app_label="largework")
        )
        .distinct()
        .order_by("pk")
    )


# Where a notice about a plan takes its reader: each audience has its own page.
def staff_link(plan: WorkPlan) -> str:
    return reverse("largework:plan", args=[plan.pk])


def approver_link(plan: WorkPlan) -> str:
    return reverse("largework:approval", args=[plan.pk])


def customer_link(plan: WorkPlan) -> str:
    return reverse("largework:customer_plan", args=[plan.pk])
