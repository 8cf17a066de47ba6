"""The staff directory (OV1, PH2): who is who, searchable by name, number or department."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from helpdesk.core.input_bounds import text_param

from .. import selectors
from .shared import page


@login_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    q = text_param(request.GET.get("q"))
    return render(request, "desk/directory.html", {"q": q, "page_obj": page(request, selectors.staff_directory(q))})
