"""What the apps above `tickets` show on its pages, without `tickets` knowing them.

The staff ticket page, the customer's ticket page and the work queue have
places (slots) where other apps add a panel: the desk's gates (MT3, MT4), the
deadline and delay notice (MT1), the repeat fault (MT5), the visits. Each app
registers its panels in its own `panels.py` (imported by its AppConfig.ready());
the page's view renders them with `panels_render` and its template prints the
HTML of each slot. A panel's `context` does its own reading through its app's
selectors and returns None when it has nothing to show.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.template import Context, engines
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from .models import Ticket

PanelContext = Callable[[HttpRequest, "Ticket | None"], "dict[str, Any] | None"]


def _always(ticket: Ticket) -> bool:
    return True


@dataclass(frozen=True)
class OnDemand:
    """A staff ticket page panel drawn only when its fold is opened and in view
    (htmx, `staff:ticket_panel`): the page holds its title and its place, and
    none of its queries. For panels most visits to a ticket do not open; on a
    wide screen, where every fold is open, it arrives as it scrolls into view."""

    key: str  # the panel's name in its URL
    anchor: str  # the id of the panel's own outer element: links to it keep working
    title: Any  # its heading (a lazy translation)
    shown: Callable[[Ticket], bool] = _always  # whether the fold is there at all, from the ticket's own columns


@dataclass(frozen=True)
class Panel:
    page: str  # "staff_ticket", "customer_ticket" or "queue"
    slot: str  # where on the page, e.g. "after_assign"
    order: int  # smaller first within a slot
    template: str
    context: PanelContext
    on_demand: OnDemand | None = None


_panels: list[Panel] = []


def panel_register(panel: Panel) -> Panel:
    if panel not in _panels:
        _panels.append(panel)
    return panel


def _page_context(request: HttpRequest) -> Context:
    """The context processors' values, computed once for all of a page's panels:
    render_to_string(request=…) would run every processor again for each one."""
    engine = engines["django"].engine  # type: ignore[attr-defined]
    values: dict[str, Any] = {}
    for processor in engine.template_context_processors:
        values.update(processor(request))
    return Context(values, autoescape=engine.autoescape)


def _render(template_name: str, page_context: Context, values: dict[str, Any]) -> SafeString:
    with page_context.push(values):
        return SafeString(get_template(template_name).template.render(page_context))  # type: ignore[attr-defined]


def panels_render(request: HttpRequest, ticket: Ticket | None, *, page: str) -> dict[str, list[SafeString]]:
    """The HTML of every panel of `page`, by slot, in order."""
    slots: dict[str, list[SafeString]] = {}
    page_context = _page_context(request)
    for panel in sorted((p for p in _panels if p.page == page), key=lambda p: (p.slot, p.order)):
        if panel.on_demand is not None and ticket is not None:
            if panel.on_demand.shown(ticket):
                html = _render("tickets/staff/_panel_on_demand.html", page_context, {"ticket": ticket, "fold": panel.on_demand})
                slots.setdefault(panel.slot, []).append(html)
            continue
        context = panel.context(request, ticket)
        if context is None:
            continue
        slots.setdefault(panel.slot, []).append(_render(panel.template, page_context, {"ticket": ticket, **context}))
    return slots


def panel_render_one(request: HttpRequest, ticket: Ticket | None, *, template: str) -> str:
    """The HTML of the one registered panel drawn with `template` ("" when it has nothing to show)."""
    for panel in _panels:
        if panel.template == template:
            context = panel.context(request, ticket)
            if context is None:
                return ""
            return render_to_string(panel.template, {"ticket": ticket, **context}, request=request)
    raise LookupError(template)


_PAGE_URL = "_panel_page_url"


def panel_page_url(request: HttpRequest) -> str:
    """The address of the page a panel is on, for its forms' `next`: the request's
    own, or the ticket page's when the panel is drawn on demand."""
    return request.__dict__.get(_PAGE_URL) or request.get_full_path()


def panel_on_demand_request(request: HttpRequest, page_url: str) -> None:
    """Mark `request` as drawing an on-demand panel of the page at `page_url`."""
    request.__dict__[_PAGE_URL] = page_url


def panel_on_demand(key: str) -> Panel:
    """The staff ticket page's on-demand panel named `key` (LookupError if none)."""
    for panel in _panels:
        if panel.on_demand is not None and panel.on_demand.key == key:
            return panel
    raise LookupError(key)
