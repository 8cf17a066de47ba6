"""The staff side. (Placeholder: being built.)"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    return HttpResponse("todo")


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    return HttpResponse("todo")


@login_required
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse("todo")
