"""Every write of the feedback app: one keyword-only function per state change."""
from __future__ import annotations

from .answers import feedback_answer, feedback_reflect, feedback_review
from .intake import feedback_file
from .sweeps import feedback_sweep_once
from .trainings import complaint_decide, training_complete, training_confirm

__all__ = [
    "complaint_decide",
    "feedback_answer",
    "feedback_file",
    "feedback_reflect",
    "feedback_review",
    "feedback_sweep_once",
    "training_complete",
    "training_confirm",
]
