"""The charter scoreboard's pages (IM1): the board of every measured promise,
and the list of rows behind each figure.

Section chiefs and admins see every team, team leads their own teams, an
engineer their own row; anyone else gets a 404 (the page does not exist for
them). Views parse, call the selectors, render.
"""
from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from helpdesk.core.paging import CappedPaginator

from .filters import Filters, filters_parse
from .lists import describe_all, measure_rows
from .measures import BY_KEY
from .rollup import local_today
from .selectors import board_for, board_teams, may_view_board, standard_for

PAGE_SIZE = 25
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
