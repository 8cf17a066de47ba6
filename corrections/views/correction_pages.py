"""Opening a correction from the staff ticket page, and the leads' list (CR1)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.core.errors import ActionRefused
from tickets.selectors import ticket_for_staff

from ..forms import CorrectionForm
from ..models import CorrectionState
from ..panels import correction_panel_context
from ..selectors import corrections_for_lead
from ..services import correction_open

PAGE_SIZE = 25


@login_required
@require_POST
def correction_open_action(request: HttpRequest, pk: int) -> HttpResponse:
    # ticket_for_staff: a customer, or staff who cannot see the ticket, get a 404.
    ticket = ticket_for_staff(request.user, pk)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            correction_open(
                ticket=ticket,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                what_was_wrong=form.cleaned_data["what_was_wrong"],
            )
        except ActionRefused as exc:
            exc.show_on(form)
        else:
            messages.success(request, _("The work is reopened as a correction. The customer is told the result when it is resolved again."))
            return redirect("staff:ticket_detail", pk=ticket.pk)
    context = {"ticket": ticket, **correction_panel_context(request, ticket, form)}
    return render(request, "corrections/open_page.html", context, status=400)


@login_required
@permission_required("tickets.lead_team", raise_exception=True)
@require_GET
def correction_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in CorrectionState.values:
        state = ""
    page = Paginator(corrections_for_lead(request.user, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "corrections/list.html",
        {"page": page, "corrections": list(page.object_list), "state": state, "states": CorrectionState.choices},
    )
