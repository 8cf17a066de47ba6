"""Placeholder views; the staff pages are being written."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from tickets.selectors import ticket_for_staff

from ..selectors import plan_for_staff
from ..services import plan_create


@login_required
@require_POST
def plan_open(request: HttpRequest, ticket_pk: int) -> HttpResponse:
    ticket = ticket_for_staff(request.user, ticket_pk)
    plan = plan_create(ticket=ticket, actor=request.user, contact=ticket.reporter or request.user)
    return redirect("largework:plan", plan.pk)


@login_required
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for_staff(request.user, pk)
    return HttpResponse(str(get_object_or_404(type(plan), pk=plan.pk)))
