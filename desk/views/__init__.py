"""The desk's pages, one module per page family: phone intake, calls, callback
memos, walk-ins, the staff directory, the fault gates (staff and customer) and
the phone system's endpoint. Every view is re-exported here for the URLconf.

Views parse the request, call one selector or service and render. A service's
ActionRefused is shown on the form it came from, with everything typed kept.
"""
from __future__ import annotations

from .call_pages import call_attach, call_callback, call_caller, call_detail, call_ticket_new, call_transfer
from .callbacks import callback_close, callback_detail, callback_new, callbacks
from .customer_consent import consent
from .directory import directory
from .phone import phone
from .phone_api import api_calls
from .ticket_gates import consent_record, diagnosis_record, identity_record, symptoms_record, ticket_gates
from .walk_ins import walk_in_serve, walk_ins

__all__ = [
    "api_calls",
    "call_attach",
    "call_callback",
    "call_caller",
    "call_detail",
    "call_ticket_new",
    "call_transfer",
    "callback_close",
    "callback_detail",
    "callback_new",
    "callbacks",
    "consent",
    "consent_record",
    "diagnosis_record",
    "directory",
    "identity_record",
    "phone",
    "symptoms_record",
    "ticket_gates",
    "walk_in_serve",
    "walk_ins",
]
