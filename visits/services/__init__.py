"""Every write to a visit: one function per state change, each with its audit event.

The visit's life: booked (proposed) → confirmed (by the customer online, by
phone through the desk, or by staff accepting the customer's time) → checked
in → completed with one outcome (resolved / follow-up / customer absent), or
cancelled before check-in. Each function locks the visit, checks the current
state, changes it, writes one `VisitEvent` through `visit_event_record`, and puts the
notices in the outbox in the same transaction (delivery happens after commit).

Notice keys carry the visit's schedule version, so a reschedule notifies
again while repeating one step never does.

The steps live in `booking`, `on_site` and `outcomes`; what they share in
`guards`, `timeline` and `notices`; the admin's template writes in
`checklist_templates`. Everything is re-exported here, so callers keep
importing from `visits.services`.
"""
from __future__ import annotations

from .booking import (
    LONGEST_DELAY,
    visit_book,
    visit_cancel,
    visit_companion_set,
    visit_confirm,
    visit_late_notice_send,
    visit_propose,
    visit_rebook,
    visits_cancel_for_ticket,
)
from .checklist_templates import checklist_template_new_version, checklist_template_register
from .notices import visit_customer_tell, visit_notice_context, visit_notice_key, visit_staff_tell
from .on_site import (
    EARLIEST_CHECK_IN,
    checklist_problems,
    visit_attach,
    visit_check_in,
    visit_checklist_all_ok,
    visit_checklist_fill,
    visit_request_create,
)
from .outcomes import RESOLVABLE, ResolveResult, visit_customer_absent, visit_follow_up, visit_resolve
from .timeline import TICKET_EVENT_KINDS, visit_event_record

__all__ = [
    "EARLIEST_CHECK_IN",
    "LONGEST_DELAY",
    "RESOLVABLE",
    "TICKET_EVENT_KINDS",
    "ResolveResult",
    "checklist_problems",
    "checklist_template_new_version",
    "checklist_template_register",
    "visit_attach",
    "visit_book",
    "visit_cancel",
    "visit_check_in",
    "visit_checklist_all_ok",
    "visit_checklist_fill",
    "visit_companion_set",
    "visit_confirm",
    "visit_customer_absent",
    "visit_follow_up",
    "visit_late_notice_send",
    "visit_notice_context",
    "visit_propose",
    "visit_rebook",
    "visit_request_create",
    "visit_resolve",
    "visits_cancel_for_ticket",
    "visit_customer_tell",
    "visit_notice_key",
    "visit_staff_tell",
    "visit_event_record",
]
