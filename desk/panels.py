"""The desk's panels on pages other apps own (registered with tickets.panels):
the staff ticket page's gates (MT3, MT4), the customer's estimate and "I agree"
with who covers for an absent handler (OV5), and visitors waiting at the head
of the work queue (OV3)."""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from helpdesk.core.redirects import safe_next
from tickets.lifecycle import Status
from tickets.models import Kind, Ticket
from tickets.panels import OnDemand, Panel, panel_page_url, panel_register

from .forms import ConsentRecordForm, DiagnosisForm, IdentityForm, SymptomForm
from .models import IdentityMethod
from .selectors import anyone_waiting_for, cover_for, gates_for, walk_ins_waiting_for
from .services.gates import CONSENT_STATUSES


def _here(request: HttpRequest, fallback: str) -> str:
    """Where a panel's form returns to: the page showing it. A page re-rendered
    after a failed POST (at the action's URL) keeps the original target."""
    if request.method == "GET":
        return panel_page_url(request)
    return safe_next(request, fallback)


def staff_panel_context(request: HttpRequest, ticket: Ticket, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """MT3/MT4 for staff. `bound` carries a form that failed, so what was typed stays."""
    bound = bound or {}
    user = request.user
    gates = gates_for(ticket, with_questions=True)
    is_staff = bool(user.is_authenticated and user.has_perm("tickets.work_ticket"))
    is_open = ticket.is_open
    reporter = ticket.reporter
    status = Status(ticket.status)
    can_diagnose = is_staff and status in CONSENT_STATUSES
    return {
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
        "next": _here(request, reverse("desk:ticket_gates", args=[ticket.pk])),
    }


def customer_panel_context(request: HttpRequest, ticket: Ticket | None) -> dict[str, Any] | None:
    """MT4 and OV5 on the customer's page; only the reporter sees it."""
    if ticket is None or ticket.reporter_id is None or ticket.reporter_id != request.user.pk:
        return None
    gates = gates_for(ticket, with_identity=False)
    status = Status(ticket.status)
    return {
        "show": True,
        "gates": gates,
        # OV5 is about work still to do: once it is finished, who covers does not matter.
        "cover": cover_for(ticket) if ticket.is_open else None,
        "can_agree": gates.consent_needed and status in CONSENT_STATUSES,
        "next": _here(request, reverse("desk:consent", args=[ticket.pk])),
    }


def walk_ins_context(request: HttpRequest, ticket: Ticket | None) -> dict[str, Any] | None:
    """OV3: visitors waiting for this person go at the head of their queue."""
    user = request.user
    if not anyone_waiting_for(user):
        return None
    walk_ins = walk_ins_waiting_for(user)
    if not walk_ins:
        return None
    return {"walk_ins": walk_ins, "next": _here(request, reverse("desk:walk_ins"))}


def _staff_ticket(request: HttpRequest, ticket: Ticket | None) -> dict[str, Any] | None:
    return staff_panel_context(request, ticket) if ticket is not None else None


# On demand: the gates' records and forms took four queries on every view of a
# ticket; the next step on top says when they are due, and its link opens them.
panel_register(
    Panel(
        "staff_ticket", "after_assign", 10, "desk/_staff_panel.html", _staff_ticket,
        OnDemand("gates", "desk-gates", _("Before the repair")),
    )
)
panel_register(Panel("customer_ticket", "main", 20, "desk/_customer_panel.html", customer_panel_context))
panel_register(Panel("queue", "top", 10, "desk/_walkins_waiting.html", walk_ins_context))
