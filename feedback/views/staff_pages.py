"""The staff side of feedback: the desk's intake form (a call, an e-mail, a
letter, a visit), the handler's and lead's queue, the detail page to review,
reply, record the reflection and decide on a complaint (CR3); and the scanned
attachment, served only to those who may see the feedback."""
from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from helpdesk.core.input_bounds import id_param
from tickets.selectors import tickets_visible_to

from .. import selectors
from ..forms import AnswerForm, DecideForm, DeskFeedbackForm, ReflectionFields, ReviewForm
from ..models import Feedback, FeedbackKind
from ..scope import feedback_scope, may_decide
from ..services import complaint_decide, feedback_answer, feedback_file, feedback_reflect, feedback_review

PAGE_SIZE = 25
TABS = ("open", "decide", "answered")


def _by_employee_no(value: str) -> User | None:
    value = (value or "").strip()
    if not value:
        return None
    return User.objects.select_related("team", "department").filter(employee_no__iexact=value, is_active=True).first()


@login_required
@permission_required("tickets.intake_ticket", raise_exception=True)
@require_http_methods(["GET", "POST"])
def desk_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = DeskFeedbackForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            customer = _by_employee_no(d["customer_no"])
            employee = _by_employee_no(d["employee_no"])
            ticket_id = id_param((d["ticket"] or "").lstrip("#"))
            ticket = tickets_visible_to(request.user).select_related("assignee").filter(pk=ticket_id).first() if ticket_id else None
            try:
                if d["customer_no"].strip() and customer is None:
                    raise ActionRefused(_("No employee has that number."), field="customer_no")
                if d["employee_no"].strip() and employee is None:
                    raise ActionRefused(_("No employee has that number."), field="employee_no")
                if d["ticket"].strip() and ticket is None:
                    raise ActionRefused(_("That request was not found."), field="ticket")
                feedback = feedback_file(
                    actor=request.user,
                    kind=d["kind"],
                    channel=d["channel"],
                    body=d["body"],
                    customer=customer,
                    customer_name=d["customer_name"],
                    customer_department=d["customer_department"],
                    contact_phone=d["contact_phone"],
                    ticket=ticket,
                    employee=employee,
                    attachment=d.get("attachment"),
                )
            except ActionRefused as refusal:
                refusal.show_on(form, {"file": "attachment"})
            else:
                messages.success(request, _("The feedback was received and passed to its handler."))
                if Feedback.objects.filter(feedback_scope(request.user), pk=feedback.pk).exists():
                    return redirect("feedback:staff_detail", feedback.pk)
                return redirect("feedback:desk_new")
    else:
        form = DeskFeedbackForm()
    return render(request, "feedback/desk_new.html", {"form": form})


@login_required
@permission_required("tickets.work_ticket", raise_exception=True)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "open")
    if tab not in TABS:
        tab = "open"
    kind = request.GET.get("kind", "")
    page = Paginator(selectors.feedback_queue(request.user, tab=tab, kind=kind), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/staff_queue.html",
        {"tab": tab, "kind": kind, "kinds": FeedbackKind.choices, "page": page, "items": list(page.object_list)},
    )


def _detail(request: HttpRequest, feedback: Feedback, **forms: Any) -> HttpResponse:
    context = {
        "feedback": feedback,
        "events": list(selectors.feedback_events(feedback)),
        "training": selectors.training_of(feedback),
        "may_decide": feedback.can_be_upheld and may_decide(request.user, feedback.employee),
        "review_form": forms.get("review_form") or ReviewForm(initial={"review_note": feedback.review_note}),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "reflect_form": forms.get("reflect_form")
        or ReflectionFields(
            initial={
                "reflected": {True: "yes", False: "no"}.get(feedback.reflected, ""),
                "reflected_what": feedback.reflected_what,
            }
        ),
        "decide_form": forms.get("decide_form") or DecideForm(),
    }
    return render(request, "feedback/staff_detail.html", context, status=400 if forms else 200)


@login_required
@require_GET
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.feedback_for_staff(request.user, pk))


@login_required
@require_POST
def staff_review(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_for_staff(request.user, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            feedback_review(feedback=feedback, actor=request.user, note=form.cleaned_data["review_note"])
        except ActionRefused as refusal:
            refusal.show_on(form)
        else:
            messages.success(request, _("The review note was saved."))
            return redirect("feedback:staff_detail", pk)
    return _detail(request, feedback, review_form=form)


@login_required
@require_POST
def staff_answer(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_for_staff(request.user, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            feedback_answer(
                feedback=feedback,
                actor=request.user,
                reply=form.cleaned_data["reply"],
                reflected=form.reflected_value(),
                reflected_what=form.cleaned_data["reflected_what"],
            )
        except ActionRefused as refusal:
            refusal.show_on(form)
        else:
            messages.success(request, _("The reply was sent to the customer."))
            return redirect("feedback:staff_detail", pk)
    return _detail(request, feedback, answer_form=form)


@login_required
@require_POST
def staff_reflect(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_for_staff(request.user, pk)
    form = ReflectionFields(request.POST)
    if form.is_valid():
        try:
            value = form.reflected_value()
            if value is None:
                raise ActionRefused(_("Choose yes or no."), field="reflected")
            feedback_reflect(
                feedback=feedback, actor=request.user, reflected=value, reflected_what=form.cleaned_data["reflected_what"]
            )
        except ActionRefused as refusal:
            refusal.show_on(form)
        else:
            messages.success(request, _("The reflection was recorded."))
            return redirect("feedback:staff_detail", pk)
    return _detail(request, feedback, reflect_form=form)


@login_required
@require_POST
def staff_decide(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = selectors.feedback_for_staff(request.user, pk)
    if not may_decide(request.user, feedback.employee):
        raise Http404  # CR3: another team's lead never reaches the decision
    form = DecideForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            complaint_decide(
                feedback=feedback, actor=request.user, upheld=d["upheld"] == "yes", reason=d["reason"], training=d["training"]
            )
        except ActionRefused as refusal:
            refusal.show_on(form)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("feedback:staff_detail", pk)
    return _detail(request, feedback, decide_form=form)


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    user = request.user
    feedback = Feedback.objects.filter(pk=pk).first()
    if feedback is None or not feedback.attachment:
        raise Http404
    if feedback.customer_id != user.pk:
        selectors.feedback_for_staff(user, pk)  # 404 unless it is in their queue
    try:
        handle = feedback.attachment.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # A download, never shown inline: an uploaded page must not run in our origin.
    return FileResponse(handle, as_attachment=True, filename=feedback.attachment_name or "attachment")
