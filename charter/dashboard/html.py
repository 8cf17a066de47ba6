"""The dashboard's repeated markup, built in Python: the figure cards and the
engineers' load table.

A section chief's load table has one row per engineer of the department (150
and more), each with three links; drawn node by node through the template
engine that table was most of the page's time (every value resolved, escaped
and localised on its own). The markup is the one the templates had; every
value is escaped (see each function). Numbers are whole counts,
printed as the template printed them (no thousands separator).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.html import escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .selectors import EngineerLoad, Figures

# Every list address differs only in its name (a slug): reversed once per page.
_NAME = "figure-name"


def list_urls(names: Iterable[str]) -> dict[str, str]:
    """The drill-down list's address for each figure name, with one reverse()."""
    pattern = reverse("charter:dashboard:list", args=[_NAME])
    return {name: pattern.replace(_NAME, name) for name in names}


def _cards(figures: Figures) -> list[tuple[str, str, int, str]]:
    # (name, label, value, tone), in the order the cards have always had.
    return [
        ("overdue", _("Overdue"), figures.overdue, "danger"),
        ("due_soon", _("Due within two business hours"), figures.due_soon, "warning"),
        ("warnings", _("At the warning point"), figures.warnings, "warning"),
        ("vip", _("Open VIP work"), figures.vip, "warning"),
        ("unassigned", _("Unassigned"), figures.unassigned, "secondary"),
        ("repeat_at_risk", _("Repeat faults: at risk"), figures.repeat_at_risk, "warning"),
        ("repeat_escalated", _("Repeat faults: escalated"), figures.repeat_escalated, "danger"),
        ("callbacks", _("Overdue callbacks"), figures.callbacks_overdue, "danger"),
        ("late_visits", _("Late visits today"), figures.late_visits, "danger"),
        ("plans_waiting", _("Plans waiting for approval"), figures.plans_waiting, "warning"),
        ("reports_due", _("Completion reports due"), figures.reports_due, "danger"),
        ("open", _("Open work"), figures.open, "primary"),
    ]


def figure_cards(figures: Figures, query: str, urls: dict[str, str]) -> SafeString:
    """One card per figure; its number links to the list behind it."""
    return format_html_join(
        "\n",
        '<div class="col">'
        '<a class="card h-100 text-decoration-none figure border-start border-4 border-{}" data-figure="{}" href="{}?{}">'
        '<div class="card-body py-2"><div class="small text-muted">{}</div>'
        '<div class="fs-4 fw-semibold figure-value">{}</div></div></a></div>',
        ((tone, name, urls[name], query, label, value) for name, label, value, tone in _cards(figures)),
    )


def engineer_rows(engineers: Iterable[EngineerLoad], query: str, urls: dict[str, str]) -> SafeString:
    """The rows of the engineers' load table: open, due today and overdue, each a link to its list.

    Plain f-strings rather than format_html: 150 rows of 16 values each through
    conditional_escape cost several milliseconds. What can carry markup (the
    name, the query, the addresses) is escaped; the rest are whole numbers."""
    q = escape(query)
    open_url, due_today_url, overdue_url = (escape(urls[name]) for name in ("open", "due_today", "overdue"))
    rows = []
    for e in engineers:
        pk = int(e.pk)
        late = ' class="text-danger fw-semibold"' if e.overdue else ""
        rows.append(
            f'<tr data-engineer="{pk}"><td>{escape(e.name)}</td>'
            f'<td class="text-end"><a href="{open_url}?{q}&amp;engineer={pk}">{int(e.open)}</a></td>'
            f'<td class="text-end"><a href="{due_today_url}?{q}&amp;engineer={pk}">{int(e.due_today)}</a></td>'
            f'<td class="text-end"><a href="{overdue_url}?{q}&amp;engineer={pk}"{late}>{int(e.overdue)}</a></td></tr>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 (every value above is escaped or a number)


def figures_html(figures: Figures, query: str) -> dict[str, Any]:
    """The cards and the load rows of the figures fragment, and the list addresses
    its other links use."""
    urls = list_urls(("overdue", "due_soon", "warnings", "vip", "unassigned", "repeat_at_risk", "repeat_escalated",
                      "callbacks", "late_visits", "plans_waiting", "reports_due", "open", "due_today", "escalated",
                      "opened", "closed", "breached"))
    return {
        "figure_cards": figure_cards(figures, query, urls),
        "engineer_rows": engineer_rows(figures.engineers, query, urls),
        "list_urls": urls,
    }
