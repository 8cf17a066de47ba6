"""Large-scale work on the ticket lifecycle: BS2 (an approved plan before the
work starts) and BS3 (the completion report before it is resolved)."""
from __future__ import annotations

from tickets.hooks import guard
from tickets.presenters import event_reader_register

from .presenters import plan_event_text
from .services.guards import approved_plan_guard, completion_report_guard

guard("BS2", approved_plan_guard)
guard("BS3", completion_report_guard)
event_reader_register(plan_event_text)
