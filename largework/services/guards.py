"""The lifecycle's guards for large-scale work (registered in largework.receivers)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from helpdesk.core.errors import ActionRefused
from tickets.models import Kind

from ..models import CompletionReport, PlanState, WorkPlan

if TYPE_CHECKING:
    from helpdesk.accounts.models import User
    from tickets.lifecycle import Transition
    from tickets.models import Ticket


def approved_plan_guard(*, ticket: Ticket, transition: Transition, actor: User, note: str) -> None:
    """Large-scale work starts only with its current plan approved by the supervising department."""
    if ticket.kind != Kind.LARGE_WORK or transition.action != "start_work":
        return
    plan = WorkPlan.objects.filter(ticket_id=ticket.pk).select_related("current", "supervising_department").first()
    if plan is None:
        raise ActionRefused(_("Large-scale work starts only with an approved plan: write the plan first."))
    version = plan.current
    if plan.state == PlanState.APPROVED:
        return
    if plan.state == PlanState.SUBMITTED:
        message = _("Version %(n)s of the plan is waiting for approval by %(department)s.")
    elif plan.state == PlanState.RETURNED:
        message = _("%(department)s returned version %(n)s of the plan; revise it and submit it again.")
    elif version is not None and version.number > 1:
        message = _("The plan was changed after approval: version %(n)s must be submitted to %(department)s and approved first.")
    else:
        message = _("The plan is a draft: submit version %(n)s to %(department)s for approval first.")
    raise ActionRefused(message % {"n": version.number if version else 1, "department": plan.supervising_department})


def completion_report_guard(*, ticket: Ticket, transition: Transition, actor: User, note: str) -> None:
    """Large-scale work is resolved only with its written completion report submitted."""
    if ticket.kind != Kind.LARGE_WORK or transition.action != "resolve":
        return
    if not CompletionReport.objects.filter(plan__ticket_id=ticket.pk).exists():
        raise ActionRefused(
            _("Large-scale work is closed by its written completion report: submit the report with its documents first.")
        )
