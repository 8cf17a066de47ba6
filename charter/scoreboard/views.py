"""The charter scoreboard's pages (IM1): the board of every measured promise,
the list of rows behind each figure, and the monthly charter reports (the
list of months with their downloads, and generating a month again).

Section chiefs and admins see every team, team leads their own teams, an
engineer their own row; anyone else gets a 404 (the page does not exist for
them). Views parse, call the selectors, render.
"""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.core.errors import ActionRefused
from helpdesk.core.paging import CappedPaginator

from .filters import Filters, filters_parse
from .forms import ReportMonthForm
from .lists import describe_all, measure_rows
from .measures import BY_KEY
from .periods import period_of
from .report import (
    FORMATS,
    file_name,
    may_generate_reports,
    may_see_reports,
    report_for,
    reports_link,
    reports_page,
)
from .rollup import local_today
from .selectors import board_for, board_teams, may_view_board, sees_teams, standard_for
from .services import monthly_report_generate

PAGE_SIZE = 25
REPORTS_PAGE_SIZE = 24
VERDICT_CLASSES = {"met": "success", "missed": "danger", "no_target": "secondary", "no_data": "light"}


def _filters(request: HttpRequest) -> Filters:
    if not may_view_board(request.user):
        raise Http404
    return filters_parse(request.GET, request.user, board_teams(request.user), local_today())


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    result = board_for(filters.scope, filters.period)
    return render(
        request,
        "charter/scoreboard/board.html",
        {
            "board": result,
            "filters": filters,
            "query": filters.query(),
            "previous_query": filters.shifted(-1),
            "next_query": filters.shifted(1) if filters.period.last < local_today() else "",
            "verdict_classes": VERDICT_CLASSES,
            "kinds": [("week", "week"), ("month", "month"), ("quarter", "quarter"), ("year", "year")],
            "reports_url": reverse("charter:scoreboard:reports") if sees_teams(request.user) else "",
        },
    )


@login_required
@require_GET
def measure_list(request: HttpRequest, key: str) -> HttpResponse:
    measure = BY_KEY.get(key)
    if measure is None:
        raise Http404
    filters = _filters(request)
    missed = request.GET.get("missed") == "1"
    standard = standard_for(filters.period)
    rows = measure_rows(measure, filters.period, filters.scope, standard, missed=missed)
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "measure": measure,
        "filters": filters,
        "query": filters.query(),
        "missed": missed,
        "page": page,
        "rows": describe_all(measure, page.object_list),
        "judged": measure.kind == "rate",
    }
    return render(request, "charter/scoreboard/list.html", context)


# --- The monthly charter reports ------------------------------------------------------------------


def _reports_page(
    request: HttpRequest, form: ReportMonthForm | None = None, status: int = 200
) -> HttpResponse:
    reports = reports_page(request.user)
    may_generate = may_generate_reports(request.user)
    if may_generate and form is None:
        form = ReportMonthForm()
    page = Paginator(reports, REPORTS_PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        "reports": page.object_list,
        "form": form if may_generate else None,
    }
    return render(request, "charter/scoreboard/reports.html", context, status=status)


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    return _reports_page(request)


@login_required
@require_GET
def report_file(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    report = report_for(request.user, pk)
    if fmt not in FORMATS:
        raise Http404
    stored = report.xlsx if fmt == "xlsx" else report.pdf
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, ValueError):  # ValueError: no file recorded
        raise Http404 from None
    # A download with its Korean name (RFC 6266/5987 filename*), never shown in our origin.
    return FileResponse(
        handle, as_attachment=True, filename=file_name(report, fmt), content_type=FORMATS[fmt]
    )


@login_required
@require_POST
def report_generate(request: HttpRequest) -> HttpResponse:
    if not may_see_reports(request.user):
        raise Http404  # as the list: the page does not exist for them
    if not may_generate_reports(request.user):
        raise PermissionDenied
    form = ReportMonthForm(request.POST)
    if form.is_valid():
        try:
            report = monthly_report_generate(month=form.cleaned_data["month"], actor=request.user)
        except ActionRefused as exc:
            exc.show_on(form)
        else:
            month = period_of("month", report.month).label()
            messages.success(request, _("The charter report for %(month)s was generated.") % {"month": month})
            return redirect(reports_link(report))
    return _reports_page(request, form, status=400)
