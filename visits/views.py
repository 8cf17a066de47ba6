"""Visit pages: the engineer's day and visit card (phone first), the booking page,
and the customer's own visit page.

Views parse the request, call one selector or service, and render. A service's
refusal is shown on the form that was sent, with everything typed kept (the
failed form is passed back bound, and its section opened).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.accounts.phones import phone_format
from helpdesk.core.errors import ActionRefused
from helpdesk.core.input_bounds import CALENDAR, date_param
from helpdesk.core.redirects import safe_next
from tickets.models import Ticket
from tickets.selectors import ticket_for_staff

from . import selectors, services
from .forms import (
    AbsentForm,
    BookForm,
    CancelForm,
    ChecklistForm,
    CompanionForm,
    FilesForm,
    FollowUpForm,
    LateNoticeForm,
    NewRequestForm,
    ProposeForm,
    RebookForm,
    ResolveForm,
    StaffProposeForm,
    show_refusal,
)
from .models import ChecklistMark, ProposedBy, Visit, VisitOutcome, VisitState

PAGE_SIZE = 25

T = TypeVar("T")


def _staff_required(request: HttpRequest) -> None:
    if not request.user.has_perm("tickets.work_ticket"):
        raise Http404


def _attempt(form: forms.Form, step: Callable[[], T]) -> T | None:
    """Run a sent form's service step: what the service returns, or None when the
    form is invalid or the service refused (the refusal is then shown on the form,
    which the caller renders again bound). Services never return None."""
    if not form.is_valid():
        return None
    try:
        return step()
    except ActionRefused as exc:
        show_refusal(form, exc)
        return None


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    if request.user.has_perm("tickets.work_ticket"):
        return redirect("visits:day")
    return redirect("portal:ticket_list")


# --- The engineer's day ------------------------------------------------------------------


@login_required
@require_GET
def day(request: HttpRequest) -> HttpResponse:
    """Today's visits on a phone: in order, each with the department's visit rules
    (SV5), the customer's contact, the asset and its fault history, and one tap
    to check in."""
    _staff_required(request)
    user = request.user
    today = timezone.localdate()
    notices = []
    chosen, why = date_param(request.GET.get("date"), CALENDAR)
    if why:
        notices.append(_("That date was not understood; showing today.") + " " + why)
    shown: date = chosen or today
    page = Paginator(selectors.engineer_day(user, shown), PAGE_SIZE).get_page(request.GET.get("page"))
    visits = list(page.object_list)
    history = selectors.fault_history({v.ticket.asset_id for v in visits if v.ticket.asset_id})
    cards = [
        {
            "visit": v,
            "customer_phone": phone_format(v.ticket.contact_phone) or phone_format(
                v.ticket.reporter.phone if v.ticket.reporter else ""
            ),
            "history": [t for t in history.get(v.ticket.asset_id, []) if t.pk != v.ticket_id],
            "i_am_companion": v.companion_id == user.pk,
        }
        for v in visits
    ]
    return render(
        request,
        "visits/day.html",
        {
            "day": shown,
            "is_today": shown == today,
            "previous_day": shown - timedelta(days=1),
            "next_day": shown + timedelta(days=1),
            "page_obj": page,
            "cards": cards,
            "awaiting": selectors.awaiting_agreement(user),
            "notices": notices,
            "now": timezone.now(),
        },
    )


# --- Booking (from the staff ticket page) ---------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, ticket_pk: int) -> HttpResponse:
    ticket = ticket_for_staff(request.user, ticket_pk)
    if request.method == "POST":
        form = BookForm(request.POST, user=request.user)

        def step() -> Visit:
            start, end = form.window()
            c = form.cleaned_data
            return services.visit_book(
                ticket=ticket,
                engineer=c["engineer"],
                companion=c["companion"],
                actor=request.user,
                start=start,
                end=end,
                purpose=c["purpose"],
                agreed_by_phone=c["agreed_by_phone"],
                off_hours_requested=c["off_hours_requested"],
            )

        visit = _attempt(form, step)
        if visit is not None:
            if visit.state == VisitState.CONFIRMED:
                messages.success(request, _("Visit booked and confirmed; the customer has been sent the details."))
            else:
                messages.success(request, _("Visit proposed; the customer has been asked to confirm the time."))
            return redirect("visits:staff_visit", pk=visit.pk)
    else:
        form = BookForm(
            user=request.user,
            initial={"engineer": ticket.assignee_id or request.user.pk, "purpose": ticket.title},
        )
    return render(request, "visits/book.html", {"ticket": ticket, "form": form})


# --- The visit card (staff) ---------------------------------------------------------------


def _staff_page(request: HttpRequest, visit: Visit, *, open_section: str = "", **bound: Any) -> HttpResponse:
    user = request.user
    ticket = visit.ticket
    entries = selectors.checklist_entries(visit) if visit.state in (VisitState.CHECKED_IN, VisitState.COMPLETED) else []
    history = selectors.fault_history({ticket.asset_id}) if ticket.asset_id else {}
    lead_missing = ticket.reporter_is_vip and not any(
        p is not None and p.has_perm("tickets.lead_team") for p in (visit.engineer, visit.companion)
    )
    context: dict[str, Any] = {
        "visit": visit,
        "ticket": ticket,
        "customer_phone": phone_format(ticket.contact_phone) or phone_format(ticket.reporter.phone if ticket.reporter else ""),
        "can_act": visit.has_on_visit(user.pk) or user.has_perm("tickets.lead_team"),
        "lead_missing": lead_missing,
        "entries": entries,
        "checklist_open": services.checklist_problems(entries),
        "history": [t for t in history.get(ticket.asset_id, []) if t.pk != ticket.pk],
        "events": selectors.visit_events(visit, public_only=False),
        "attachments": selectors.visit_attachments(visit),
        "new_requests": selectors.visit_new_requests(visit),
        "next_visits": selectors.next_visits(visit),
        "before_start": visit.agreed_start is not None and timezone.now() < visit.agreed_start,
        "open_section": open_section,
        "propose_form": bound.get("propose_form") or StaffProposeForm(),
        "cancel_form": bound.get("cancel_form") or CancelForm(),
        "companion_form": bound.get("companion_form")
        or CompanionForm(user=user, initial={"companion": visit.companion_id}),
        "late_form": bound.get("late_form") or LateNoticeForm(visit=visit),
        "checklist_form": bound.get("checklist_form") or ChecklistForm(entries=entries),
        "resolve_form": bound.get("resolve_form")
        or ResolveForm(initial={"signoff_name": ticket.reporter_name}),
        "follow_up_form": bound.get("follow_up_form") or FollowUpForm(),
        "absent_form": bound.get("absent_form") or AbsentForm(),
        "request_form": bound.get("request_form") or NewRequestForm(),
        "files_form": bound.get("files_form") or FilesForm(),
        "confirm_error": bound.get("confirm_error", ""),
        "check_in_error": bound.get("check_in_error", ""),
    }
    return render(request, "visits/staff_visit.html", context)


def _propose(request: HttpRequest, visit: Visit, form: ProposeForm) -> Visit:
    # Staff and customer propose alike; the service tells them apart by the actor
    # (only the staff form has the off-hours box, and the service ignores it from a customer).
    start, end = form.window()
    return services.visit_propose(
        visit=visit,
        actor=request.user,
        start=start,
        end=end,
        note=form.cleaned_data["note"],
        off_hours_requested=form.cleaned_data.get("off_hours_requested", False),
    )


def _cancel(request: HttpRequest, visit: Visit, form: CancelForm) -> Visit:
    # Either side cancels; the service tells the other one.
    return services.visit_cancel(visit=visit, actor=request.user, reason=form.cleaned_data["reason"])


def _back(visit: Visit, anchor: str = "") -> HttpResponse:
    response = redirect("visits:staff_visit", pk=visit.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


# Sections of the visit card a link may ask to open (`?open=resolve`): the next
# step after the checklist is the sign-off, so it arrives opened.
OPENABLE_SECTIONS = frozenset({"resolve", "follow_up", "absent", "late"})


@login_required
@require_GET
def staff_visit(request: HttpRequest, pk: int) -> HttpResponse:
    wanted = request.GET.get("open", "")
    return _staff_page(
        request,
        selectors.visit_for_staff(request.user, pk),
        open_section=wanted if wanted in OPENABLE_SECTIONS else "",
    )


@login_required
@require_POST
def staff_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_staff(request.user, pk)
    try:
        services.visit_confirm(visit=visit, actor=request.user)
    except ActionRefused as exc:
        return _staff_page(request, visit, open_section="confirm", confirm_error=exc.message)
    messages.success(request, _("Visit confirmed; the customer has been sent the details."))
    return _back(visit)


@login_required
@require_POST
def staff_propose(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_staff(request.user, pk)
    form = StaffProposeForm(request.POST)
    if _attempt(form, lambda: _propose(request, visit, form)) is not None:
        messages.success(request, _("New time proposed; the customer has been asked to confirm it."))
        return _back(visit)
    return _staff_page(request, visit, open_section="propose", propose_form=form)


@login_required
@require_POST
def staff_companion(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_staff(request.user, pk)
    form = CompanionForm(request.POST, user=request.user)
    saved = _attempt(
        form,
        lambda: services.visit_companion_set(visit=visit, companion=form.cleaned_data["companion"], actor=request.user),
    )
    if saved is not None:
        messages.success(request, _("Companion saved."))
        return _back(visit)
    return _staff_page(request, visit, open_section="companion", companion_form=form)


@login_required
@require_POST
def staff_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_staff(request.user, pk)
    form = CancelForm(request.POST)
    if _attempt(form, lambda: _cancel(request, visit, form)) is not None:
        messages.success(request, _("Visit cancelled; the customer has been told."))
        return _back(visit)
    return _staff_page(request, visit, open_section="cancel", cancel_form=form)


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_staff(request.user, pk)
    try:
        visit = services.visit_check_in(visit=visit, actor=request.user)
    except ActionRefused as exc:
        if request.POST.get("next"):
            messages.error(request, exc.message)
            return redirect(safe_next(request, "visits:day"))
        return _staff_page(request, visit, check_in_error=exc.message)
    minutes = visit.punctuality_minutes or 0
    if minutes > 0:
        messages.warning(request, _("Checked in, %(n)s minutes after the agreed start.") % {"n": minutes})
    else:
        messages.success(request, _("Checked in on time."))
    return redirect(safe_next(request, f"{visit_url(visit)}#checklist"))


def visit_url(visit: Visit) -> str:
    return reverse("visits:staff_visit", args=[visit.pk])


@login_required
@require_POST
def late_notice(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_staff(request.user, pk)
    form = LateNoticeForm(request.POST, visit=visit)
    sent = _attempt(
        form,
        lambda: services.visit_late_notice_send(
            visit=visit, actor=request.user, new_arrival=form.arrival(), reason=form.cleaned_data["reason"]
        ),
    )
    if sent is not None:
        messages.success(request, _("Late notice sent to the customer."))
        return _back(visit)
    return _staff_page(request, visit, open_section="late", late_form=form)


@login_required
@require_POST
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_staff(request.user, pk)
    form = ChecklistForm(request.POST, entries=selectors.checklist_entries(visit))
    if request.POST.get("all_ok"):
        # "All OK": the items marked otherwise are the exceptions; the sign-off comes next.
        saved = _attempt(
            form,
            lambda: services.visit_checklist_all_ok(visit=visit, actor=request.user, exceptions=form.marks()),
        )
        if saved is not None:
            excepted = sum(1 for mark, _note in form.marks().values() if mark and mark != ChecklistMark.OK)
            if excepted:
                messages.success(
                    request,
                    ngettext(
                        "Checklist saved: %(n)s exception, every other item OK.",
                        "Checklist saved: %(n)s exceptions, every other item OK.",
                        excepted,
                    )
                    % {"n": excepted},
                )
            else:
                messages.success(request, _("Checklist saved: every item OK."))
            return redirect(f"{visit_url(visit)}?open=resolve#resolve")
        return _staff_page(request, visit, open_section="checklist", checklist_form=form)
    saved = _attempt(form, lambda: services.visit_checklist_fill(visit=visit, actor=request.user, marks=form.marks()))
    if saved is not None:
        messages.success(request, _("Checklist saved."))
        return _back(visit, "outcome")
    return _staff_page(request, visit, open_section="checklist", checklist_form=form)


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_staff(request.user, pk)
    form = ResolveForm(request.POST)
    result = _attempt(
        form,
        lambda: services.visit_resolve(
            visit=visit,
            actor=request.user,
            signoff_name=form.cleaned_data["signoff_name"],
            signature=form.cleaned_data["signature"],
            work_note=form.cleaned_data["work_note"],
        ),
    )
    if result is not None:
        messages.success(request, _("Visit completed and signed off; the customer has been thanked."))
        if not result.ticket_resolved:
            messages.warning(request, result.ticket_note)
        return _back(visit)
    return _staff_page(request, visit, open_section="resolve", resolve_form=form)


@login_required
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_staff(request.user, pk)
    form = FollowUpForm(request.POST)

    def step() -> Visit:
        start, end = form.window()
        return services.visit_follow_up(
            visit=visit,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            next_start=start,
            next_end=end,
            off_hours_requested=form.cleaned_data["off_hours_requested"],
        )

    following = _attempt(form, step)
    if following is not None:
        messages.success(request, _("Visit completed; the customer has been told why and asked to confirm the next visit."))
        return _back(following)
    return _staff_page(request, visit, open_section="follow_up", follow_up_form=form)


@login_required
@require_POST
def absent(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_staff(request.user, pk)
    form = AbsentForm(request.POST)
    recorded = _attempt(
        form, lambda: services.visit_customer_absent(visit=visit, actor=request.user, note=form.cleaned_data["note"])
    )
    if recorded is not None:
        messages.success(request, _("Recorded: customer absent. A text message with your contact and a link to rebook has been sent."))
        return _back(visit)
    return _staff_page(request, visit, open_section="absent", absent_form=form)


@login_required
@require_POST
def new_request(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_staff(request.user, pk)
    form = NewRequestForm(request.POST)

    def step() -> Ticket:
        c = form.cleaned_data
        return services.visit_request_create(
            visit=visit,
            actor=request.user,
            title=c["title"],
            description=c["description"],
            kind=c["kind"],
            same_equipment=c["same_equipment"],
            asset_other=c["asset_other"],
        )

    ticket = _attempt(form, step)
    if ticket is not None:
        messages.success(request, _("New request %(number)s taken on site.") % {"number": ticket.number})
        return _back(visit, "requests")
    return _staff_page(request, visit, open_section="request", request_form=form)


@login_required
@require_POST
def files(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_staff(request.user, pk)
    form = FilesForm(request.POST, request.FILES)
    stored = _attempt(
        form, lambda: services.visit_attach(visit=visit, actor=request.user, files=form.cleaned_data["files"])
    )
    if stored is not None:
        messages.success(request, _("%(n)s file(s) added to the visit.") % {"n": len(stored)})
        return _back(visit, "files")
    return _staff_page(request, visit, open_section="files", files_form=form)


# --- Files and the signature ------------------------------------------------------------------


def _visit_for_anyone(request: HttpRequest, pk: int) -> Visit:
    user = request.user
    if user.has_perm("tickets.work_ticket"):
        try:
            return selectors.visit_for_staff(user, pk)
        except Http404:
            pass
    return selectors.visit_for_customer(user, pk)


@login_required
@require_GET
def signature(request: HttpRequest, pk: int) -> FileResponse:
    visit = _visit_for_anyone(request, pk)
    if not visit.signature:
        raise Http404
    try:
        handle = visit.signature.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Checked as a PNG when stored (visits.signatures), so it may show inline.
    return FileResponse(handle, content_type="image/png")


@login_required
@require_GET
def file_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.attachment_for(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


# --- The customer's side -------------------------------------------------------------------


def _customer_page(request: HttpRequest, visit: Visit, *, open_section: str = "", **bound: Any) -> HttpResponse:
    ticket = visit.ticket
    engineer = visit.engineer
    context = {
        "visit": visit,
        "ticket": ticket,
        "engineer": engineer,
        "engineer_team": engineer.team if engineer.team_id else None,
        "can_confirm": visit.state == VisitState.PROPOSED and visit.proposed_by == ProposedBy.STAFF,
        "waiting_for_us": visit.state == VisitState.PROPOSED and visit.proposed_by == ProposedBy.CUSTOMER,
        "can_rebook": visit.state == VisitState.COMPLETED
        and visit.outcome == VisitOutcome.CUSTOMER_ABSENT
        and ticket.is_open,
        "events": selectors.visit_events(visit, public_only=True),
        "attachments": selectors.visit_attachments(visit),
        "next_visits": selectors.next_visits(visit),
        "open_section": open_section,
        "propose_form": bound.get("propose_form") or ProposeForm(),
        "cancel_form": bound.get("cancel_form") or CancelForm(),
        "rebook_form": bound.get("rebook_form") or RebookForm(),
        "confirm_error": bound.get("confirm_error", ""),
    }
    return render(request, "visits/customer_visit.html", context)


@login_required
@require_GET
def customer_visit(request: HttpRequest, pk: int) -> HttpResponse:
    return _customer_page(request, selectors.visit_for_customer(request.user, pk))


def _customer_back(visit: Visit) -> HttpResponse:
    return redirect("visits:customer_visit", pk=visit.pk)


@login_required
@require_POST
def customer_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_customer(request.user, pk)
    try:
        services.visit_confirm(visit=visit, actor=request.user)
    except ActionRefused as exc:
        return _customer_page(request, visit, open_section="confirm", confirm_error=exc.message)
    messages.success(request, _("Thank you. The visit is confirmed; we will see you then."))
    return _customer_back(visit)


@login_required
@require_POST
def customer_propose(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_customer(request.user, pk)
    form = ProposeForm(request.POST)
    if _attempt(form, lambda: _propose(request, visit, form)) is not None:
        messages.success(request, _("Your time has been sent; the engineer will confirm it."))
        return _customer_back(visit)
    return _customer_page(request, visit, open_section="propose", propose_form=form)


@login_required
@require_POST
def customer_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_customer(request.user, pk)
    form = CancelForm(request.POST)
    if _attempt(form, lambda: _cancel(request, visit, form)) is not None:
        messages.success(request, _("The visit is cancelled; the engineer has been told."))
        return _customer_back(visit)
    return _customer_page(request, visit, open_section="cancel", cancel_form=form)


@login_required
@require_POST
def customer_rebook(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for_customer(request.user, pk)
    form = RebookForm(request.POST)

    def step() -> Visit:
        start, end = form.window()
        return services.visit_rebook(
            visit=visit, actor=request.user, start=start, end=end, note=form.cleaned_data["note"]
        )

    following = _attempt(form, step)
    if following is not None:
        messages.success(request, _("Your time has been sent; the engineer will confirm it."))
        return _customer_back(following)
    return _customer_page(request, visit, open_section="rebook", rebook_form=form)
