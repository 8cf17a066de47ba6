"""Display helpers of the plan pages, and the approver's count in the navigation.

{% load plan_tags %}
{% approvals_waiting user as waiting %}   (base.html, only for approvers)
{{ plan.state|plan_state_colour }}  {{ window.state|window_state_colour }}
"""
from __future__ import annotations

from django import template

from helpdesk.accounts.models import User

from ..models import PlanState, WindowState
from ..selectors import approval_queue

register = template.Library()

_PLAN_COLOURS = {
    PlanState.DRAFT: "secondary",
    PlanState.SUBMITTED: "warning",
    PlanState.RETURNED: "danger",
    PlanState.APPROVED: "success",
}
_WINDOW_COLOURS = {
    WindowState.PLANNED: "info",
    WindowState.DONE: "success",
    WindowState.POSTPONED: "warning",
}


@register.filter
def plan_state_colour(state: str) -> str:
    return _PLAN_COLOURS.get(state, "secondary")


@register.filter
def window_state_colour(state: str) -> str:
    return _WINDOW_COLOURS.get(state, "secondary")


@register.simple_tag
def approvals_waiting(user: User) -> int:
    """Plans waiting for this approver's decision (one query; base.html asks only for approvers)."""
    if not user.is_authenticated or not user.has_perm("largework.approve_plan"):
        return 0
    return approval_queue(user).count()
