"""The staff's pages of a large-work plan (BS2–BS4): open it from the ticket,
edit its content and windows, submit it for approval, record each window, talk
with the approver on its thread, write the completion report, and download the
report as PDF or Excel.

Views parse the request, call one selector or service, and render. Who sees a
plan is the selectors' business (`plan_for_staff` is a 404 for a plan of a
request the user does not see); what may happen to it is the services'. A
refusal is shown beside the field it concerns, on the form that was sent, drawn
again bound so that everything typed stays.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.core.errors import ActionRefused
from tickets.selectors import ticket_for_staff

from .. import exports
from ..forms import MessageForm, PlanEditForms, PlanForm, ReportForm, SubmitForm, WindowForm, WindowRecordForm
from ..models import CompletionReport, PlanState, PlanWindow, WindowState, WorkPlan
from ..selectors import plan_detail, plan_for_reader, plan_for_staff, window_engineers, window_for_staff
from ..services import (
    plan_create,
    plan_message_add,
    plan_save,
    plan_submit,
    report_submit,
    window_record,
    window_visit_book,
)
from ..services.asset_import import assets_from_file
from ..services.common import can_edit_plan, require_plan_editor

# Assets in scope shown per page (an imported list has up to 2,000).
ASSETS_PER_PAGE = 50


class WindowRow(NamedTuple):
    window: PlanWindow
    form: WindowRecordForm | None
    started: bool
    # BS3: a visit can be booked for a window still to come of the approved plan.
    can_book_visit: bool = False


def _back(plan: WorkPlan, anchor: str = "") -> HttpResponse:
    url = reverse("largework:plan", args=[plan.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


# --- Opening the plan from the ticket -------------------------------------------------------


@login_required
@require_POST
def plan_open(request: HttpRequest, ticket_pk: int) -> HttpResponse:
    ticket = ticket_for_staff(request.user, ticket_pk)
    try:
        plan = plan_create(ticket=ticket, actor=request.user, contact=ticket.reporter or request.user)
    except ActionRefused as exc:
        # The ticket page has no form for this: the refusal goes on top of it.
        messages.error(request, exc.message)
        return redirect("staff:ticket_detail", pk=ticket.pk)
    messages.success(request, _("The plan is open: write its content and windows, then submit it for approval."))
    return redirect("largework:plan_edit", pk=plan.pk)


# --- The plan page ---------------------------------------------------------------------------


def _plan_page(request: HttpRequest, plan: WorkPlan, **bound: Any) -> HttpResponse:
    """The plan page; an action that failed passes its bound form so the typed text stays."""
    user = request.user
    detail = plan_detail(plan)
    version = detail["version"]
    windows: list[PlanWindow] = detail["windows"]  # type: ignore[assignment]
    report: CompletionReport | None = detail["report"]  # type: ignore[assignment]
    can_edit = can_edit_plan(user, plan)
    ticket_open = plan.ticket.is_open
    approved = plan.state == PlanState.APPROVED
    record_forms: dict[int, WindowRecordForm] = bound.get("record_forms", {})
    now = timezone.now()
    rows = [
        WindowRow(
            window,
            (record_forms.get(window.pk) or WindowRecordForm(prefix=f"w{window.pk}"))
            if can_edit and approved and ticket_open and window.state == WindowState.PLANNED
            else None,
            # A window not begun can only be postponed (the service refuses "done"): its form stays folded.
            started=window.starts_at <= now,
            can_book_visit=can_edit
            and approved
            and ticket_open
            and window.state == WindowState.PLANNED
            and window.visit_id is None
            and window.starts_at > now,
        )
        for window in windows
    ]
    progress = Counter(w.state for w in windows)
    all_recorded = bool(windows) and not progress[WindowState.PLANNED]
    report_form = None
    if report is None and can_edit and approved and all_recorded:
        report_form = bound.get("report_form") or ReportForm()
    latest_decision = next((d for d in detail["decisions"] if d.version_id == plan.current_id), None)  # type: ignore[attr-defined]
    assets_page = Paginator(detail["assets"], ASSETS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "plan": plan,
        "ticket": plan.ticket,
        # Not "messages": that name is the flash messages' (base.html).
        "thread": detail.pop("messages"),
        **detail,
        "rows": rows,
        "engineers": window_engineers(plan) if any(row.can_book_visit for row in rows) else [],
        "progress": {state: progress[state] for state in WindowState.values},
        "all_recorded": all_recorded,
        "can_edit": can_edit and ticket_open,
        "can_submit": can_edit and ticket_open and version is not None and version.state == PlanState.DRAFT,
        "latest_decision": latest_decision,
        "assets_page": assets_page,
        "report_form": report_form,
        "message_form": (bound.get("message_form") or MessageForm()) if can_edit else None,
        "submit_form": bound.get("submit_form") or SubmitForm(),
        "action_failed": bool(bound),
    }
    return render(request, "largework/staff_plan.html", context)


@login_required
@require_GET
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, plan_for_staff(request.user, pk))


# --- Editing ----------------------------------------------------------------------------------


def _edit_page(request: HttpRequest, plan: WorkPlan, forms: PlanEditForms, *, file_dropped: bool = False) -> HttpResponse:
    version = plan.current
    context = {
        "plan": plan,
        "ticket": plan.ticket,
        "version": version,
        "forms": forms,
        "plan_form": forms.plan_form,
        "formset": forms.windows,
        "window_rows": forms.rows(),
        # Begun or recorded windows are kept as they are by plan_save: shown, not edited.
        "kept_windows": list(
            version.windows.filter(Q(starts_at__lte=timezone.now()) | ~Q(state=WindowState.PLANNED))
        )
        if version is not None
        else [],
        "window_errors": forms.window_errors,
        "file_dropped": file_dropped,
        # Saving a version that was submitted writes the next one, to be approved again (BS2).
        "makes_new_version": version is not None and version.state != PlanState.DRAFT,
        "action_failed": forms.plan_form.is_bound,
    }
    return render(request, "largework/staff_plan_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for_staff(request.user, pk)
    try:
        require_plan_editor(request.user, plan)
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return _back(plan)
    if plan.ticket.closed_at is not None:  # the service's rule, said before anything is typed
        messages.error(request, _("The request is finished; its plan can no longer change."))
        return _back(plan)
    if request.method == "GET":
        detail = plan_detail(plan)
        version = detail["version"]
        forms = PlanEditForms(
            plan,
            initial=PlanForm.initial_for(version, detail["departments"]),  # type: ignore[arg-type]
            # Windows that have begun stay as recorded (plan_save keeps them); the rows are those to come.
            windows_initial=[
                WindowForm.initial_for(w)
                for w in detail["windows"]  # type: ignore[union-attr]
                if w.state == WindowState.PLANNED and w.starts_at > timezone.now()
            ],
        )
        return _edit_page(request, plan, forms)

    forms = PlanEditForms(plan, request.POST, request.FILES)
    if forms.is_valid():
        c = forms.plan_form.cleaned_data
        try:
            assets = assets_from_file(c["asset_file"]) if c.get("asset_file") else None
            version = plan_save(
                plan=plan,
                actor=request.user,
                title=c["title"],
                departments=list(c["departments"]),
                scope=c["scope"],
                seats=c["seats"],
                staffing=c["staffing"],
                risks=c["risks"],
                customer_notice=c["customer_notice"],
                windows=forms.windows.windows(),
                assets=assets,
            )
        except ActionRefused as exc:
            forms.refuse(exc)
        else:
            messages.success(request, _("Version %(n)s of the plan is saved.") % {"n": version.number})
            return _back(plan)
    # Browsers never send a file twice: say so beside the file field.
    return _edit_page(request, plan, forms, file_dropped=bool(request.FILES.get("asset_file")))


# --- Submitting, recording, the thread, the report -------------------------------------------


@login_required
@require_POST
def plan_submit_action(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for_staff(request.user, pk)
    form = SubmitForm(request.POST)
    try:
        plan = plan_submit(plan=plan, actor=request.user)
    except ActionRefused as exc:
        exc.show_on(form)
        return _plan_page(request, plan, submit_form=form)
    messages.success(
        request,
        _("Version %(n)s is submitted to %(department)s for approval.")
        % {"n": plan.current.number, "department": plan.supervising_department.name},
    )
    return _back(plan)


@login_required
@require_POST
def window_record_action(request: HttpRequest, pk: int) -> HttpResponse:
    window = window_for_staff(request.user, pk)
    plan = plan_for_staff(request.user, window.version.plan_id)
    form = WindowRecordForm(request.POST, prefix=f"w{window.pk}")
    if form.is_valid():
        done = form.cleaned_data["outcome"] == WindowRecordForm.DONE
        try:
            window_record(window=window, actor=request.user, done=done, note=form.cleaned_data["note"])
        except ActionRefused as exc:
            if window.version_id != plan.current_id:
                # A window of an older version is not on the page to show the refusal beside.
                messages.error(request, exc.message)
                return _back(plan, "windows")
            exc.show_on(form)
        else:
            messages.success(request, _("The window is recorded as done.") if done else _("The window is recorded as postponed."))
            return _back(plan, "windows")
    return _plan_page(request, plan, record_forms={window.pk: form})


@login_required
@require_POST
def window_visit_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Book the engineer's visit for a window; a refusal is said at the top of the plan page."""
    window = window_for_staff(request.user, pk)
    plan = plan_for_staff(request.user, window.version.plan_id)
    engineer = next((p for p in window_engineers(plan) if str(p.pk) == request.POST.get("engineer", "")), None)
    if engineer is None:
        messages.error(request, _("Choose the engineer who goes on this window."))
        return _back(plan, "windows")
    try:
        window_visit_book(window=window, engineer=engineer, actor=request.user)
    except ActionRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The visit is booked; the engineer and the customer are told."))
    return _back(plan, "windows")


@login_required
@require_POST
def plan_message(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for_staff(request.user, pk)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            plan_message_add(plan=plan, actor=request.user, body=form.cleaned_data["body"])
        except ActionRefused as exc:
            exc.show_on(form)
        else:
            messages.success(request, _("Message sent."))
            return _back(plan, "thread")
    return _plan_page(request, plan, message_form=form)


@login_required
@require_POST
def plan_report(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for_staff(request.user, pk)
    form = ReportForm(request.POST, request.FILES)
    if form.is_valid():
        c = form.cleaned_data
        try:
            report_submit(
                plan=plan,
                actor=request.user,
                summary=c["summary"],
                by_department=c["by_department"],
                exceptions=c["exceptions"],
                follow_ups=c["follow_ups"],
                attachments=c["attachments"],
            )
        except ActionRefused as exc:
            exc.show_on(form, ReportForm.FIELDS)
        else:
            messages.success(request, _("The completion report is submitted to the approver and the customer's contact."))
            return _back(plan, "report")
    if request.FILES.getlist("attachments"):
        # Browsers never send a file twice; the typed text is kept, the files are not.
        form.add_error("attachments", _("Everything else you typed is kept; please choose the files again."))
    return _plan_page(request, plan, report_form=form)


# --- Downloads, for anyone who may read the plan ------------------------------------------------


def _reported_plan(request: HttpRequest, pk: int) -> WorkPlan:
    plan = plan_for_reader(request.user, pk)
    if not hasattr(plan, "report"):  # no report yet: nothing to download
        raise Http404
    return plan


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _report_name(plan: WorkPlan, extension: str) -> str:
    return f"{_('Completion report')} {plan.ticket_id}.{extension}"


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _reported_plan(request, pk)
    return _download(exports.report_pdf(plan), "application/pdf", _report_name(plan, "pdf"))


@login_required
@require_GET
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _reported_plan(request, pk)
    return _download(
        exports.report_xlsx(plan),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _report_name(plan, "xlsx"),
    )

