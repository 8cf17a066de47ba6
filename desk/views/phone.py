"""Phone intake (PH1): the agent logs an answered call, then works it on the call page."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from helpdesk.accounts.models import User

from .. import selectors, services
from ..forms import CallStartForm
from .shared import lookup, page, person, person_initial, submit


def _phone_page(request: HttpRequest, *, form: CallStartForm | None = None, caller: User | None = None) -> HttpResponse:
    user = request.user
    caller = caller if caller is not None else person(request.GET.get("caller"))
    if form is None:
        initial = person_initial(
            caller, pk="caller", name="caller_name", department="caller_department", phone="caller_number"
        )
        form = CallStartForm(initial=initial, caller=caller)
    today = selectors.today_start()
    context = {
        **lookup(request),
        "caller": caller,
        "form": form,
        "page_obj": page(request, selectors.calls_recent(user)),
        "mine_today": selectors.call_answer_stats(since=today, agent=user),
        "desk_today": selectors.call_answer_stats(since=today),
        "open_memos": selectors.open_memo_count(user),
    }
    return render(request, "desk/phone.html", context, status=400 if form.is_bound else 200)


@login_required
@permission_required("tickets.intake_ticket", raise_exception=True)
@require_http_methods(["GET", "POST"])
def phone(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _phone_page(request)
    caller = person(request.POST.get("caller"))
    form = CallStartForm(request.POST, caller=caller)

    def record() -> HttpResponse:
        data = form.cleaned_data
        call, _created = services.call_record(
            agent=request.user,
            rings=data["rings"],
            seconds_to_answer=data["seconds_to_answer"],
            caller=caller,
            caller_number=str(data["caller_number"] or ""),
            caller_name=data["caller_name"],
            caller_department=data["caller_department"],
        )
        return redirect("desk:call_detail", pk=call.pk)

    return submit(form, record, lambda: _phone_page(request, form=form, caller=caller))
