"""The visit figures of the service standards (charter app), read in one place.

The standards are data an admin edits (P5): `StandardVersion.visit_tolerance_minutes`
and `visit_prompt_minutes`. Without a current standard, the charter's defaults apply: prompt the engineer 15 minutes before the
start, and count a visit late without notice 10 minutes after it (SV4).
"""
from __future__ import annotations

import logging
from datetime import timedelta

logger = logging.getLogger(__name__)

DEFAULT_TOLERANCE_MINUTES = 10
DEFAULT_PROMPT_MINUTES = 15

# The names the standards model may give these figures; the first one found wins.
_TOLERANCE_NAMES = (
    "visit_tolerance_minutes",
    "visit_lateness_tolerance_minutes",
    "visit_late_tolerance_minutes",
)
_PROMPT_NAMES = (
    "visit_prompt_minutes",
    "visit_prompt_minutes_before",
    "visit_prompt_before_minutes",
)


def _current_standard() -> object | None:
    try:
        from charter.standards import current_standard  # type: ignore[import-not-found,attr-defined]
    except ImportError:
        return None
    try:
        return current_standard()
    except Exception:  # a broken standards table must not stop visits
        logger.exception("Could not read the current service standard; using the visit defaults")
        return None


def _minutes(names: tuple[str, ...], default: int) -> int:
    standard = _current_standard()
    for name in names:
        value = getattr(standard, name, None) if standard is not None else None
        if value is not None:
            try:
                minutes = int(value)
            except (TypeError, ValueError):
                continue
            if minutes >= 0:
                return minutes
    return default


def lateness_tolerance() -> timedelta:
    """How long after the agreed start a visit without check-in or notice counts as late (SV4)."""
    return timedelta(minutes=_minutes(_TOLERANCE_NAMES, DEFAULT_TOLERANCE_MINUTES))


def prompt_before() -> timedelta:
    """How long before the agreed start an engineer not yet checked in is reminded (SV4)."""
    return timedelta(minutes=_minutes(_PROMPT_NAMES, DEFAULT_PROMPT_MINUTES))
