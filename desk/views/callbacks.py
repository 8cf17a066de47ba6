"""Callback memos (PH3): the list by scope, a memo taken off the phone page, one
memo and its close. The memo form's handling is shared with the call page.
"""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from helpdesk.accounts.models import User
from helpdesk.core.times import local_text

from .. import selectors, services
from ..forms import CallbackCloseForm, CallbackMemoForm
from ..models import CallbackMemo
from .shared import form_action, lookup, page, person, person_initial, submit


def memo_kwargs(form: CallbackMemoForm) -> dict[str, Any]:
    """The memo form's cleaned values as `services.callback_memo_create` takes them."""
    data = form.cleaned_data
    return {
        "handler": data["handler"],
        "caller_name": data["caller_name"],
        "department": data["department"],
        "phone": str(data["phone"] or ""),
        "matter": data["matter"],
        "caller": person(data["caller"]),
    }


def memo_done(request: HttpRequest, memo: CallbackMemo) -> None:
    """Tell the taker whom the memo went to and by when, noting a backup stand-in."""
    text = _("Callback memo for %(handler)s: call back by %(due)s.") % {
        "handler": memo.for_handler.display_name,
        "due": local_text(memo.due_at),
    }
    if memo.asked_for_id:
        text = _("%(absent)s is away; the memo went to the backup. ") % {"absent": memo.asked_for.display_name} + text
    messages.success(request, text)


def _scope_label(scope: str) -> str:
    return {
        selectors.MemoScope.MINE: _("Mine to call back"),
        selectors.MemoScope.TEAM: _("My teams"),
        selectors.MemoScope.ALL: _("All open"),
        selectors.MemoScope.DONE: _("Called back"),
    }[scope]


@login_required
@permission_required("tickets.work_ticket", raise_exception=True)
@require_GET
def callbacks(request: HttpRequest) -> HttpResponse:
    scopes = selectors.memo_scopes(request.user)
    scope = request.GET.get("scope", "")
    if scope not in scopes:
        scope = selectors.MemoScope.MINE
    return render(
        request,
        "desk/callbacks.html",
        {
            "tabs": [(s, _scope_label(s)) for s in scopes],
            "scope": scope,
            "page_obj": page(request, selectors.callback_memos(request.user, scope)),
        },
    )


def _memo_new_page(request: HttpRequest, form: CallbackMemoForm, caller: User | None) -> HttpResponse:
    return render(request, "desk/callback_new.html", {**lookup(request), "form": form, "caller": caller})


@login_required
@permission_required("tickets.work_ticket", raise_exception=True)
@require_http_methods(["GET", "POST"])
def callback_new(request: HttpRequest) -> HttpResponse:
    """A callback memo taken outside the phone page (an engineer's own phone)."""
    caller = person(request.POST.get("caller") if request.method == "POST" else request.GET.get("caller"))
    if request.method != "POST":
        initial = person_initial(caller, pk="caller", name="caller_name", department="department", phone="phone")
        return _memo_new_page(request, CallbackMemoForm(user=request.user, initial=initial), caller)
    form = CallbackMemoForm(request.POST, user=request.user)

    def take() -> HttpResponse:
        memo = services.callback_memo_create(actor=request.user, **memo_kwargs(form))
        memo_done(request, memo)
        return redirect("desk:callback_detail", pk=memo.pk)

    return submit(form, take, lambda: _memo_new_page(request, form, caller))


def _memo_page(request: HttpRequest, memo: CallbackMemo, form: CallbackCloseForm | None = None) -> HttpResponse:
    return render(
        request,
        "desk/callback_detail.html",
        {"memo": memo, "form": form or CallbackCloseForm(), "overdue": memo.is_overdue()},
        status=400 if form is not None else 200,
    )


@login_required
@require_GET
def callback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _memo_page(request, selectors.memo_for(request.user, pk))


@form_action(
    lambda request, pk: selectors.memo_for(request.user, pk),
    _memo_page,
    "form",
    lambda request, memo: CallbackCloseForm(request.POST),
)
def callback_close(request: HttpRequest, memo: CallbackMemo, form: CallbackCloseForm) -> HttpResponse:
    services.callback_memo_close(memo=memo, actor=request.user, note=form.cleaned_data["note"])
    messages.success(request, _("Callback recorded. Thank you."))
    return redirect("desk:callback_detail", pk=memo.pk)
