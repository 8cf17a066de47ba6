"""What comes next for a visit or a ticket: pure rules over facts already read
(charter.today.selectors reads them for many tickets at once).

A step is either a plain lifecycle move (a POST to the staff status form's URL,
its button named `action` like the status form's own buttons), a POST of its own
(checking in), or a link to the form the step needs (the diagnosis, the consent,
the resolve note, the sign-off). The staff ticket page opens the section a link
points to.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from tickets.lifecycle import TRANSITIONS_BY_ACTION, Status
from tickets.models import Kind
from visits.models import VisitState

if TYPE_CHECKING:
    from tickets.models import Ticket
    from visits.models import Visit

# The staff ticket page's sections a step can open (ids in tickets/staff/ticket_detail.html).
SECTION_HANDLER = "section-handler"
SECTION_STATUS = "section-status"
# The panels' own ids on that page (desk, largework).
DESK_GATES = "desk-gates"
WORK_PLAN = "work-plan"


@dataclass(frozen=True)
class WorkFacts:
    """What a ticket's next step depends on beyond its status (read with it, in one query)."""

    identity_confirmed: bool = False
    diagnosed: bool = False
    consented: bool = False
    plan_approved: bool = False


@dataclass(frozen=True)
class NextStep:
    key: str  # a stable name: "check_in", "diagnose", "record_consent"… (tests and data-step read it)
    label: str
    url: str
    action: str = ""  # the lifecycle action posted to the status form's URL
    post: bool = False  # a POST of its own (checking in) rather than a link
    next_url: str = ""  # where a POST of its own returns
    hint: str = ""  # one short line: why this is the step

    @property
    def posts(self) -> bool:
        return self.post or bool(self.action)


def _transition(ticket: Ticket, action: str, hint: str = "") -> NextStep:
    return NextStep(
        key=action,
        label=str(TRANSITIONS_BY_ACTION[action].label),
        url=reverse("staff:ticket_transition", args=[ticket.pk]),
        action=action,
        hint=hint,
    )


def _on_ticket_page(ticket: Ticket, anchor: str) -> str:
    return f"{reverse('staff:ticket_detail', args=[ticket.pk])}#{anchor}"


def visit_step(visit: Visit, *, open_items: int) -> NextStep | None:
    """On a visit agreed for today: arrive, then the checklist, then the sign-off.
    `open_items` is how many checklist items are still unmarked."""
    card = reverse("visits:staff_visit", args=[visit.pk])
    if visit.state == VisitState.CONFIRMED:
        return NextStep(
            key="check_in",
            label=_("Check in"),
            url=reverse("visits:check_in", args=[visit.pk]),
            post=True,
            next_url=f"{card}#checklist",
            hint=_("Tap when you arrive; the time is recorded against the agreed start."),
        )
    if visit.state == VisitState.CHECKED_IN:
        if open_items:
            return NextStep(
                key="checklist",
                label=_("Checklist"),
                url=f"{card}#checklist",
                hint=_("Everything fine? One tap marks every item OK."),
            )
        return NextStep(
            key="sign_off",
            label=str(TRANSITIONS_BY_ACTION["resolve"].label),
            url=f"{card}?open=resolve#resolve",
            hint=_("The customer signs on your phone."),
        )
    return None


def ticket_step(ticket: Ticket, facts: WorkFacts) -> NextStep | None:
    """The one step that moves the ticket on, for the staff who work it; None
    when nothing is left to do (finished work)."""
    status = Status(ticket.status)
    is_fault = ticket.kind == Kind.FAULT
    large = ticket.kind == Kind.LARGE_WORK
    if status == Status.RECEIVED:
        return NextStep(
            key="assign",
            label=_("Assign"),
            url=_on_ticket_page(ticket, SECTION_HANDLER),
            hint=_("Nobody handles this request yet."),
        )
    if status == Status.ASSIGNED:
        if is_fault and not facts.identity_confirmed:
            return NextStep(
                key="confirm_identity",
                label=_("Confirm identity"),
                url=_on_ticket_page(ticket, DESK_GATES),
                hint=_("Confirm who reported the fault before the diagnosis."),
            )
        return _transition(ticket, "diagnose")
    if status == Status.DIAGNOSING:
        if large and not facts.plan_approved:
            return NextStep(
                key="work_plan",
                label=_("Work plan"),
                url=_on_ticket_page(ticket, WORK_PLAN),
                hint=_("Large-scale work starts only with an approved plan."),
            )
        if is_fault and not facts.diagnosed:
            return NextStep(
                key="record_diagnosis",
                label=str(TRANSITIONS_BY_ACTION["ask_consent"].label),
                url=_on_ticket_page(ticket, DESK_GATES),
                hint=_("Record the diagnosis and the expected duration; the customer is then asked to agree."),
            )
        if is_fault and not facts.consented:
            return _transition(ticket, "ask_consent", _("The diagnosis is recorded; ask the customer to agree."))
        return _transition(ticket, "start_work")
    if status == Status.AWAITING_CONSENT:
        if facts.consented:
            return _transition(ticket, "start_work", _("The customer agreed."))
        return NextStep(
            key="record_consent",
            label=_("Record consent"),
            url=_on_ticket_page(ticket, DESK_GATES),
            hint=_("Waiting for the customer's consent. Agreed by phone or in person? Record it."),
        )
    if status == Status.IN_PROGRESS:
        return NextStep(
            key="resolve",
            label=str(TRANSITIONS_BY_ACTION["resolve"].label),
            url=_on_ticket_page(ticket, SECTION_STATUS),
            hint=_("Write what was done, then resolve."),
        )
    if status in (Status.WAITING_CUSTOMER, Status.WAITING_PARTS):
        return _transition(ticket, "resume")
    return None
