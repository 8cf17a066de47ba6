"""One phone call's page and what is done from it: set the caller, open or
attach a ticket, transfer the call, or take a callback memo.

Every action posts to its own URL; on a refusal the call page is drawn again
with that action's form bound and the others fresh.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from helpdesk.accounts.models import User
from helpdesk.accounts.phones import phone_format
from helpdesk.core.korean import josa_if_korean
from tickets.forms.staff import IntakeForm
from tickets.models import Channel

from .. import selectors, services
from ..forms import AttachForm, CallbackMemoForm, CallerForm, TransferForm
from ..models import PhoneCall
from .callbacks import memo_done, memo_kwargs
from .shared import FormT, form_action, lookup, person, visible_ticket


def _call_page(request: HttpRequest, call: PhoneCall, **bound: forms.Form) -> HttpResponse:
    user = request.user
    caller = call.caller
    intake_initial: dict[str, Any] = {"channel": Channel.PHONE}
    if caller is not None or call.caller_name:
        intake_initial.update(
            {
                "reporter": caller.pk if caller else None,
                "reporter_name": call.caller_name,
                "reporter_department": call.caller_department_id,
                "contact_phone": phone_format(call.caller_number),
            }
        )
    memo_initial = {
        "caller_name": call.caller_name,
        "department": call.caller_department_id,
        "phone": phone_format(call.caller_number),
        "caller": caller.pk if caller else None,
    }
    context = {
        **lookup(request),
        # The page is also drawn after a failed POST at an action's URL; the lookup stays on the call.
        "lookup_url": reverse("desk:call_detail", args=[call.pk]),
        "call": call,
        "transfers": selectors.call_transfers(call),
        "memos": list(call.memos.select_related("for_handler")),
        "caller_tickets": selectors.open_tickets_of(caller),
        "caller_form": bound.get("caller_form")
        or CallerForm(
            initial={
                "caller_name": call.caller_name,
                "caller_department": call.caller_department_id,
                "caller_number": phone_format(call.caller_number),
            }
        ),
        "picked": person(request.GET.get("caller")),
        "intake_form": bound.get("intake_form") or IntakeForm(reporter=caller, initial=intake_initial),
        "attach_form": bound.get("attach_form") or AttachForm(),
        "transfer_form": bound.get("transfer_form") or TransferForm(user=user),
        "memo_form": bound.get("memo_form") or CallbackMemoForm(user=user, initial=memo_initial),
        "failed": next(iter(bound), ""),
    }
    return render(request, "desk/call_detail.html", context, status=400 if bound else 200)


def _on_call(name: str, build: Callable[[HttpRequest, PhoneCall], FormT]) -> Callable[..., Any]:
    """An action posted from the call page; a refusal redraws it with the form bound as `name`."""
    return form_action(lambda request, pk: selectors.call_for(request.user, pk), _call_page, name, build)


@login_required
@require_GET
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _call_page(request, selectors.call_for(request.user, pk))


@_on_call("caller_form", lambda request, call: CallerForm(request.POST))
def call_caller(request: HttpRequest, call: PhoneCall, form: CallerForm) -> HttpResponse:
    data = form.cleaned_data
    services.call_caller_set(
        call=call,
        actor=request.user,
        caller=person(data["caller"]),
        caller_name=data["caller_name"],
        caller_department=data["caller_department"],
        caller_number=str(data["caller_number"] or ""),
    )
    return redirect("desk:call_detail", pk=call.pk)


@_on_call("intake_form", lambda request, call: IntakeForm(request.POST, reporter=call.caller))
def call_ticket_new(request: HttpRequest, call: PhoneCall, form: IntakeForm) -> HttpResponse:
    ticket = services.call_ticket_open(call=call, actor=request.user, **form.service_kwargs())
    messages.success(
        request,
        # Translators: in Korean %(number)s carries its subject particle ("#25가"); write no 이/가 after it.
        _("Ticket %(number)s opened. Confirm the caller's identity and ask the symptom questions now.")
        % {"number": josa_if_korean(ticket.number, "이/가")},
    )
    return redirect("desk:ticket_gates", pk=ticket.pk)


@_on_call("attach_form", lambda request, call: AttachForm(request.POST))
def call_attach(request: HttpRequest, call: PhoneCall, form: AttachForm) -> HttpResponse:
    ticket = visible_ticket(request.user, form.cleaned_data["ticket"])
    services.call_ticket_attach(call=call, actor=request.user, ticket=ticket)
    messages.success(request, _("The call is linked to ticket %(number)s.") % {"number": ticket.number})
    return redirect("desk:call_detail", pk=call.pk)


@_on_call("transfer_form", lambda request, call: TransferForm(request.POST, user=request.user))
def call_transfer(request: HttpRequest, call: PhoneCall, form: TransferForm) -> HttpResponse:
    asked: User = form.cleaned_data["to"]
    transfer = services.call_transfer(call=call, actor=request.user, to=asked, topic=form.cleaned_data["topic"])
    if transfer.asked_for_id:
        messages.warning(
            request,
            _("%(absent)s is away; the call went to the backup %(backup)s. Tell the caller so.")
            % {"absent": asked.display_name, "backup": transfer.to_user.display_name},
        )
    else:
        messages.success(request, _("Transferred to %(name)s.") % {"name": transfer.to_user.display_name})
    return redirect("desk:call_detail", pk=call.pk)


@_on_call("memo_form", lambda request, call: CallbackMemoForm(request.POST, user=request.user))
def call_callback(request: HttpRequest, call: PhoneCall, form: CallbackMemoForm) -> HttpResponse:
    memo = services.callback_memo_create(actor=request.user, call=call, ticket=call.ticket, **memo_kwargs(form))
    memo_done(request, memo)
    return redirect("desk:call_detail", pk=call.pk)
