"""The fault gates: identity (MT3), symptom answers (MT3), diagnosis, estimate
and consent (MT4). The lifecycle refuses to move a fault past a gate that is
not met (`desk.services.gate_guards`); these services are how a gate is met."""
from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.accounts.phones import phone_format, phone_parse
from helpdesk.core.errors import ActionRefused
from helpdesk.core.times import local_text
from helpdesk.notifications.doors import tell_customer, tell_staff
from helpdesk.notifications.services import notifications_withdraw
from tickets.forms.common import NO, YES
from tickets.lifecycle import Status, sources_of
from tickets.links import ticket_link
from tickets.locks import ticket_locked
from tickets.models import SymptomQuestion, Ticket
from tickets.services import ticket_transition
from tickets.timeline import event_record

from ..models import Consent, ConsentHow, Diagnosis, IdentityCheck, IdentityMethod
from ..presenters import duration_text
from .common import DeskEvent, require_staff

logger = logging.getLogger(__name__)

# A month of working time: longer than that is a project, not an estimate.
MAX_EXPECTED_MINUTES = 60 * 24 * 30
MAX_ANSWER_LENGTH = 500
# A diagnosis is recorded, and consent asked for it, while the repair could start.
CONSENT_STATUSES = sources_of("start_work")


def _status_label(ticket: Ticket) -> str:
    return str(Status(ticket.status).label)


def _require_open(ticket: Ticket) -> None:
    if not ticket.is_open:
        raise ActionRefused(_("This ticket is finished (%(status)s).") % {"status": _status_label(ticket)})


# --- Identity (MT3) ------------------------------------------------------------------


def _same_phone(registered: Any, typed_e164: str) -> bool:
    return bool(registered) and str(getattr(registered, "as_e164", registered)) == typed_e164


@transaction.atomic
def identity_check_record(
    *,
    ticket: Ticket,
    actor: User,
    method: str,
    employee_no: str = "",
    phone: str = "",
    note: str = "",
    now: datetime | None = None,
) -> IdentityCheck:
    """Record how the reporter was confirmed to be who they say (MT3).

    - signed-in account: only the reporter filing for themselves (the portal
      does it; no timeline line of its own: "Received" already names them);
    - employee number and phone: both must match the reporter's account;
    - callback: a member of staff called the number registered on the account;
    - in person: the employee card was seen at the desk or on site.
    """
    now = now or timezone.now()
    if method not in IdentityMethod.values:
        raise ActionRefused(_("Choose how the reporter's identity was checked."), field="method")
    if method == IdentityMethod.SIGNED_IN:
        # Recorded as the reporter files (the ticket's created hook): no other writer can
        # race on a ticket that is not committed yet, so no lock is taken.
        if ticket.reporter_id is None or actor.pk != ticket.reporter_id:
            raise ActionRefused(
                _("'Signed-in account' applies only when reporters file for themselves; choose another method."),
                field="method",
            )
        if IdentityCheck.objects.filter(ticket_id=ticket.pk).exists():
            raise ActionRefused(_("The reporter's identity is already confirmed."))
        return IdentityCheck.objects.create(ticket=ticket, method=method, checked_by=actor, at=now)
    ticket = ticket_locked(ticket)
    existing = IdentityCheck.objects.filter(ticket=ticket).select_related("checked_by").first()
    if existing is not None:
        raise ActionRefused(
            _("The reporter's identity was already confirmed by %(name)s (%(method)s) at %(at)s.")
            % {"name": existing.checked_by.display_name, "method": existing.get_method_display(), "at": local_text(existing.at)}
        )
    require_staff(actor)
    _require_open(ticket)
    reporter: User | None = ticket.reporter
    detail = ""
    if method == IdentityMethod.EMPLOYEE_NO_PHONE:
        if reporter is None:
            raise ActionRefused(
                _("The reporter has no account to compare with; check the employee card in person."), field="method"
            )
        employee_no = employee_no.strip()
        if not employee_no:
            raise ActionRefused(_("Enter the employee number the reporter gives."), field="employee_no")
        if not phone.strip():
            raise ActionRefused(_("Enter the phone number the reporter gives."), field="phone")
        if (reporter.employee_no or "").strip().upper() != employee_no.upper():
            raise ActionRefused(
                _("The employee number does not match the reporter's registered details."), field="employee_no"
            )
        typed = phone_parse(phone)
        if typed is None:
            raise ActionRefused(_("Enter a phone number such as 010-1234-5678."), field="phone")
        if not _same_phone(reporter.phone, typed):
            raise ActionRefused(
                _("The phone number does not match the number registered for the reporter."), field="phone"
            )
        detail = f"{employee_no} / {phone_format(typed)}"
    elif method == IdentityMethod.CALLBACK:
        if reporter is None or not reporter.phone:
            raise ActionRefused(
                _("The reporter has no registered number to call back; check the employee card in person."),
                field="method",
            )
        detail = phone_format(reporter.phone)
    elif method == IdentityMethod.IN_PERSON:
        detail = employee_no.strip()[:50]
    check = IdentityCheck.objects.create(
        ticket=ticket, method=method, checked_by=actor, at=now, detail=detail, note=note.strip()[:500]
    )
    event_record(
        ticket=ticket,
        kind=DeskEvent.IDENTITY_CHECKED,
        actor=actor,
        at=now,
        is_public=True,
        data={"method": method, "check_id": check.pk},
    )
    return check


# --- Symptom questions (MT3) -----------------------------------------------------------


def _valid_answer(question: SymptomQuestion, value: str) -> bool:
    if question.answer_type == SymptomQuestion.AnswerType.YES_NO:
        return value in (YES, NO)
    if question.answer_type == SymptomQuestion.AnswerType.CHOICE:
        return value in question.choice_list
    return len(value) <= MAX_ANSWER_LENGTH


@transaction.atomic
def symptom_answers_record(
    *, ticket: Ticket, actor: User, answers: Mapping[int, str], now: datetime | None = None
) -> Ticket:
    """The agent completes the category's symptom questions during the call (MT3).

    Answers given replace earlier ones for the same question; a blank leaves the
    earlier answer as it was. Every required question must end up answered."""
    now = now or timezone.now()
    ticket = ticket_locked(ticket)
    require_staff(actor)
    _require_open(ticket)
    if ticket.category_id is None:
        raise ActionRefused(_("Choose the kind of fault first: the questions come from it."))
    questions = list(SymptomQuestion.objects.filter(category_id=ticket.category_id).order_by("order", "pk"))
    by_id = {q.pk: q for q in questions}
    unknown = set(answers) - set(by_id)
    if unknown:
        raise ActionRefused(_("That question is not asked for this kind of fault."))
    current: dict[Any, dict[str, Any]] = {a.get("question_id"): dict(a) for a in ticket.symptom_answers or []}
    changed = 0
    for question_id, raw in answers.items():
        value = str(raw or "").strip()
        if not value:
            continue
        question = by_id[question_id]
        if not _valid_answer(question, value):
            raise ActionRefused(
                _("That is not an answer to: %(question)s") % {"question": question.label}, field=f"q_{question.pk}"
            )
        before = current.get(question_id, {}).get("answer")
        if before != value:
            changed += 1
        # The question is stored as it was asked, beside the answer.
        current[question_id] = {"question_id": question.pk, "question": question.text, "answer": value}
    for question in questions:
        if question.required and not str(current.get(question.pk, {}).get("answer", "")).strip():
            raise ActionRefused(
                _("Please answer: %(question)s") % {"question": question.label}, field=f"q_{question.pk}"
            )
    if not changed:
        return ticket
    ordered = [current.pop(q.pk) for q in questions if q.pk in current]
    # Answers to questions since removed from the category are kept, after the others.
    ordered += list(current.values())
    ticket.symptom_answers = ordered
    ticket.save(update_fields=["symptom_answers", "updated_at"])
    event_record(
        ticket=ticket,
        kind=DeskEvent.SYMPTOMS_RECORDED,
        actor=actor,
        at=now,
        is_public=False,
        data={"count": changed},
    )
    return ticket


# --- Diagnosis and estimate (MT4) ---------------------------------------------------------


def latest_diagnosis(ticket: Ticket) -> Diagnosis | None:
    return Diagnosis.objects.filter(ticket_id=ticket.pk).order_by("-at", "-pk").first()


def _consent_ask_key(diagnosis_pk: int) -> str:
    return f"desk:consent-ask:d{diagnosis_pk}"


def _ask_customer(ticket: Ticket, diagnosis: Diagnosis) -> None:
    """Tell the reporter the diagnosis and the expected duration, and where to agree."""
    reporter = ticket.reporter
    handler = ticket.assignee
    link = reverse("desk:consent", args=[ticket.pk]) if reporter is not None else ""

    def compose() -> dict[str, str]:
        subject = _("%(number)s: please agree to the repair before we start") % {"number": ticket.number}
        body = _(
            "Diagnosis: %(findings)s\nExpected duration: %(duration)s\n"
            "We start the repair once you agree. Agree in the portal, or tell your handler %(handler)s."
        ) % {
            "findings": diagnosis.findings,
            "duration": duration_text(diagnosis.expected_minutes),
            "handler": handler.display_name if handler is not None else "-",
        }
        return {"subject": subject, "body": body}

    tell_customer(
        key=_consent_ask_key(diagnosis.pk),
        recipient=reporter,
        template="generic",
        context=compose,
        ticket=ticket,
        link=link,
    )


@transaction.atomic
def diagnosis_record(
    *,
    ticket: Ticket,
    actor: User,
    findings: str,
    expected_minutes: int | None,
    ask_consent: bool = False,
    now: datetime | None = None,
) -> Diagnosis:
    """The engineer's first diagnosis and how long the main work will take (MT4).

    With `ask_consent` a diagnosing ticket moves on to 'awaiting consent'. While
    consent is awaited the customer is told the estimate; a new diagnosis
    replaces the old one and needs its own consent."""
    now = now or timezone.now()
    ticket = ticket_locked(ticket)
    require_staff(actor)
    if ticket.status not in CONSENT_STATUSES:
        if ticket.status in (Status.RECEIVED, Status.ASSIGNED):
            raise ActionRefused(_("Start the diagnosis first (the ticket is %(status)s).") % {"status": _status_label(ticket)})
        raise ActionRefused(
            _("A diagnosis and estimate come before the repair; this ticket is %(status)s.")
            % {"status": _status_label(ticket)}
        )
    findings = (findings or "").strip()
    if not findings:
        raise ActionRefused(_("Describe what the diagnosis found."), field="findings")
    if expected_minutes is None or not 0 < int(expected_minutes) <= MAX_EXPECTED_MINUTES:
        raise ActionRefused(
            _("Give the expected duration: more than zero and at most 30 days."), field="expected_minutes"
        )
    diagnosis = Diagnosis.objects.create(
        ticket=ticket, findings=findings, expected_minutes=int(expected_minutes), by=actor, at=now
    )
    event_record(
        ticket=ticket,
        kind=DeskEvent.DIAGNOSIS_RECORDED,
        actor=actor,
        at=now,
        is_public=True,
        data={"diagnosis_id": diagnosis.pk, "findings": findings[:500], "minutes": diagnosis.expected_minutes},
    )
    if ask_consent and ticket.status == Status.DIAGNOSING:
        ticket = ticket_transition(ticket=ticket, action="ask_consent", actor=actor)
    if ticket.status == Status.AWAITING_CONSENT:
        _ask_customer(Ticket.objects.select_related("reporter", "assignee").get(pk=ticket.pk), diagnosis)
    return diagnosis


# --- Consent (MT4) ---------------------------------------------------------------------


def _consent_store(
    *, ticket: Ticket, actor: User, given_by: str, how: str, note: str, now: datetime
) -> Consent:
    diagnosis = latest_diagnosis(ticket)
    earlier = Consent.objects.filter(diagnosis=diagnosis).first() if diagnosis is not None else None
    # Checked first: agreeing starts the repair, so a second tap finds the ticket
    # in progress, and "already agreed" is the answer that helps.
    if earlier is not None:
        raise ActionRefused(
            _("%(name)s already agreed to this estimate at %(at)s.") % {"name": earlier.given_by, "at": local_text(earlier.at)}
        )
    if ticket.status not in CONSENT_STATUSES:
        raise ActionRefused(
            _("No estimate is waiting for consent: the ticket is %(status)s.") % {"status": _status_label(ticket)}
        )
    if diagnosis is None:
        raise ActionRefused(
            _("There is no diagnosis to agree to yet: the engineer records the findings and the expected duration first.")
        )
    consent = Consent.objects.create(
        ticket=ticket,
        diagnosis=diagnosis,
        given_by=given_by,
        how=how,
        recorded_by=actor,
        at=now,
        note=note.strip()[:500],
    )
    event_record(
        ticket=ticket,
        kind=DeskEvent.CONSENT_GIVEN,
        actor=actor,
        at=now,
        is_public=True,
        data={"consent_id": consent.pk, "diagnosis_id": diagnosis.pk, "given_by": given_by, "how": how},
    )
    handler = User.objects.filter(pk=ticket.assignee_id).first() if ticket.assignee_id else None
    started = _work_start(ticket=ticket, actor=actor, handler=handler)
    # Every "please agree" still unread or unsent is no longer true (earlier
    # diagnoses' asks too: this agreement settles the question for the ticket).
    asked = Diagnosis.objects.filter(ticket_id=ticket.pk).values_list("pk", flat=True)
    notifications_withdraw(keys=[_consent_ask_key(pk) for pk in asked], now=now)
    if handler is not None and handler.pk != actor.pk:

        def compose() -> dict[str, str]:
            if started:
                subject = _("%(number)s: the customer agreed; the repair is now in progress") % {
                    "number": ticket.number
                }
            else:
                subject = _("%(number)s: the customer agreed; you can start the repair") % {"number": ticket.number}
            body = _("%(name)s agreed (%(how)s) to: %(findings)s, about %(duration)s.") % {
                "name": given_by,
                "how": ConsentHow(how).label,
                "findings": diagnosis.findings,
                "duration": duration_text(diagnosis.expected_minutes),
            }
            return {"subject": subject, "body": body}

        tell_staff(
            key=f"desk:consent:{consent.pk}",
            recipients=[handler],
            template="generic",
            context=compose,
            ticket=ticket,
            link=ticket_link(ticket.pk),
        )
    return consent


def _work_start(*, ticket: Ticket, actor: User, handler: User | None) -> bool:
    """The customer's agreement is the go-ahead (MT4): the repair starts at once,
    through the lifecycle, with no second click. Staff who record an agreement
    start it themselves; when the customer agrees in the portal the handler's
    work starts (the lifecycle lets only staff start work, and the timeline line
    before this one names the customer). Another gate that still holds the work
    back (a refusal from any guard) leaves the ticket where it is, consent kept.
    True when the ticket moved to 'in progress'."""
    starter = actor if actor.has_perm("tickets.work_ticket") else handler
    if starter is None or not starter.has_perm("tickets.work_ticket"):
        return False
    try:
        ticket_transition(ticket=ticket, action="start_work", actor=starter)
    except ActionRefused as refused:
        # ticket_transition is atomic: its savepoint rolled back, the consent stands.
        logger.info("Consent on ticket %s recorded; the repair waits: %s", ticket.pk, refused.message)
        return False
    return True


@transaction.atomic
def consent_give(*, ticket: Ticket, actor: User, now: datetime | None = None) -> Consent:
    """The reporter agrees in the portal to the latest diagnosis and its duration;
    the repair starts and the open "please agree" notices are withdrawn."""
    now = now or timezone.now()
    ticket = ticket_locked(ticket)
    if ticket.reporter_id is None or actor.pk != ticket.reporter_id:
        raise ActionRefused(_("Only the person who reported the fault can agree to its repair here."))
    return _consent_store(ticket=ticket, actor=actor, given_by=actor.display_name, how=ConsentHow.PORTAL, note="", now=now)


@transaction.atomic
def consent_record(
    *,
    ticket: Ticket,
    actor: User,
    given_by: str,
    how: str,
    note: str = "",
    now: datetime | None = None,
) -> Consent:
    """Staff record the customer's agreement given by phone or in person; the
    repair starts and the open "please agree" notices are withdrawn."""
    now = now or timezone.now()
    ticket = ticket_locked(ticket)
    require_staff(actor)
    if how not in (ConsentHow.PHONE, ConsentHow.IN_PERSON):
        raise ActionRefused(_("Say how the customer agreed: by phone or in person."), field="how")
    given_by = (given_by or "").strip()
    if not given_by:
        raise ActionRefused(_("Who agreed? Enter their name."), field="given_by")
    return _consent_store(ticket=ticket, actor=actor, given_by=given_by[:100], how=how, note=note, now=now)
