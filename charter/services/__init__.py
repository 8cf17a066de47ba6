"""Writes of the charter app: deadlines on tickets, delay notices, standards."""
from __future__ import annotations

from .deadlines import (
    deadline_on_transition,
    deadline_recompute,
    deadline_responded,
    deadline_start,
)
from .notices import delay_notice_file
from .standards import standard_activate, standard_copy

__all__ = [
    "deadline_on_transition",
    "deadline_recompute",
    "deadline_responded",
    "deadline_start",
    "delay_notice_file",
    "standard_activate",
    "standard_copy",
]
