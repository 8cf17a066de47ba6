"""The customer's feedback pages (CP1, CC1, CC3): file a suggestion, complaint or
commendation, follow their own feedback. Someone else's feedback is a 404."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from helpdesk.core.errors import ActionRefused
from helpdesk.core.input_bounds import id_param
from helpdesk.core.times import local_text
from tickets.selectors import customer_tickets

from .. import selectors
from ..forms import CustomerFeedbackForm
from ..models import FeedbackKind
from ..services import feedback_file

PAGE_SIZE = 20
RECENT_TICKETS = 20
RENAME = {"attachment": "attachment", "file": "attachment"}


@login_required
@require_http_methods(["GET", "POST"])
def feedback_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    data = request.POST if request.method == "POST" else request.GET
    tickets = list(customer_tickets(user).select_related("assignee", "assignee__team")[:RECENT_TICKETS])
    chosen_ticket = id_param(data.get("ticket"))
    if chosen_ticket and all(t.pk != chosen_ticket for t in tickets):
        extra = customer_tickets(user).select_related("assignee", "assignee__team").filter(pk=chosen_ticket).first()
        if extra is not None:
            tickets.insert(0, extra)
    # The directory picker: a short list of matches for what was searched, plus
    # the person already chosen (and the chosen request's handler).
    q = (data.get("q") or "").strip()[:50]
    people = selectors.staff_directory(q)
    keep = selectors.staff_member(data.get("employee"))
    for t in tickets:
        if t.pk == chosen_ticket and t.assignee is not None:
            keep = keep or t.assignee
    if keep is not None and all(p.pk != keep.pk for p in people):
        people.insert(0, keep)
    initial = {
        "kind": data.get("kind") if data.get("kind") in FeedbackKind.values else FeedbackKind.SUGGESTION,
        "ticket": chosen_ticket,
        "employee": keep.pk if keep else None,
    }
    if request.method == "POST":
        form = CustomerFeedbackForm(request.POST, request.FILES, tickets=tickets, people=people)
        if form.is_valid():
            d = form.cleaned_data
            ticket = next((t for t in tickets if t.pk == d["ticket"]), None)
            employee = next((p for p in people if p.pk == d["employee"]), None)
            try:
                feedback = feedback_file(
                    actor=user,
                    kind=d["kind"],
                    body=d["body"],
                    ticket=ticket,
                    employee=employee,
                    attachment=d.get("attachment"),
                )
            except ActionRefused as refusal:
                refusal.show_on(form, RENAME)
            else:
                messages.success(request, _("Thank you. We have received it and will answer by %(when)s.") % {
                    "when": local_text(feedback.due_at)
                })
                return redirect("feedback:my_detail", feedback.pk)
    else:
        form = CustomerFeedbackForm(initial=initial, tickets=tickets, people=people)
    return render(request, "feedback/customer_new.html", {"form": form, "q": q, "people": people})


@login_required
@require_GET
def feedback_mine(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.customer_feedback(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/customer_list.html", {"page": page, "items": list(page.object_list)})


@login_required
@require_GET
def feedback_mine_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_for_customer(request.user, pk)
    return render(request, "feedback/customer_detail.html", {"feedback": feedback})
