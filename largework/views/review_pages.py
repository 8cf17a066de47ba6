"""The approver's pages (BS2: the queue of plans to decide on, and the decision
page) and the customer contact's read-only page of a plan (BS3: its windows,
their progress and the report), with the download of the report's files.

Views only parse the request, call a selector or a service and render; a
service's refusal is shown beside the field it concerns with what was typed kept.
Scope is the selectors': an approver sees only the plans of the department they
supervise, a customer only the plans of their department or where they are the
contact; anything else is a 404.
"""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.core.errors import ActionRefused

from .. import selectors
from ..forms_review import MessageForm, ReturnForm
from ..models import PlanState, WindowState, WorkPlan
from ..services import plan_approve, plan_message_add, plan_return

PAGE_SIZE = 25
TABS = ("waiting", "decided", "reports")


# --- The approver's queue ----------------------------------------------------------------------


@login_required
@permission_required("largework.approve_plan", raise_exception=True)
@require_GET
def approval_queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    tab = request.GET.get("tab", "waiting")
    if tab not in TABS:
        tab = "waiting"
    context: dict[str, Any] = {"tab": tab, "department": user.department}
    if tab == "waiting":
        page = Paginator(selectors.with_queue_facts(selectors.approval_queue(user)), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        plans = list(page.object_list)
        people = selectors.people_by_pk([p.submitted_by_id for p in plans])
        for plan in plans:
            plan.submitted_by = people.get(plan.submitted_by_id) or plan.owner
        context.update(page=page, plans=plans, waiting=page.paginator.count)
    elif tab == "decided":
        page = Paginator(selectors.decided_recently(user), PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, decisions=list(page.object_list), recent_days=selectors.RECENT_DAYS)
    else:
        page = Paginator(selectors.reports_received(user), PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(page=page, reports=list(page.object_list))
    if "waiting" not in context:
        context["waiting"] = selectors.approval_queue(user).count()
    return render(request, "largework/review_queue.html", context)


# --- The decision page --------------------------------------------------------------------------


def _history(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """Each version, newest first, with the decisions taken on it."""
    by_version: dict[int, list[Any]] = {}
    for decision in detail["decisions"]:
        by_version.setdefault(decision.version_id, []).append(decision)
    return [{"version": v, "decisions": by_version.get(v.pk, [])} for v in detail["versions"]]


def _decision_page(
    request: HttpRequest,
    plan: WorkPlan,
    *,
    return_form: ReturnForm | None = None,
    message_form: MessageForm | None = None,
    approve_error: str = "",
) -> HttpResponse:
    detail = selectors.plan_detail(plan)
    # `messages` is the page's flash messages (base.html): the thread goes by another name.
    thread = detail.pop("messages")
    report = detail["report"]
    refused = bool(approve_error or (return_form and return_form.errors) or (message_form and message_form.errors))
    context: dict[str, Any] = {
        **detail,
        "plan": plan,
        "ticket": plan.ticket,
        "thread": thread,
        "history": _history(detail),
        "progress": selectors.windows_progress(plan),
        "can_decide": plan.state == PlanState.SUBMITTED,
        "return_form": return_form or ReturnForm(),
        "message_form": message_form or MessageForm(),
        "approve_error": approve_error,
        "attachments": list(report.attachments.all()) if report else [],
        "report_pdf": reverse("largework:report_pdf", args=[plan.pk]) if report else None,
        "report_xlsx": reverse("largework:report_xlsx", args=[plan.pk]) if report else None,
    }
    return render(request, "largework/review_plan.html", context, status=400 if refused else 200)


@login_required
@permission_required("largework.approve_plan", raise_exception=True)
@require_GET
def approval_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision_page(request, selectors.plan_for_approver(request.user, pk))


@login_required
@permission_required("largework.approve_plan", raise_exception=True)
@require_POST
def approval_approve(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_approver(request.user, pk)
    try:
        decision = plan_approve(plan=plan, actor=request.user)
    except ActionRefused as exc:
        return _decision_page(request, plan, approve_error=exc.message)
    messages.success(
        request, _("Version %(n)s of the plan is approved; the team may start the work.") % {"n": decision.version.number}
    )
    return redirect("largework:approval", pk=plan.pk)


@login_required
@permission_required("largework.approve_plan", raise_exception=True)
@require_POST
def approval_return(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_approver(request.user, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            decision = plan_return(plan=plan, actor=request.user, reason=form.cleaned_data["reason"])
        except ActionRefused as exc:
            exc.show_on(form)
        else:
            messages.success(
                request,
                _("Version %(n)s of the plan is returned; the team lead is told your reason.")
                % {"n": decision.version.number},
            )
            return redirect("largework:approval", pk=plan.pk)
    return _decision_page(request, plan, return_form=form)


@login_required
@permission_required("largework.approve_plan", raise_exception=True)
@require_POST
def approval_message(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_approver(request.user, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            plan_message_add(plan=plan, actor=request.user, body=form.cleaned_data["body"])
        except ActionRefused as exc:
            exc.show_on(form)
        else:
            messages.success(request, _("Your question is on the plan's thread; its owner is told."))
            return redirect(reverse("largework:approval", args=[plan.pk]) + "#thread")
    return _decision_page(request, plan, message_form=form)


# --- The customer's page ------------------------------------------------------------------------


def _customer_status(plan: WorkPlan, progress: dict[str, int], has_report: bool) -> str:
    """Where the plan stands, in the customer's words."""
    department = plan.supervising_department
    if has_report:
        return _("The work is complete. The written report is below.")
    if plan.state == PlanState.APPROVED:
        if progress.get(WindowState.PLANNED, 0):
            return _(
                "The plan is approved. The work is done in the times below; you are told before each one."
            )
        return _("All the work times are over. The team is writing the completion report.")
    if plan.state == PlanState.SUBMITTED:
        return _("The plan is waiting for approval by %(department)s. The times below may still change.") % {
            "department": department
        }
    if plan.state == PlanState.RETURNED:
        return _("%(department)s asked for changes to the plan; the team is revising it.") % {
            "department": department
        }
    if plan.current is not None and plan.current.number > 1:
        return _("The team is changing the plan; the new version needs approval again before the work goes on.")
    return _("The team is writing the plan. You will see the times here once it is ready.")


@login_required
@require_GET
def customer_plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_customer(request.user, pk)
    detail = selectors.plan_detail(plan)
    report = detail["report"]
    progress = selectors.windows_progress(plan)
    context = {
        "plan": plan,
        "ticket": plan.ticket,
        "version": detail["version"],
        "departments": detail["departments"],
        "windows": detail["windows"],
        "report": report,
        "attachments": list(report.attachments.all()) if report else [],
        # The written report downloads for its readers (plan_for_reader lets the customer in).
        "report_pdf": reverse("largework:report_pdf", args=[plan.pk]) if report else None,
        "report_xlsx": reverse("largework:report_xlsx", args=[plan.pk]) if report else None,
        "progress": progress,
        "status_text": _customer_status(plan, progress, report is not None),
        "is_reporter": plan.ticket.reporter_id == request.user.pk,
    }
    return render(request, "largework/customer_plan.html", context)


# --- The report's files -------------------------------------------------------------------------


@login_required
@require_GET
def report_file(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.report_attachment_for_reader(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Served as a download with its original name (RFC 6266 filename*): never run in our origin.
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)
