"""The auditors' pages (CR2): the case list, a case, and its actions.

Every view reads through `audits.selectors.cases_for` / `case_for`, which is a
404 for anyone who is not an auditor (an administrator included, anonymous
too: the URL does not even admit that the case exists). Every page of a case
that is shown is logged (`case_view_record`).
"""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.core.errors import ActionRefused

from ..forms import DecideForm, FindingsForm
from ..models import AuditCase, CaseState
from ..selectors import case_for, case_history, case_view_log, cases_for
from ..services import case_decide, case_findings_record, case_take, case_view_record

PAGE_SIZE = 25
VIEW_LOG_SHOWN = 50


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in CaseState.values:
        state = ""
    page = Paginator(cases_for(request.user, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "audits/case_list.html", {"page": page, "cases": list(page.object_list), "state": state, "states": CaseState.choices}
    )


def _case_page(request: HttpRequest, case: AuditCase, *, status: int = 200, **bound: Any) -> HttpResponse:
    # Logged before the log is read, so the auditor sees their own visit too.
    case_view_record(case=case, viewer=request.user, page=request.get_full_path())
    context = {
        "case": case,
        "report": case.report,
        "history": list(case_history(case)),
        "views": list(case_view_log(case)[:VIEW_LOG_SHOWN]),
        "findings_form": bound.get("findings_form") or FindingsForm(initial={"findings": case.findings}),
        "decide_form": bound.get("decide_form") or DecideForm(initial={"findings": case.findings}),
        "take_error": bound.get("take_error", ""),
    }
    return render(request, "audits/case_detail.html", context, status=status)


@require_GET
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, case_for(request.user, pk))


@require_POST
def case_take_action(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request.user, pk)
    try:
        case_take(case=case, actor=request.user)
    except ActionRefused as exc:
        return _case_page(request, case, status=400, take_error=exc.message)
    messages.success(request, _("You are in charge of this case."))
    return redirect("audits:case", pk=case.pk)


@require_POST
def case_findings_action(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request.user, pk)
    form = FindingsForm(request.POST)
    if form.is_valid():
        try:
            case_findings_record(case=case, actor=request.user, findings=form.cleaned_data["findings"])
        except ActionRefused as exc:
            exc.show_on(form)
        else:
            messages.success(request, _("Findings saved."))
            return redirect("audits:case", pk=case.pk)
    return _case_page(request, case, status=400, findings_form=form)


@require_POST
def case_decide_action(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request.user, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            case_decide(
                case=case,
                actor=request.user,
                decision=form.cleaned_data["decision"],
                findings=form.cleaned_data["findings"],
                action_taken=form.cleaned_data["action_taken"],
            )
        except ActionRefused as exc:
            exc.show_on(form)
        else:
            messages.success(request, _("The case is decided and closed."))
            return redirect("audits:case", pk=case.pk)
    return _case_page(request, case, status=400, decide_form=form)
