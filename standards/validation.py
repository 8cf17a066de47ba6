"""Rules that need a whole standard version (targets plus ladder), not one row.

Used by the admin's inline formsets (on what the admin typed, before saving)
and by `standard_activate` (on saved rows), so an inconsistent standard is
refused in both places with the same translated message.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from tickets.models import Kind, Priority

from .deadline_maths import PERCENT_USED, WARNING_POINT
from .models import StandardVersion


@dataclass(frozen=True)
class LevelData:
    level: int
    trigger: str
    value: Decimal


@dataclass(frozen=True)
class TargetData:
    kind: str
    priority: str
    category_id: int | None


def _position(level: LevelData, warning_percent: int) -> tuple[int, Decimal]:
    # Everything before the deadline is measured in % of the time; after it, in hours.
    if level.trigger == WARNING_POINT:
        return (0, Decimal(warning_percent))
    if level.trigger == PERCENT_USED:
        return (0, Decimal(level.value))
    return (1, Decimal(level.value))


def ladder_problems(levels: Iterable[LevelData], warning_percent: int | None) -> list[str]:
    rows = sorted(levels, key=lambda lv: lv.level)
    problems: list[str] = []
    seen: set[int] = set()
    for lv in rows:
        if lv.level in seen:
            problems.append(_("Level %(level)s appears twice.") % {"level": lv.level})
        seen.add(lv.level)
    if warning_percent is None:
        return problems
    for prev, cur in zip(rows, rows[1:], strict=False):
        if prev.level == cur.level:
            continue
        if _position(cur, warning_percent) <= _position(prev, warning_percent):
            problems.append(
                _("Level %(level)s must fire later than level %(previous)s: the levels must climb in order.")
                % {"level": cur.level, "previous": prev.level}
            )
    return problems


def target_problems(targets: Iterable[TargetData]) -> list[str]:
    rows = list(targets)
    problems: list[str] = []
    keys: set[tuple[str, str, int | None]] = set()
    for t in rows:
        key = (t.kind, t.priority, t.category_id)
        if key in keys:
            problems.append(_("The same kind, priority and category appear twice in the targets."))
        keys.add(key)
    # Every ticket must find a target, or it would have no deadline at all.
    for kind in Kind:
        for priority in Priority:
            if not any(
                t.kind == kind.value and t.category_id is None and t.priority in ("", priority.value) for t in rows
            ):
                problems.append(
                    _("No target covers %(kind)s with priority %(priority)s: add one, or one for any priority.")
                    % {"kind": kind.label, "priority": priority.label}
                )
    return problems


def version_problems(version: StandardVersion) -> list[str]:
    """The same checks on a saved version's rows."""
    levels = [LevelData(lv.level, lv.trigger, lv.value) for lv in version.levels.all()]
    targets = [TargetData(t.kind, t.priority, t.category_id) for t in version.targets.all()]
    problems = ladder_problems(levels, version.warning_percent) + target_problems(targets)
    if not levels:
        problems.append(_("A standard needs at least one escalation level."))
    return problems
