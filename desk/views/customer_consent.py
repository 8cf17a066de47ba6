"""The fault gates, customer side (MT4): the reporter reads the diagnosis and agrees."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from helpdesk.core.errors import ActionRefused
from helpdesk.core.redirects import safe_next
from tickets.selectors import ticket_for_customer

from .. import services


@login_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    """The reporter reads the diagnosis and the expected duration and agrees."""
    ticket = ticket_for_customer(request.user, pk)
    if request.method == "POST":
        try:
            services.consent_give(ticket=ticket, actor=request.user)
        except ActionRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Thank you. We will start the repair now."))
        return redirect(safe_next(request, reverse("desk:consent", args=[ticket.pk])))
    return render(request, "desk/customer_consent.html", {"ticket": ticket})
