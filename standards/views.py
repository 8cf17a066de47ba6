"""The public page of the service standards (서비스 이행표준, P5): what every
customer is promised, read from the active version."""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tickets.models import Kind, Priority

from .models import EscalationLevel, StandardVersion
from .selectors import current_standard, targets_reachable


def _hours(value: Any) -> str:
    text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
    return text


def score_targets(standard: StandardVersion | None) -> list[tuple[str, Any]]:
    """IM1: the figures the department holds itself to, as the standard words them."""
    if standard is None:
        return []
    return [
        (str(f.verbose_name), getattr(standard, f.name))
        for f in StandardVersion._meta.fields
        if f.name.startswith("target_")
    ]


@require_GET
def standards_page(request: HttpRequest) -> HttpResponse:
    standard = current_standard()
    rows: list[dict[str, Any]] = []
    levels: list[EscalationLevel] = []
    if standard is not None:
        kind_order = list(Kind.values)
        priority_order = [*reversed(Priority.values), ""]  # urgent first, "any" last
        targets = sorted(
            targets_reachable(standard),
            key=lambda t: (
                kind_order.index(t.kind),
                t.category_id is not None,
                priority_order.index(t.priority) if t.priority in priority_order else 0,
            ),
        )
        for t in targets:
            rows.append(
                {
                    "kind": t.get_kind_display(),
                    "priority": t.get_priority_display() if t.priority else "",
                    "category": t.category.label if t.category_id else "",
                    "respond": _hours(t.respond_hours),
                    "resolve": _hours(t.resolve_hours),
                    "support": t.kind == Kind.SUPPORT,
                }
            )
        levels = sorted(standard.levels.all(), key=lambda lv: lv.level)
    return render(
        request,
        "standards/standards.html",
        {
            "standard": standard,
            "rows": rows,
            "levels": levels,
            "has_categories": any(row["category"] for row in rows),
            "score_targets": score_targets(standard),
        },
    )


