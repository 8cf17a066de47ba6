"""Writes of large-scale work (BS2–BS4), one module per stage."""
from __future__ import annotations

from .approvals import plan_approve, plan_message_add, plan_return
from .execution import report_moments, window_record, window_visit_book
from .plans import WindowData, plan_create, plan_save, plan_submit
from .reports import report_submit

__all__ = [
    "WindowData",
    "plan_approve",
    "plan_create",
    "plan_message_add",
    "plan_return",
    "plan_save",
    "plan_submit",
    "report_moments",
    "report_submit",
    "window_record",
    "window_visit_book",
]
