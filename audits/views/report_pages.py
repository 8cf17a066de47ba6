"""Making a misconduct report (CR2): from the portal by a customer, or by staff.

The reporter sees an acknowledgement with the reference number, never the case.
"""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from helpdesk.core.errors import ActionRefused
from helpdesk.core.input_bounds import id_param
from tickets.models import Ticket
from tickets.selectors import tickets_visible_to

from ..forms import ReportForm
from ..selectors import report_of_reporter
from ..services import misconduct_report


def _ticket(request: HttpRequest, form: ReportForm) -> tuple[Ticket | None, bool]:
    """The ticket the reporter named, among those they may see; (None, False) when unknown."""
    raw = (form.cleaned_data.get("ticket_number") or "").strip().lstrip("#")
    if not raw:
        return None, True
    pk = id_param(raw)
    ticket = tickets_visible_to(request.user).select_related("assignee").filter(pk=pk).first() if pk else None
    return ticket, ticket is not None


@login_required
def report_form(request: HttpRequest) -> HttpResponse:
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ticket, known = _ticket(request, form)
        if not known:
            form.add_error("ticket_number", _("None of your tickets has that number. Leave it empty if unsure."))
        else:
            try:
                report = misconduct_report(
                    reporter=request.user,
                    accused_name=form.cleaned_data["accused_name"],
                    statement=form.cleaned_data["statement"],
                    ticket=ticket,
                    happened_on=form.cleaned_data["happened_on"],
                )
            except ActionRefused as exc:
                exc.show_on(form)
            else:
                return redirect("audits:report_received", reference=report.reference)
    status = 400 if form.is_bound else 200
    return render(request, "audits/report_form.html", {"form": form}, status=status)


@login_required
@require_GET
def report_received(request: HttpRequest, reference: str) -> HttpResponse:
    report = report_of_reporter(request.user, reference)
    if report is None:
        raise Http404
    return render(request, "audits/report_received.html", {"reference": report.reference})
