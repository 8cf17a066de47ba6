"""Placeholder views; the approver's and customer's pages are being written."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from ..selectors import approval_queue as queue
from ..selectors import plan_for_approver, plan_for_customer


@login_required
def approval_queue(request: HttpRequest) -> HttpResponse:
    return HttpResponse(", ".join(str(p) for p in queue(request.user)[:50]))


@login_required
def approval_page(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(str(plan_for_approver(request.user, pk)))


@login_required
def customer_plan(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(str(plan_for_customer(request.user, pk)))
