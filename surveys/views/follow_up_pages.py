"""The follow-up queue of team leads and section chiefs (P4): their teams'
low-score follow-ups, open ones first and the most overdue on top, paginated;
and one follow-up's page where the call or visit is recorded. Someone else's
follow-up is a 404 (surveys.selectors.follow_up_for)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from helpdesk.core.errors import ActionRefused

from ..forms import FollowUpForm
from ..models import FollowUpState
from ..selectors import follow_up_for, follow_ups_for
from ..services import follow_up_record
from ..services.common import ticket_of

PAGE_SIZE = 25
TABS = (FollowUpState.OPEN.value, FollowUpState.DONE.value)


@login_required
@permission_required("tickets.lead_team", raise_exception=True)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", FollowUpState.OPEN)
    if tab not in TABS:
        tab = FollowUpState.OPEN
    page = Paginator(follow_ups_for(request.user, state=tab), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"follow_up": f, "ticket": ticket_of(f.survey)} for f in page.object_list]
    return render(
        request,
        "surveys/follow_up_queue.html",
        {"page": page, "rows": rows, "tab": tab, "now": timezone.now(),
         "open_count": follow_ups_for(request.user, state=FollowUpState.OPEN).count()},
    )


@login_required
@permission_required("tickets.lead_team", raise_exception=True)
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = follow_up_for(request.user, pk)
    form = FollowUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if follow_up.state == FollowUpState.OPEN and form.is_valid():
            try:
                follow_up_record(
                    follow_up=follow_up,
                    actor=request.user,
                    outcome=form.cleaned_data["outcome"],
                    action=form.cleaned_data["action"],
                )
            except ActionRefused as refused:
                refused.show_on(form)
            else:
                messages.success(request, _("Follow-up recorded; the customer has been told."))
                return redirect("surveys:follow_ups")
        elif follow_up.state != FollowUpState.OPEN:
            form.add_error(None, _("This follow-up is already recorded."))
        status = 400
    return render(
        request,
        "surveys/follow_up_detail.html",
        {"follow_up": follow_up, "survey": follow_up.survey, "ticket": ticket_of(follow_up.survey), "form": form,
         "now": timezone.now()},
        status=status,
    )
