"""Every write of the desk: one keyword-only function per state change."""
from __future__ import annotations

from .calls import (
    call_caller_set,
    call_record,
    call_ticket_attach,
    call_ticket_open,
    call_transfer,
    callback_memo_close,
    callback_memo_create,
    callback_moments,
)
from .common import DeskEvent
from .gates import (
    consent_give,
    consent_record,
    diagnosis_record,
    identity_check_record,
    latest_diagnosis,
    symptom_answers_record,
)
from .walkins import walk_in_log, walk_in_serve

__all__ = [
    "DeskEvent",
    "call_caller_set",
    "call_record",
    "call_ticket_attach",
    "call_ticket_open",
    "call_transfer",
    "callback_memo_close",
    "callback_memo_create",
    "callback_moments",
    "consent_give",
    "consent_record",
    "diagnosis_record",
    "identity_check_record",
    "latest_diagnosis",
    "symptom_answers_record",
    "walk_in_log",
    "walk_in_serve",
]
