"""The fault gates, staff side (MT3, MT4): the panel on a ticket and the forms it
posts — identity check, symptom answers, diagnosis and consent taken for the customer.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from helpdesk.core.redirects import safe_next
from tickets.lifecycle import Status
from tickets.models import Ticket
from tickets.selectors import ticket_for_staff

from .. import selectors, services
from ..forms import ConsentRecordForm, DiagnosisForm, IdentityForm, SymptomForm
from .shared import FormT, form_action


def _gates_page(request: HttpRequest, ticket: Ticket, **bound: forms.Form) -> HttpResponse:
    return render(
        request,
        "desk/ticket_gates.html",
        {"ticket": ticket, "bound": bound},
        status=400 if bound else 200,
    )


def _gate_done(request: HttpRequest, ticket: Ticket, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect(safe_next(request, reverse("desk:ticket_gates", args=[ticket.pk])))


def _on_ticket(
    name: str, build: Callable[[HttpRequest, Ticket], FormT], rename: Mapping[str, str] | None = None
) -> Callable[..., Any]:
    """A gate's form posted from the panel; a refusal redraws it with the form bound as `name`."""
    return form_action(lambda request, pk: ticket_for_staff(request.user, pk), _gates_page, name, build, rename)


def _symptom_form(request: HttpRequest, ticket: Ticket) -> SymptomForm:
    gates = selectors.gates_for(ticket, with_questions=True)
    return SymptomForm(request.POST, questions=gates.questions, answers=ticket.symptom_answers)


@login_required
@require_GET
def ticket_gates(request: HttpRequest, pk: int) -> HttpResponse:
    return _gates_page(request, ticket_for_staff(request.user, pk))


@_on_ticket("identity_form", lambda request, ticket: IdentityForm(request.POST))
def identity_record(request: HttpRequest, ticket: Ticket, form: IdentityForm) -> HttpResponse:
    check = services.identity_check_record(ticket=ticket, actor=request.user, **form.cleaned_data)
    return _gate_done(request, ticket, _("Identity confirmed (%(method)s).") % {"method": check.get_method_display()})


@_on_ticket("symptom_form", _symptom_form)
def symptoms_record(request: HttpRequest, ticket: Ticket, form: SymptomForm) -> HttpResponse:
    services.symptom_answers_record(ticket=ticket, actor=request.user, answers=form.answers())
    return _gate_done(request, ticket, _("Symptom answers saved."))


@_on_ticket("diagnosis_form", lambda request, ticket: DiagnosisForm(request.POST), {"expected_minutes": "duration"})
def diagnosis_record(request: HttpRequest, ticket: Ticket, form: DiagnosisForm) -> HttpResponse:
    services.diagnosis_record(
        ticket=ticket,
        actor=request.user,
        findings=form.cleaned_data["findings"],
        expected_minutes=form.expected_minutes(),
        ask_consent=form.cleaned_data["ask_consent"],
    )
    text = (
        _("Diagnosis recorded; the customer has been asked to agree.")
        if form.cleaned_data["ask_consent"]
        else _("Diagnosis recorded.")
    )
    return _gate_done(request, ticket, text)


@_on_ticket("consent_form", lambda request, ticket: ConsentRecordForm(request.POST))
def consent_record(request: HttpRequest, ticket: Ticket, form: ConsentRecordForm) -> HttpResponse:
    consent = services.consent_record(ticket=ticket, actor=request.user, **form.cleaned_data)
    # Recording it starts the repair unless another gate still holds it back.
    started = Ticket.objects.filter(pk=consent.ticket_id, status=Status.IN_PROGRESS).exists()
    text = _("Consent recorded; the repair is now in progress.") if started else _("Consent recorded; the repair can start.")
    return _gate_done(request, ticket, text)
