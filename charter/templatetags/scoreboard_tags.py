"""The scoreboard's figures as people read them, and its sparklines.

A sparkline is drawn here as a small inline SVG (a polyline with a dot on the
last period): no script, nothing fetched, readable on a phone, and allowed by
the content-security policy as plain markup."""
from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from charter.scoreboard.measures import Measure

register = template.Library()

WIDTH, HEIGHT, PAD = 96, 24, 3


@register.filter
def figure_text(value: Decimal | None, measure: Measure) -> str:
    """'93.5%', '4 min', '4.25', '3 cases'; '—' when there is nothing to count."""
    if value is None:
        return "—"
    if measure.kind == "rate":
        return _("%(value)s%%") % {"value": _plain(value)}
    if measure.kind in ("median", "p90"):
        return _("%(value)s min") % {"value": _plain(value)}
    if measure.kind == "mean":
        return _plain(value)
    return _("%(value)s cases") % {"value": _plain(value)}


@register.filter
def target_text(value: Decimal | None, measure: Measure) -> str:
    """'≥ 90%', '≤ 5 min', '≤ 0 cases'; '' without a target."""
    if value is None:
        return ""
    sign = "≥" if measure.higher_is_better else "≤"
    return f"{sign} {figure_text(value, measure)}"


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.simple_tag
def sparkline(values: list[Decimal | None], label: str = "") -> str:
    """The trend of the last periods; gaps where a period had nothing to count."""
    points = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if not points:
        return format_html('<span class="text-muted small">{}</span>', _("no trend yet"))
    low = min(v for _i, v in points)
    high = max(v for _i, v in points)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[str, str]:
        x = PAD + i * step
        y = HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD) if high != low else HEIGHT / 2
        return f"{x:.1f}", f"{y:.1f}"

    coords = [xy(i, v) for i, v in points]
    last_x, last_y = coords[-1]
    polyline = " ".join(f"{x},{y}" for x, y in coords)
    return format_html(
        '<svg class="sparkline" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">'
        '<polyline points="{points}" fill="none" stroke="currentColor" stroke-width="1.5"/>'
        '<circle cx="{cx}" cy="{cy}" r="2.5" fill="currentColor"/>{dots}</svg>',
        w=WIDTH,
        h=HEIGHT,
        label=label,
        points=polyline,
        cx=last_x,
        cy=last_y,
        dots=format_html_join("", '<circle cx="{}" cy="{}" r="1" fill="currentColor"/>', coords[:-1]),
    )
