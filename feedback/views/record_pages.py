"""The employee's own record (commendations and service trainings, CC3/CR3)
and the lead's view of their team's; a training recorded done by the employee
or the lead, and the improvement confirmed by the lead."""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.core.errors import ActionRefused
from helpdesk.core.redirects import safe_next

from .. import figures, selectors
from ..forms import TrainingNoteForm
from ..scope import led_team_ids
from ..services import training_complete, training_confirm

PAGE_SIZE = 20
TABS = ("trainings", "commendations")


def _tab(request: HttpRequest) -> str:
    tab = request.GET.get("tab", "trainings")
    return tab if tab in TABS else "trainings"


def _record(request: HttpRequest, *, bad: dict[str, Any] | None = None) -> HttpResponse:
    tab = "trainings" if bad else _tab(request)
    qs = selectors.my_trainings(request.user) if tab == "trainings" else selectors.my_commendations(request.user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"tab": tab, "page": page, "items": list(page.object_list), "bad": bad or {}}
    return render(request, "feedback/record_me.html", context, status=400 if bad else 200)


@login_required
@permission_required("tickets.work_ticket", raise_exception=True)
@require_GET
def record_me(request: HttpRequest) -> HttpResponse:
    return _record(request)


def _team(request: HttpRequest, *, bad: dict[str, Any] | None = None) -> HttpResponse:
    tab = "trainings" if bad else _tab(request)
    user = request.user
    qs = selectors.team_trainings(user) if tab == "trainings" else selectors.team_commendations(user)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    start = timezone.make_aware(timezone.datetime(today.year, today.month, 1))
    rows = figures.by_engineer(start=start, end=timezone.now(), team_ids=led_team_ids(user))
    context = {"tab": tab, "page": page, "items": list(page.object_list), "bad": bad or {}, "figures": rows, "since": start}
    return render(request, "feedback/record_team.html", context, status=400 if bad else 200)


@login_required
@permission_required("tickets.lead_team", raise_exception=True)
@require_GET
def record_team(request: HttpRequest) -> HttpResponse:
    return _team(request)


@login_required
@require_POST
def training_done(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.training_for_person(request.user, pk)
    form = TrainingNoteForm(request.POST)
    back = safe_next(request, reverse("feedback:me"))
    if form.is_valid():
        try:
            training_complete(assignment=assignment, actor=request.user, note=form.cleaned_data["note"])
        except ActionRefused as refusal:
            refusal.show_on(form)
        else:
            messages.success(request, _("The training was recorded as completed; your team lead is told."))
            return redirect(back)
    bad = {"pk": assignment.pk, "form": form, "action": "done"}
    return _team(request, bad=bad) if back == reverse("feedback:team") else _record(request, bad=bad)


@login_required
@permission_required("tickets.lead_team", raise_exception=True)
@require_POST
def training_confirmed(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.training_for_person(request.user, pk)
    form = TrainingNoteForm(request.POST)
    if form.is_valid():
        try:
            training_confirm(assignment=assignment, actor=request.user, note=form.cleaned_data["note"])
        except ActionRefused as refusal:
            refusal.show_on(form)
        else:
            messages.success(request, _("The improvement was confirmed."))
            return redirect("feedback:team")
    return _team(request, bad={"pk": assignment.pk, "form": form, "action": "confirm"})
