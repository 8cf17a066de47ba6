"""Phone calls (PH1), transfers (PH2) and callback memos (PH3)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import Department, User
from helpdesk.accounts.phones import phone_format, phone_parse
from helpdesk.accounts.services import handler_resolve
from helpdesk.core.errors import ActionRefused
from helpdesk.core.times import local_text
from helpdesk.notifications.doors import tell_staff
from standards.selectors import calendar_for, current_standard
from tickets.models import Channel, Ticket
from tickets.services import ticket_create
from tickets.timeline import event_record

from ..models import CallbackMemo, CallSource, CallTransfer, PhoneCall, answered_in_time
from .common import DeskEvent, is_staff, require_staff, require_staff_person

# Sanity limits for what a person or a phone system may report.
MAX_RINGS_REPORTED = 100
MAX_SECONDS_REPORTED = 3600
# Used only when no service standard is active (a fresh install before seeding).
DEFAULT_CALLBACK_MINUTES = 60
DEFAULT_WARNING_PERCENT = 75


def _measure(value: Any, *, field: str, limit: int) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ActionRefused(_("Enter a whole number."), field=field) from None
    if not 0 <= number <= limit:
        raise ActionRefused(_("Enter a number between 0 and %(limit)s.") % {"limit": limit}, field=field)
    return number


def _parsed_phone(value: Any, *, field: str, required: bool) -> str:
    text = str(value or "").strip()
    if not text:
        if required:
            raise ActionRefused(_("Enter the number to call back."), field=field)
        return ""
    parsed = phone_parse(text)
    if parsed is None:
        raise ActionRefused(
            _("%(number)s is not a phone number we can call; enter it as 010-1234-5678 or 052-203-0656.")
            % {"number": text},
            field=field,
        )
    return parsed


def _caller_by_number(e164: str) -> User | None:
    """The employee whose registered number this is, when exactly one has it."""
    matches = list(User.objects.filter(is_active=True, phone=e164).select_related("department")[:2])
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def call_record(
    *,
    agent: User,
    rings: Any = None,
    seconds_to_answer: Any = None,
    caller: User | None = None,
    caller_number: Any = "",
    caller_name: str = "",
    caller_department: Department | None = None,
    source: str = CallSource.DESK,
    external_id: str | None = None,
    received_at: datetime | None = None,
    note: str = "",
) -> tuple[PhoneCall, bool]:
    """Log an answered call (PH1); returns (call, created).

    Rings or seconds to answer are required: the charter promises an answer
    before the third ring, and a call we cannot measure cannot keep it. A
    phone system may post the same call twice (`external_id`); the second
    post returns the first call unchanged."""
    if external_id:
        existing = PhoneCall.objects.filter(external_id=external_id).first()
        if existing is not None:
            return existing, False
    rings = _measure(rings, field="rings", limit=MAX_RINGS_REPORTED)
    seconds = _measure(seconds_to_answer, field="seconds_to_answer", limit=MAX_SECONDS_REPORTED)
    if rings is None and seconds is None:
        raise ActionRefused(_("Enter how many rings, or how many seconds, before the call was answered."), field="rings")
    if not is_staff(agent):
        raise ActionRefused(_("%(name)s is not a desk agent.") % {"name": agent.display_name}, field="agent")
    number = _parsed_phone(caller_number, field="caller_number", required=False)
    if caller is None and number:
        caller = _caller_by_number(number)
    if caller is not None:
        caller_name = caller_name.strip() or caller.display_name
        caller_department = caller_department or caller.department
        number = number or (caller.phone.as_e164 if caller.phone else "")
    call = PhoneCall(
        received_at=received_at or timezone.now(),
        agent=agent,
        greeting_team_id=agent.team_id,
        rings=rings,
        seconds_to_answer=seconds,
        answered_in_time=answered_in_time(rings, seconds),
        source=source,
        external_id=external_id or None,
        caller_number=number,
        caller=caller,
        caller_name=caller_name.strip()[:100],
        caller_department=caller_department,
        note=note.strip(),
    )
    try:
        with transaction.atomic():
            call.save()
    except IntegrityError:
        # Two posts of the same call at once: the other one won.
        if external_id:
            return PhoneCall.objects.get(external_id=external_id), False
        raise
    return call, True


def _locked_call(call: PhoneCall) -> PhoneCall:
    return PhoneCall.objects.select_for_update().get(pk=call.pk)


@transaction.atomic
def call_caller_set(
    *,
    call: PhoneCall,
    actor: User,
    caller: User | None = None,
    caller_name: str = "",
    caller_department: Department | None = None,
    caller_number: Any = "",
) -> PhoneCall:
    """The agent says who is calling: an employee from the lookup, or typed (CC2)."""
    require_staff(actor)
    call = _locked_call(call)
    number = _parsed_phone(caller_number, field="caller_number", required=False)
    if caller is not None:
        caller_name = caller_name.strip() or caller.display_name
        caller_department = caller_department or caller.department
        number = number or (caller.phone.as_e164 if caller.phone else "")
    if not caller_name.strip():
        raise ActionRefused(_("Enter the caller's name."), field="caller_name")
    call.caller = caller
    call.caller_name = caller_name.strip()[:100]
    call.caller_department = caller_department
    if number:
        call.caller_number = number
    call.save(update_fields=["caller", "caller_name", "caller_department", "caller_number"])
    return call


def _log_on_ticket(call: PhoneCall, ticket: Ticket, actor: User, now: datetime) -> None:
    event_record(
        ticket=ticket,
        kind=DeskEvent.PHONE_CALL,
        actor=actor,
        at=now,
        is_public=False,
        data={"call_id": call.pk, "agent": call.agent.display_name, "rings": call.rings, "seconds": call.seconds_to_answer},
    )


@transaction.atomic
def call_ticket_open(*, call: PhoneCall, actor: User, **ticket_fields: Any) -> Ticket:
    """Open a new ticket for the caller (the intake form's fields) and link the call to it."""
    require_staff(actor)
    call = _locked_call(call)
    if call.ticket_id is not None:
        raise ActionRefused(_("This call is already linked to ticket #%(pk)s.") % {"pk": call.ticket_id})
    ticket_fields.setdefault("channel", Channel.PHONE)
    ticket = ticket_create(actor=actor, **ticket_fields)
    call.ticket = ticket
    call.save(update_fields=["ticket"])
    _log_on_ticket(call, ticket, actor, timezone.now())
    return ticket


@transaction.atomic
def call_ticket_attach(*, call: PhoneCall, actor: User, ticket: Ticket) -> PhoneCall:
    """The caller rang about work we already have: link the call to that ticket."""
    require_staff(actor)
    call = _locked_call(call)
    if call.ticket_id == ticket.pk:
        raise ActionRefused(_("This call is already linked to that ticket."), field="ticket")
    if call.ticket_id is not None:
        raise ActionRefused(_("This call is already linked to ticket #%(pk)s.") % {"pk": call.ticket_id}, field="ticket")
    call.ticket = ticket
    call.save(update_fields=["ticket"])
    _log_on_ticket(call, ticket, actor, timezone.now())
    return call


@transaction.atomic
def call_transfer(*, call: PhoneCall, actor: User, to: User | None, topic: str, now: datetime | None = None) -> CallTransfer:
    """PH2: the call goes to the named handler; an absent one's backup takes it (OV5)."""
    now = now or timezone.now()
    require_staff(actor)
    call = _locked_call(call)
    to = require_staff_person(to, field="to")
    topic = (topic or "").strip()
    if not topic:
        raise ActionRefused(_("Say what the call is about, so the handler is ready."), field="topic")
    handler = handler_resolve(user=to, at=now)
    if handler.person.pk == actor.pk:
        raise ActionRefused(_("You are the one on the call; choose someone else."), field="to")
    return CallTransfer.objects.create(
        call=call,
        from_user=actor,
        to_user=handler.person,
        asked_for=to if handler.routed else None,
        topic=topic[:200],
        at=now,
    )


# --- Callback memos (PH3) ------------------------------------------------------------------


def callback_moments(taken_at: datetime) -> tuple[int, datetime, datetime]:
    """(promised minutes, remind at, due at), in business time of the active standard.

    The handler is reminded at the standard's warning point of the callback
    window, while the promise can still be kept; at the due time the memo is
    overdue and the team lead hears of it (the sweep)."""
    standard = current_standard()
    minutes = standard.callback_due_minutes if standard is not None else DEFAULT_CALLBACK_MINUTES
    percent = standard.warning_percent if standard is not None else DEFAULT_WARNING_PERCENT
    calendar = calendar_for(standard)
    window = timedelta(minutes=minutes)
    due_at = calendar.add(taken_at, window)
    remind_at = calendar.add(taken_at, window * percent / 100)
    return minutes, remind_at, due_at


@transaction.atomic
def callback_memo_create(
    *,
    actor: User,
    handler: User | None,
    caller_name: str,
    department: Department | None,
    phone: Any,
    matter: str,
    caller: User | None = None,
    call: PhoneCall | None = None,
    ticket: Ticket | None = None,
    now: datetime | None = None,
) -> CallbackMemo:
    """PH3: note the caller's department, name, phone and matter, and promise a callback.

    The memo goes to the handler, or to their backup while they are away (OV5);
    it is due within the standard's callback time, counted in business time."""
    now = now or timezone.now()
    require_staff(actor)
    caller_name = (caller_name or "").strip()
    if not caller_name:
        raise ActionRefused(_("Enter the caller's name."), field="caller_name")
    if department is None:
        raise ActionRefused(_("Enter the caller's department."), field="department")
    number = _parsed_phone(phone, field="phone", required=True)
    matter = (matter or "").strip()
    if not matter:
        raise ActionRefused(_("Write down what the caller needs, so the handler can prepare."), field="matter")
    handler = require_staff_person(handler, field="handler")
    resolved = handler_resolve(user=handler, at=now)
    minutes, remind_at, due_at = callback_moments(now)
    memo = CallbackMemo.objects.create(
        call=call,
        ticket=ticket,
        caller=caller,
        caller_name=caller_name[:100],
        department=department,
        phone=number,
        matter=matter,
        for_handler=resolved.person,
        asked_for=handler if resolved.routed else None,
        taken_by=actor,
        taken_at=now,
        due_minutes=minutes,
        remind_at=remind_at,
        due_at=due_at,
        next_check_at=remind_at,
    )
    if ticket is not None:
        event_record(
            ticket=ticket,
            kind=DeskEvent.CALLBACK_REQUESTED,
            actor=actor,
            at=now,
            is_public=False,
            data={"memo_id": memo.pk, "caller": caller_name, "handler": resolved.person.display_name},
        )
    person = resolved.person

    def compose() -> dict[str, str]:
        subject = _("Please call back %(name)s by %(due)s") % {"name": memo.caller_name, "due": local_text(due_at)}
        body = _("%(name)s (%(department)s, %(phone)s) called: %(matter)s\nTaken by %(agent)s.") % {
            "name": memo.caller_name,
            "department": department.name,
            "phone": phone_format(number),
            "matter": matter,
            "agent": actor.display_name,
        }
        return {"subject": subject, "body": body}

    tell_staff(
        key=f"desk:callback:{memo.pk}:new", recipients=[person], template="generic", context=compose, link=memo_link(memo)
    )
    return memo


def memo_link(memo: CallbackMemo) -> str:
    return reverse("desk:callback_detail", args=[memo.pk])


@transaction.atomic
def callback_memo_close(*, memo: CallbackMemo, actor: User, note: str, now: datetime | None = None) -> CallbackMemo:
    """The callback was made: record when, by whom and what was said (PH3)."""
    now = now or timezone.now()
    require_staff(actor)
    memo = CallbackMemo.objects.select_for_update().get(pk=memo.pk)
    if memo.closed_at is not None:
        closer = User.objects.filter(pk=memo.closed_by_id).first()
        raise ActionRefused(
            _("%(name)s already called back at %(at)s.")
            % {"name": closer.display_name if closer else "-", "at": local_text(memo.closed_at)}
        )
    note = (note or "").strip()
    if not note:
        raise ActionRefused(_("Write what was said on the callback."), field="note")
    memo.closed_at = now
    memo.closed_by = actor
    memo.callback_note = note
    memo.next_check_at = None
    memo.save(update_fields=["closed_at", "closed_by", "callback_note", "next_check_at"])
    if memo.ticket_id is not None:
        event_record(
            ticket=Ticket.objects.get(pk=memo.ticket_id),
            kind=DeskEvent.CALLBACK_MADE,
            actor=actor,
            at=now,
            is_public=False,
            data={"memo_id": memo.pk, "caller": memo.caller_name, "said": note[:500]},
        )
    return memo
