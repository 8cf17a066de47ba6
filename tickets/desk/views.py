"""The desk's pages: phone intake, calls, callback memos, walk-ins, the staff
directory, the fault gates (staff and customer), and the phone system's endpoint.

Views parse the request, call one selector or service and render. A service's
ActionRefused is shown on the form it came from, with everything typed kept.
"""
from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.accounts.models import User
from helpdesk.accounts.phones import phone_format
from helpdesk.accounts.selectors import LOOKUP_LIMIT, employee_search
from helpdesk.core.errors import ActionRefused
from tickets.forms.staff import IntakeForm, LookupForm
from tickets.models import Channel, Ticket
from tickets.selectors import ticket_for_customer, ticket_for_staff, tickets_visible_to

from . import selectors, services
from .forms import (
    AttachForm,
    CallbackCloseForm,
    CallbackMemoForm,
    CallerForm,
    CallStartForm,
    ConsentRecordForm,
    DiagnosisForm,
    IdentityForm,
    PhoneSystemCallForm,
    SymptomForm,
    TransferForm,
    WalkInForm,
)
from .models import CallSource, PhoneCall
from .presenters import wait_text
from .services.common import local

PAGE_SIZE = 25


def _refuse(form: forms.Form, exc: ActionRefused, rename: Mapping[str, str] | None = None) -> None:
    """Show a service's refusal beside the field it concerns when the form has it."""
    field = (rename or {}).get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _person(raw: Any) -> User | None:
    """An active employee picked from a lookup (the id travels in a hidden field)."""
    if raw in (None, "") or not str(raw).isdigit():
        return None
    return User.objects.select_related("department", "position").filter(pk=int(raw), is_active=True).first()


def _lookup(request: HttpRequest) -> dict[str, Any]:
    """The phone/name/employee-number search shared by the phone and walk-in pages."""
    lookup = LookupForm(request.GET)
    q = lookup.cleaned_data["q"] if lookup.is_valid() else ""
    matches = list(employee_search(q)) if q else []
    return {"lookup": lookup, "q": q, "matches": matches, "too_many": len(matches) >= LOOKUP_LIMIT}


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Phone intake (PH1) ----------------------------------------------------------------------


def _phone_page(request: HttpRequest, *, form: CallStartForm | None = None, caller: User | None = None) -> HttpResponse:
    user = request.user
    caller = caller if caller is not None else _person(request.GET.get("caller"))
    if form is None:
        initial: dict[str, Any] = {}
        if caller is not None:
            initial = {
                "caller": caller.pk,
                "caller_name": caller.display_name,
                "caller_department": caller.department_id,
                "caller_number": phone_format(caller.phone),
            }
        form = CallStartForm(initial=initial, caller=caller)
    today = selectors.today_start()
    context = {
        **_lookup(request),
        "caller": caller,
        "form": form,
        "page_obj": _page(request, selectors.calls_recent(user)),
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
    caller = _person(request.POST.get("caller"))
    form = CallStartForm(request.POST, caller=caller)
    if form.is_valid():
        data = form.cleaned_data
        try:
            call, _created = services.call_record(
                agent=request.user,
                rings=data["rings"],
                seconds_to_answer=data["seconds_to_answer"],
                caller=caller,
                caller_number=str(data["caller_number"] or ""),
                caller_name=data["caller_name"],
                caller_department=data["caller_department"],
            )
        except ActionRefused as exc:
            _refuse(form, exc)
        else:
            return redirect("desk:call_detail", pk=call.pk)
    return _phone_page(request, form=form, caller=caller)


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
        **_lookup(request),
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
        "picked": _person(request.GET.get("caller")),
        "intake_form": bound.get("intake_form") or IntakeForm(reporter=caller, initial=intake_initial),
        "attach_form": bound.get("attach_form") or AttachForm(),
        "transfer_form": bound.get("transfer_form") or TransferForm(user=user),
        "memo_form": bound.get("memo_form") or CallbackMemoForm(user=user, initial=memo_initial),
        "failed": next(iter(bound), ""),
    }
    return render(request, "desk/call_detail.html", context, status=400 if bound else 200)


@login_required
@require_GET
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _call_page(request, selectors.call_for(request.user, pk))


@login_required
@require_POST
def call_caller(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_for(request.user, pk)
    form = CallerForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.call_caller_set(
                call=call,
                actor=request.user,
                caller=_person(data["caller"]),
                caller_name=data["caller_name"],
                caller_department=data["caller_department"],
                caller_number=str(data["caller_number"] or ""),
            )
        except ActionRefused as exc:
            _refuse(form, exc)
        else:
            return redirect("desk:call_detail", pk=call.pk)
    return _call_page(request, call, caller_form=form)


@login_required
@require_POST
def call_ticket_new(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_for(request.user, pk)
    form = IntakeForm(request.POST, reporter=call.caller)
    if form.is_valid():
        try:
            ticket = services.call_ticket_open(call=call, actor=request.user, **form.service_kwargs())
        except ActionRefused as exc:
            _refuse(form, exc)
        else:
            messages.success(
                request,
                _("Ticket %(number)s opened. Confirm the caller's identity and ask the symptom questions now.")
                % {"number": ticket.number},
            )
            return redirect("desk:ticket_gates", pk=ticket.pk)
    return _call_page(request, call, intake_form=form)


@login_required
@require_POST
def call_attach(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_for(request.user, pk)
    form = AttachForm(request.POST)
    if form.is_valid():
        ticket = tickets_visible_to(request.user).filter(pk=form.cleaned_data["ticket"]).first()
        if ticket is None:
            form.add_error("ticket", _("There is no ticket with that number that you can see."))
        else:
            try:
                services.call_ticket_attach(call=call, actor=request.user, ticket=ticket)
            except ActionRefused as exc:
                _refuse(form, exc)
            else:
                messages.success(request, _("The call is linked to ticket %(number)s.") % {"number": ticket.number})
                return redirect("desk:call_detail", pk=call.pk)
    return _call_page(request, call, attach_form=form)


@login_required
@require_POST
def call_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_for(request.user, pk)
    form = TransferForm(request.POST, user=request.user)
    if form.is_valid():
        asked: User = form.cleaned_data["to"]
        try:
            transfer = services.call_transfer(
                call=call, actor=request.user, to=asked, topic=form.cleaned_data["topic"]
            )
        except ActionRefused as exc:
            _refuse(form, exc)
        else:
            if transfer.asked_for_id:
                messages.warning(
                    request,
                    _("%(absent)s is away; the call went to the backup %(backup)s. Tell the caller so.")
                    % {"absent": asked.display_name, "backup": transfer.to_user.display_name},
                )
            else:
                messages.success(request, _("Transferred to %(name)s.") % {"name": transfer.to_user.display_name})
            return redirect("desk:call_detail", pk=call.pk)
    return _call_page(request, call, transfer_form=form)


def _memo_kwargs(form: CallbackMemoForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "handler": data["handler"],
        "caller_name": data["caller_name"],
        "department": data["department"],
        "phone": str(data["phone"] or ""),
        "matter": data["matter"],
        "caller": _person(data["caller"]),
    }


def _memo_done(request: HttpRequest, memo: Any) -> None:
    text = _("Callback memo for %(handler)s: call back by %(due)s.") % {
        "handler": memo.for_handler.display_name,
        "due": local(memo.due_at),
    }
    if memo.asked_for_id:
        text = _("%(absent)s is away; the memo went to the backup. ") % {"absent": memo.asked_for.display_name} + text
    messages.success(request, text)


@login_required
@require_POST
def call_callback(request: HttpRequest, pk: int) -> HttpResponse:
    call = selectors.call_for(request.user, pk)
    form = CallbackMemoForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            memo = services.callback_memo_create(actor=request.user, call=call, ticket=call.ticket, **_memo_kwargs(form))
        except ActionRefused as exc:
            _refuse(form, exc)
        else:
            _memo_done(request, memo)
            return redirect("desk:call_detail", pk=call.pk)
    return _call_page(request, call, memo_form=form)


# --- Callback memos (PH3) -----------------------------------------------------------------------


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
            "page_obj": _page(request, selectors.callback_memos(request.user, scope)),
        },
    )


@login_required
@permission_required("tickets.work_ticket", raise_exception=True)
@require_http_methods(["GET", "POST"])
def callback_new(request: HttpRequest) -> HttpResponse:
    """A callback memo taken outside the phone page (an engineer's own phone)."""
    caller = _person(request.POST.get("caller") if request.method == "POST" else request.GET.get("caller"))
    if request.method == "POST":
        form = CallbackMemoForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                memo = services.callback_memo_create(actor=request.user, **_memo_kwargs(form))
            except ActionRefused as exc:
                _refuse(form, exc)
            else:
                _memo_done(request, memo)
                return redirect("desk:callback_detail", pk=memo.pk)
    else:
        initial: dict[str, Any] = {}
        if caller is not None:
            initial = {
                "caller": caller.pk,
                "caller_name": caller.display_name,
                "department": caller.department_id,
                "phone": phone_format(caller.phone),
            }
        form = CallbackMemoForm(user=request.user, initial=initial)
    return render(request, "desk/callback_new.html", {**_lookup(request), "form": form, "caller": caller})


def _memo_page(request: HttpRequest, memo: Any, form: CallbackCloseForm | None = None) -> HttpResponse:
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


@login_required
@require_POST
def callback_close(request: HttpRequest, pk: int) -> HttpResponse:
    memo = selectors.memo_for(request.user, pk)
    form = CallbackCloseForm(request.POST)
    if form.is_valid():
        try:
            services.callback_memo_close(memo=memo, actor=request.user, note=form.cleaned_data["note"])
        except ActionRefused as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("Callback recorded. Thank you."))
            return redirect("desk:callback_detail", pk=memo.pk)
    return _memo_page(request, memo, form)


# --- Walk-ins (OV2–OV4) --------------------------------------------------------------------------


def _walk_ins_page(request: HttpRequest, form: WalkInForm | None = None, visitor: User | None = None) -> HttpResponse:
    user = request.user
    visitor = visitor if visitor is not None else _person(request.GET.get("visitor"))
    if form is None:
        initial: dict[str, Any] = {}
        if visitor is not None:
            initial = {"visitor": visitor.pk, "visitor_name": visitor.display_name, "department": visitor.department_id}
        form = WalkInForm(user=user, initial=initial)
    week = selectors.week_start()
    return render(
        request,
        "desk/walk_ins.html",
        {
            **_lookup(request),
            "visitor": visitor,
            "form": form,
            "page_obj": _page(request, selectors.walk_ins_list(user)),
            "stats_today": selectors.walk_in_wait_stats(since=selectors.today_start()),
            "stats_week": selectors.walk_in_wait_stats(since=week),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@permission_required("tickets.work_ticket", raise_exception=True)
@require_http_methods(["GET", "POST"])
def walk_ins(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _walk_ins_page(request)
    visitor = _person(request.POST.get("visitor"))
    form = WalkInForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        ticket = None
        if data["ticket"]:
            ticket = tickets_visible_to(request.user).filter(pk=data["ticket"]).first()
            if ticket is None:
                form.add_error("ticket", _("There is no ticket with that number that you can see."))
        if not form.errors:
            try:
                walk_in = services.walk_in_log(
                    actor=request.user,
                    handler=data["handler"],
                    visitor=visitor,
                    visitor_name=data["visitor_name"],
                    department=data["department"],
                    matter=data["matter"],
                    ticket=ticket,
                )
            except ActionRefused as exc:
                _refuse(form, exc)
            else:
                if walk_in.via_backup:
                    messages.warning(
                        request,
                        _("%(absent)s is away; please take %(visitor)s to the backup %(backup)s, with our apologies.")
                        % {
                            "absent": data["handler"].display_name,
                            "visitor": walk_in.visitor_name,
                            "backup": walk_in.routed_to.display_name,
                        },
                    )
                else:
                    messages.success(
                        request,
                        _("%(handler)s has been told that %(visitor)s is waiting.")
                        % {"handler": walk_in.routed_to.display_name, "visitor": walk_in.visitor_name},
                    )
                return redirect("desk:walk_ins")
    return _walk_ins_page(request, form, visitor)


@login_required
@require_POST
def walk_in_serve(request: HttpRequest, pk: int) -> HttpResponse:
    walk_in = selectors.walk_in_for(request.user, pk)
    try:
        walk_in = services.walk_in_serve(walk_in=walk_in, actor=request.user)
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return redirect(_safe_next(request, reverse("desk:walk_ins")))
    messages.success(
        request,
        _("Serving %(visitor)s (waited %(wait)s).")
        % {"visitor": walk_in.visitor_name, "wait": wait_text(walk_in.wait_seconds)},
    )
    if walk_in.ticket_id:
        return redirect("staff:ticket_detail", pk=walk_in.ticket_id)
    if request.user.has_perm("tickets.intake_ticket"):
        target = reverse("staff:intake")
        return redirect(f"{target}?reporter={walk_in.visitor_id}" if walk_in.visitor_id else target)
    return redirect(_safe_next(request, reverse("desk:walk_ins")))


# --- Staff directory (OV1, PH2) -------------------------------------------------------------------


@login_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    page = _page(request, selectors.staff_directory(q))
    return render(request, "desk/directory.html", {"q": q, "page_obj": page})


# --- The fault gates: staff side (MT3, MT4) -----------------------------------------------------------


def _gates_page(request: HttpRequest, ticket: Ticket, **bound: forms.Form) -> HttpResponse:
    return render(
        request,
        "desk/ticket_gates.html",
        {"ticket": ticket, "bound": bound},
        status=400 if bound else 200,
    )


def _staff_ticket(request: HttpRequest, pk: int) -> Ticket:
    return ticket_for_staff(request.user, pk)


def _gate_done(request: HttpRequest, ticket: Ticket, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect(_safe_next(request, reverse("desk:ticket_gates", args=[ticket.pk])))


@login_required
@require_GET
def ticket_gates(request: HttpRequest, pk: int) -> HttpResponse:
    return _gates_page(request, _staff_ticket(request, pk))


@login_required
@require_POST
def identity_record(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _staff_ticket(request, pk)
    form = IdentityForm(request.POST)
    if form.is_valid():
        try:
            check = services.identity_check_record(ticket=ticket, actor=request.user, **form.cleaned_data)
        except ActionRefused as exc:
            _refuse(form, exc)
        else:
            return _gate_done(
                request, ticket, _("Identity confirmed (%(method)s).") % {"method": check.get_method_display()}
            )
    return _gates_page(request, ticket, identity_form=form)


@login_required
@require_POST
def symptoms_record(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _staff_ticket(request, pk)
    gates = selectors.gates_for(ticket, with_questions=True)
    form = SymptomForm(request.POST, questions=gates.questions, answers=ticket.symptom_answers)
    if form.is_valid():
        try:
            services.symptom_answers_record(ticket=ticket, actor=request.user, answers=form.answers())
        except ActionRefused as exc:
            _refuse(form, exc)
        else:
            return _gate_done(request, ticket, _("Symptom answers saved."))
    return _gates_page(request, ticket, symptom_form=form)


@login_required
@require_POST
def diagnosis_record(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _staff_ticket(request, pk)
    form = DiagnosisForm(request.POST)
    if form.is_valid():
        try:
            services.diagnosis_record(
                ticket=ticket,
                actor=request.user,
                findings=form.cleaned_data["findings"],
                expected_minutes=form.expected_minutes(),
                ask_consent=form.cleaned_data["ask_consent"],
            )
        except ActionRefused as exc:
            _refuse(form, exc, {"expected_minutes": "duration"})
        else:
            text = (
                _("Diagnosis recorded; the customer has been asked to agree.")
                if form.cleaned_data["ask_consent"]
                else _("Diagnosis recorded.")
            )
            return _gate_done(request, ticket, text)
    return _gates_page(request, ticket, diagnosis_form=form)


@login_required
@require_POST
def consent_record(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _staff_ticket(request, pk)
    form = ConsentRecordForm(request.POST)
    if form.is_valid():
        try:
            services.consent_record(ticket=ticket, actor=request.user, **form.cleaned_data)
        except ActionRefused as exc:
            _refuse(form, exc)
        else:
            return _gate_done(request, ticket, _("Consent recorded; the repair can start."))
    return _gates_page(request, ticket, consent_form=form)


# --- The fault gates: the customer's consent (MT4) -----------------------------------------------------


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
        return redirect(_safe_next(request, reverse("desk:consent", args=[ticket.pk])))
    return render(request, "desk/customer_consent.html", {"ticket": ticket})


# --- The phone system's endpoint (PH1) ---------------------------------------------------------------


def _token_ok(request: HttpRequest) -> bool:
    expected = getattr(settings, "PHONE_SYSTEM_TOKEN", "") or ""
    header = request.headers.get("Authorization", "")
    scheme, _sep, given = header.partition(" ")
    if not expected or scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def _json_error(status: int, errors: dict[str, list[str]]) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status)


def _agent_named(name: str) -> User | None:
    return (
        User.objects.filter(is_active=True)
        .filter(Q(username=name) | Q(employee_no__iexact=name))
        .select_related("team")
        .first()
    )


@csrf_exempt
@require_POST
def api_calls(request: HttpRequest) -> JsonResponse:
    """POST an answered call from the phone system (documented in the README)."""
    if not _token_ok(request):
        response = _json_error(401, {"__all__": [_("A valid phone system token is required.")]})
        response["WWW-Authenticate"] = 'Bearer realm="charterdesk phone system"'
        return response
    try:
        body = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _json_error(400, {"__all__": [_("The body must be a JSON object.")]})
    if not isinstance(body, dict):
        return _json_error(400, {"__all__": [_("The body must be a JSON object.")]})
    form = PhoneSystemCallForm({k: v for k, v in body.items() if v is not None})
    if not form.is_valid():
        return _json_error(400, {k: [e["message"] for e in v] for k, v in form.errors.get_json_data().items()})
    data = form.cleaned_data
    agent = _agent_named(data["agent"])
    if agent is None:
        return _json_error(400, {"agent": [_("No active user has that username or employee number.")]})
    try:
        call, created = services.call_record(
            agent=agent,
            rings=data["rings"],
            seconds_to_answer=data["seconds_to_answer"],
            caller_number=data["caller_number"],
            source=CallSource.PHONE_SYSTEM,
            external_id=data["call_id"] or None,
            received_at=data["received_at"],
        )
    except ActionRefused as exc:
        return _json_error(400, {exc.field or "__all__": [exc.message]})
    caller = call.caller
    return JsonResponse(
        {
            "id": call.pk,
            "url": request.build_absolute_uri(reverse("desk:call_detail", args=[call.pk])),
            "answered_in_time": call.answered_in_time,
            "agent": call.agent.username,
            "caller": {"id": caller.pk, "name": caller.display_name, "department": call.caller_department.name if call.caller_department else ""}
            if caller is not None
            else None,
        },
        status=201 if created else 200,
    )
