"""The team lead's dashboard: figures, the fragment htmx refreshes, drill-down
lists with their exports, and the root-cause form (MT5).

Views parse the request, call the selectors (or the one service) and render.
Only people with `tickets.lead_team` see the dashboard; what they see is
limited to their teams by the selectors.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from helpdesk.accounts.phones import phone_format
from helpdesk.core.errors import ActionRefused
from tickets.selectors import ticket_for_staff

from ..repeats import repeat_status, root_cause_record
from . import selectors
from .exports import FORMATS, export_response
from .forms import RootCauseForm, filters_parse, int_param
from .html import figures_html

PAGE_SIZE = 25
REFRESH_SECONDS = 60

TITLES: dict[str, Any] = {
    "open": gettext_lazy("Open work"),
    "overdue": gettext_lazy("Overdue"),
    "due_soon": gettext_lazy("Due within two business hours"),
    "warnings": gettext_lazy("At the warning point"),
    "due_today": gettext_lazy("Due today"),
    "vip": gettext_lazy("Open VIP work"),
    "unassigned": gettext_lazy("Unassigned"),
    "escalated": gettext_lazy("Escalated"),
    "opened": gettext_lazy("Opened in the period"),
    "closed": gettext_lazy("Closed in the period"),
    "breached": gettext_lazy("Deadlines passed in the period"),
    "repeat_at_risk": gettext_lazy("Repeat faults: equipment at risk"),
    "repeat_escalated": gettext_lazy("Repeat faults: escalated"),
    "late_visits": gettext_lazy("Late visits today"),
    "callbacks": gettext_lazy("Overdue callbacks"),
    "plans_waiting": gettext_lazy("Plans waiting for approval"),
    "reports_due": gettext_lazy("Completion reports due"),
}


def _scope(request: HttpRequest) -> dict[str, Any]:
    teams = selectors.dashboard_teams(request.user)
    filters, form, notices = filters_parse(request.GET, teams)
    team_ids = selectors.team_ids_for(teams, filters)
    return {
        "teams": teams,
        "filters": filters,
        "filter_form": form,
        "notices": notices,
        "team_ids": team_ids,
        "moments": selectors.moments_at(),
        "query": urlencode(filters.query()),
    }


def _figures_context(request: HttpRequest) -> dict[str, Any]:
    scope = _scope(request)
    m, team_ids = scope["moments"], scope["team_ids"]
    snapshots, as_of = selectors.snapshots_for(team_ids, m)
    trend = selectors.trend_for(team_ids, scope["filters"].period, m, snapshots)
    figures = selectors.figures_for(team_ids, m, snapshots)
    return {
        **scope,
        "figures": figures,
        # The cards and the load table's rows, drawn in Python (see html.py).
        **figures_html(figures, scope["query"]),
        "trend": trend,
        "totals": trend.totals,
        "chart_data": {
            **trend.chart_data(),
            "names": {"opened": _("Opened"), "closed": _("Closed"), "breached": _("Deadlines passed")},
        },
        "refresh_seconds": REFRESH_SECONDS,
        "updated_at": timezone.localtime(as_of),
    }


@login_required
@permission_required("tickets.lead_team", raise_exception=True)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "charter/dashboard/dashboard.html", _figures_context(request))


@login_required
@permission_required("tickets.lead_team", raise_exception=True)
@require_GET
def dashboard_figures(request: HttpRequest) -> HttpResponse:
    """The figures alone, for htmx to swap in every minute without a full reload."""
    return render(request, "charter/dashboard/_figures.html", _figures_context(request))


# --- Drill-down lists and exports -----------------------------------------------------------


def _ticket_rows(qs: Any) -> Iterator[Sequence[Any]]:
    for t in qs.iterator(chunk_size=2000):
        yield [
            t.number,
            t.title,
            t.get_status_display(),
            t.get_priority_display(),
            t.team.name if t.team else "",
            t.assignee.display_name if t.assignee else "",
            t.reporter_name,
            t.reporter_department.name,
            _("VIP") if t.reporter_is_vip else "",
            t.created_at,
            t.resolve_by,
            t.escalation_level or "",
        ]


def _ticket_headers() -> list[str]:
    return [
        _("Ticket"), _("Title"), _("Status"), _("Priority"), _("Team"), _("Handler"), _("Reporter"),
        _("Department"), _("VIP"), _("Received"), _("Committed date"), _("Escalation level"),
    ]


def _repeat_rows(qs: Any) -> Iterator[Sequence[Any]]:
    for e in qs.iterator(chunk_size=2000):
        yield [
            e.asset.tag,
            e.category.label,
            e.team.name if e.team else "",
            e.occurrence_count,
            e.get_state_display(),
            e.window_start,
            e.last_occurrence_at,
            e.escalated_at,
        ]


def _repeat_headers() -> list[str]:
    return [
        _("Asset tag"), _("Fault category"), _("Team"), _("Occurrences"), _("State"), _("Window start"),
        _("Last occurrence"), _("Escalated at"),
    ]


def _visit_rows(qs: Any) -> Iterator[Sequence[Any]]:
    for v in qs.iterator(chunk_size=2000):
        yield [
            v.ticket.number,
            v.ticket.title,
            v.engineer.display_name,
            v.companion.display_name if v.companion else "",
            v.agreed_start,
            v.checked_in_at,
            v.punctuality_minutes if v.punctuality_minutes is not None else "",
            _("yes") if v.late_without_notice else "",
            v.get_state_display(),
        ]


def _visit_headers() -> list[str]:
    return [
        _("Ticket"), _("Title"), _("Engineer"), _("Companion"), _("Agreed start"), _("Checked in"),
        _("Minutes late"), _("Late without notice"), _("State"),
    ]


def _callback_rows(qs: Any) -> Iterator[Sequence[Any]]:
    for memo in qs.iterator(chunk_size=2000):
        yield [
            memo.caller_name,
            memo.department.name,
            phone_format(memo.phone),
            memo.matter,
            memo.for_handler.display_name,
            memo.taken_at,
            memo.due_at,
        ]


def _callback_headers() -> list[str]:
    return [_("Caller"), _("Department"), _("Phone"), _("Matter"), _("Calls back"), _("Taken at"), _("Call back by")]


def _plan_rows(qs: Any) -> Iterator[Sequence[Any]]:
    for plan in qs.iterator(chunk_size=2000):
        ticket = plan.ticket
        yield [
            ticket.number,
            plan.current.title if plan.current else ticket.title,
            plan.current.number if plan.current else "",
            plan.get_state_display(),
            ticket.team.name if ticket.team else "",
            plan.owner.display_name,
            ticket.reporter_department.name if ticket.reporter_department else "",
            plan.supervising_department.name,
            plan.submitted_at,
            plan.report_due_at,
        ]


def _plan_headers() -> list[str]:
    return [
        _("Ticket"), _("Title"), _("Version"), _("State"), _("Team"), _("Plan owner"), _("Department"),
        _("Supervising department"), _("Submitted"), _("Report due"),
    ]


@login_required
@permission_required("tickets.lead_team", raise_exception=True)
@require_GET
def dashboard_list(request: HttpRequest, name: str) -> HttpResponse:
    if name not in selectors.LIST_NAMES:
        raise Http404
    scope = _scope(request)
    team_ids, m, filters = scope["team_ids"], scope["moments"], scope["filters"]
    level = int_param(request.GET, "level")
    engineer = int_param(request.GET, "engineer")
    kind = "tickets"
    if name in ("repeat_at_risk", "repeat_escalated"):
        qs: Any = selectors.repeat_fault_list(team_ids, name, m)
        kind, headers, rows = "repeats", _repeat_headers(), _repeat_rows
    elif name == "late_visits":
        qs = selectors.visit_list(team_ids, m)
        kind, headers, rows = "visits", _visit_headers(), _visit_rows
    elif name == "callbacks":
        qs = selectors.callbacks_overdue_qs(team_ids, m)
        kind, headers, rows = "callbacks", _callback_headers(), _callback_rows
    elif name in selectors.PLAN_LISTS:
        qs = selectors.plan_list(team_ids, name, m)
        kind, headers, rows = "plans", _plan_headers(), _plan_rows
    else:
        qs = selectors.ticket_list(team_ids, name, m, level=level, engineer=engineer, period=filters.period)
        headers, rows = _ticket_headers(), _ticket_rows
    title = str(TITLES[name])
    if level is not None and name == "escalated":
        title = _("%(title)s: level %(level)s") % {"title": title, "level": level}
    params = {**filters.query(), **({"level": level} if level else {}), **({"engineer": engineer} if engineer else {})}
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        stamp = timezone.localtime(m.now).strftime("%Y%m%d-%H%M")
        return export_response(fmt, headers=headers, rows=rows(qs), filename=f"{name}-{stamp}", title=title)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **scope,
        "name": name,
        "title": title,
        "kind": kind,
        "page": page,
        "params": urlencode(params),
        "now": m.now,
    }
    if kind == "repeats":
        context["repeat_rows"] = selectors.repeat_rows(page.object_list)
    return render(request, "charter/dashboard/list.html", context)


# --- MT5: the root-cause record -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def root_cause(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_for_staff(request.user, pk)
    status = repeat_status(ticket)
    if status is None:
        raise Http404
    if request.method == "POST":
        form = RootCauseForm(request.POST)
        if form.is_valid():
            try:
                root_cause_record(ticket=ticket, actor=request.user, **form.cleaned_data)
            except ActionRefused as exc:
                exc.show_on(form)
            else:
                messages.success(request, _("The root cause is recorded."))
                target = reverse("staff:ticket_detail", args=[ticket.pk]) + "#repeat-fault"
                if getattr(request, "htmx", False):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                    return response
                return redirect(target)
    else:
        record = status.root_cause
        initial = (
            {"cause": record.cause, "action_taken": record.action_taken, "prevention": record.prevention}
            if record
            else {}
        )
        form = RootCauseForm(initial=initial)
    return render(request, "charter/dashboard/root_cause.html", {"ticket": ticket, "status": status, "form": form})
