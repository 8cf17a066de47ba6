"""Writes of the charter app: deadlines on tickets, delay notices."""
from __future__ import annotations

from .deadlines import (
    deadline_on_transition,
    deadline_recompute,
    deadline_responded,
    deadline_start,
)
from .notices import delay_notice_file

__all__ = [
    "deadline_on_transition",
    "deadline_recompute",
    "deadline_responded",
    "deadline_start",
    "delay_notice_file",
]
