"""The desk's panels for pages other apps own, so those views need no changes:

    {% load desk_tags %}
    {% desk_staff_panel ticket request.user %}     staff ticket page: identity, symptoms, diagnosis, consent
    {% desk_customer_panel ticket request.user %}  customer's ticket page: estimate, "I agree", who covers (OV5)
    {% walkins_waiting request.user %}             top of the work queue: visitors waiting (OV3)
"""
from __future__ import annotations

from typing import Any

from django import template
from django.template.context import Context
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from tickets.lifecycle import Status
from tickets.models import Kind

from ..forms import ConsentRecordForm, DiagnosisForm, IdentityForm, SymptomForm
from ..models import IdentityMethod
from ..presenters import duration_text, wait_text
from ..selectors import cover_for, gates_for, walk_ins_waiting_for

register = template.Library()

DIAGNOSIS_STATUSES = (Status.DIAGNOSING, Status.AWAITING_CONSENT)


@register.filter
def duration(minutes: int | None) -> str:
    return duration_text(minutes)


@register.filter
def wait(seconds: int | float | None) -> str:
    return wait_text(seconds)


@register.filter
def waited_since(moment: Any) -> str:
    if not moment:
        return ""
    return wait_text((timezone.now() - moment).total_seconds())


def _request(context: Context) -> Any:
    return context.get("request")


def _here(context: Context, fallback: str) -> str:
    """Where a panel's form returns to: the page showing it. A page re-rendered
    after a failed POST (at the action's URL) keeps the original target."""
    request = _request(context)
    if request is None:
        return fallback
    if request.method == "GET":
        return request.get_full_path()
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@register.inclusion_tag("desk/_staff_panel.html", takes_context=True)
def desk_staff_panel(context: Context, ticket: Any, user: Any, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """MT3/MT4 for staff. `bound` carries a form that failed, so what was typed stays."""
    bound = bound or {}
    gates = gates_for(ticket, with_questions=True)
    is_staff = bool(getattr(user, "is_authenticated", False) and user.has_perm("tickets.work_ticket"))
    is_open = ticket.is_open
    reporter = ticket.reporter
    status = Status(ticket.status)
    can_diagnose = is_staff and status in DIAGNOSIS_STATUSES
    return {
        "ticket": ticket,
        "gates": gates,
        "is_fault": ticket.kind == Kind.FAULT,
        "registered_phone": reporter.phone_display if reporter is not None else "",
        "identity_form": (bound.get("identity_form") or IdentityForm(initial={"method": IdentityMethod.EMPLOYEE_NO_PHONE}))
        if is_staff and is_open and not gates.identity_confirmed
        else None,
        "symptom_form": (
            bound.get("symptom_form") or SymptomForm(questions=gates.questions, answers=ticket.symptom_answers)
        )
        if is_staff and is_open and gates.questions
        else None,
        "diagnosis_form": (bound.get("diagnosis_form") or DiagnosisForm()) if can_diagnose else None,
        "consent_form": (bound.get("consent_form") or ConsentRecordForm(initial={"given_by": ticket.reporter_name}))
        if can_diagnose and gates.consent_needed
        else None,
        "waiting_diagnosis": ticket.kind == Kind.FAULT and status in (Status.RECEIVED, Status.ASSIGNED),
        "failed": next(iter(bound), ""),
        "next": _here(context, reverse("desk:ticket_gates", args=[ticket.pk])),
        "csrf_token": context.get("csrf_token"),
        "request": _request(context),
    }


@register.inclusion_tag("desk/_customer_panel.html", takes_context=True)
def desk_customer_panel(context: Context, ticket: Any, user: Any) -> dict[str, Any]:
    """MT4 and OV5 on the customer's page; only the reporter sees it."""
    if ticket.reporter_id is None or ticket.reporter_id != getattr(user, "pk", None):
        return {"show": False}
    gates = gates_for(ticket, with_identity=False)
    status = Status(ticket.status)
    return {
        "show": True,
        "ticket": ticket,
        "gates": gates,
        "cover": cover_for(ticket),
        "can_agree": gates.consent_needed and status in DIAGNOSIS_STATUSES,
        "next": _here(context, reverse("desk:consent", args=[ticket.pk])),
        "csrf_token": context.get("csrf_token"),
        "request": _request(context),
    }


@register.inclusion_tag("desk/_walkins_waiting.html", takes_context=True)
def walkins_waiting(context: Context, user: Any) -> dict[str, Any]:
    """OV3: visitors waiting for this person go at the head of their queue."""
    return {
        "walk_ins": walk_ins_waiting_for(user),
        "next": _here(context, reverse("desk:walk_ins")),
        "csrf_token": context.get("csrf_token"),
        "request": _request(context),
    }
