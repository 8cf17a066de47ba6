"""An on-demand panel of the staff ticket page (tickets.panels.OnDemand), drawn
when its fold is opened: the same reads and template as if it were on the page."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from ..panels import panel_on_demand, panel_on_demand_request
from ..selectors import ticket_for_staff


@login_required
@require_GET
def ticket_panel(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    try:
        panel = panel_on_demand(key)
    except LookupError:
        raise Http404 from None
    ticket = ticket_for_staff(request.user, pk)  # someone else's ticket is a 404, as on its page
    # The panel's forms return to the ticket page, not to this address.
    panel_on_demand_request(request, reverse("staff:ticket_detail", args=[ticket.pk]))
    context = panel.context(request, ticket)
    if context is None:
        return HttpResponse(
            render_to_string("tickets/staff/_panel_empty.html", {"fold": panel.on_demand}, request=request)
        )
    return HttpResponse(render_to_string(panel.template, {"ticket": ticket, **context}, request=request))
