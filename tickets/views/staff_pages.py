"""The staff side: work queue, ticket page with its actions, and desk intake.

Views parse the request, call one selector or service and render. Who may see
what is the selectors' business (`ticket_for_staff` is a 404 for anything the
user may not see); what may happen to a ticket is the services'.
"""
from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.accounts.models import User
from helpdesk.accounts.phones import phone_format
from helpdesk.accounts.selectors import LOOKUP_LIMIT, employee_search
from helpdesk.core.errors import ActionRefused
from helpdesk.core.input_bounds import id_param
from helpdesk.core.paging import CappedPaginator

from ..forms.common import answer_display
from ..forms.staff import (
    AssignForm,
    CommentForm,
    IntakeForm,
    LookupForm,
    PriorityForm,
    QueueFilterForm,
    TeamMoveForm,
    TransitionForm,
)
from ..lifecycle import STAFF, transitions_from
from ..models import Ticket
from ..panels import panels_render
from ..selectors import (
    Queue,
    QueueFilters,
    attachments_for,
    queue_page_rows,
    staff_queue,
    ticket_for_staff,
    tickets_visible_to,
    timeline,
)
from ..services import (
    comment_add,
    ticket_assign,
    ticket_create,
    ticket_set_priority,
    ticket_team_move,
    ticket_transition,
)

PAGE_SIZE = 25
# The status form's own ids: the pre-repair gates, drawn into the same page on
# demand, have a "note" of their own, and two id_note would leave one unlabelled.
TRANSITION_IDS = "status_%s"


# The service names the argument it refused; the form may call it something else.
_FIELD_FOR = {"file": "attachments"}


def _refuse(form: forms.Form, exc: ActionRefused) -> None:
    """Show a service's refusal on the form, beside the field it concerns when the form has it."""
    exc.show_on(form, _FIELD_FOR)
    if _FIELD_FOR.get(exc.field or "") == "attachments" and "attachments" in form.fields:
        # Browsers never send a file twice; the typed text is kept, the files are not.
        form.add_error("attachments", _("Everything else you typed is kept; please choose the files again."))


# --- Queue ---------------------------------------------------------------------


def _tabs(user: User) -> list[tuple[str, str]]:
    tabs = [(Queue.MINE, _("Mine")), (Queue.TEAM, _("My team")), (Queue.UNASSIGNED, _("Unassigned"))]
    if user.has_perm("tickets.view_all_tickets"):
        tabs.append((Queue.ALL, _("All")))
    return tabs


def _default_tab(user: User) -> str:
    """Someone with open work of their own starts there; everyone else on the team's work."""
    has_own = staff_queue(user, QueueFilters(queue=Queue.MINE, status="open")).exists()
    return Queue.MINE if has_own else Queue.TEAM


@login_required
@permission_required("tickets.work_ticket", raise_exception=True)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    notices: list[str] = []
    tabs = _tabs(user)
    tab = request.GET.get("tab", "")
    if tab not in {value for value, _label in tabs}:
        if tab:
            notices.append(_("That list is not available; showing the default one."))
        tab = _default_tab(user)

    form = QueueFilterForm(request.GET, user=user)
    filters = form.filters(queue=tab)
    ignored = form.ignored_labels()
    if ignored:
        notices.append(
            _("Some filters were not understood and were left out: %(fields)s.") % {"fields": ", ".join(ignored)}
        )

    paginator = CappedPaginator(queue_page_rows(staff_queue(user, filters)), PAGE_SIZE)
    requested_page = request.GET.get("page", "1")
    page = paginator.get_page(requested_page)
    if requested_page != str(page.number):
        notices.append(_("There is no page %(asked)s; showing page %(shown)s.") % {"asked": requested_page, "shown": page.number})

    return render(
        request,
        "tickets/staff/queue.html",
        {
            "tabs": tabs,
            "tab": tab,
            "form": form,
            "page_obj": page,
            "notices": notices,
            "now": timezone.now(),
            "is_filtered": any(v for k, v in request.GET.items() if k not in ("tab", "page", "person")),
            "more_filters": any(request.GET.get(name) for name in QueueFilterForm.SECONDARY),
            "panels": panels_render(request, None, page="queue"),
        },
    )


# --- Ticket page and its actions ------------------------------------------------


def _detail_page(request: HttpRequest, ticket: Ticket, **bound: Any) -> HttpResponse:
    """The ticket page; an action that failed passes its bound form so the typed text stays."""
    user = request.user
    context = {
        "ticket": ticket,
        "events": timeline(ticket, public_only=False),
        "attachments": attachments_for(ticket, public_only=False),
        # MT3: the question as it was asked, kept with the answer.
        "symptoms": [(a.get("question", ""), answer_display(a)) for a in ticket.symptom_answers or []],
        "transitions": transitions_from(ticket.status, STAFF),
        "contact_phone": phone_format(ticket.contact_phone),
        "assign_form": bound.get("assign_form")
        or AssignForm(user=user, team_id=ticket.team_id, current=ticket.assignee, initial={"assignee": ticket.assignee_id}),
        "transition_form": bound.get("transition_form") or TransitionForm(auto_id=TRANSITION_IDS),
        "priority_form": bound.get("priority_form") or PriorityForm(initial={"priority": ticket.priority}),
        "comment_form": bound.get("comment_form") or CommentForm(),
        "action_failed": bool(bound),
        "panels": panels_render(request, ticket, page="staff_ticket"),
    }
    return render(request, "tickets/staff/ticket_detail.html", context)


def _back(ticket: Ticket) -> HttpResponse:
    return redirect("staff:ticket_detail", pk=ticket.pk)


@login_required
@require_GET
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, ticket_for_staff(request.user, pk))


@login_required
@require_POST
def ticket_assign_action(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_for_staff(request.user, pk)
    form = AssignForm(request.POST, user=request.user, team_id=ticket.team_id)
    if form.is_valid():
        chosen: User = form.cleaned_data["assignee"]
        try:
            ticket = ticket_assign(ticket=ticket, assignee=chosen, actor=request.user)
        except ActionRefused as exc:
            _refuse(form, exc)
        else:
            if ticket.assignee_id != chosen.pk:
                # OV5: the service gave it to the backup; say so, or the desk would
                # tell the customer the wrong name.
                messages.warning(
                    request,
                    _("%(absent)s is away; assigned to backup %(backup)s.")
                    % {"absent": chosen.display_name, "backup": ticket.assignee.display_name},
                )
            else:
                messages.success(request, _("Assigned to %(name)s.") % {"name": chosen.display_name})
            return _back(ticket)
    return _detail_page(request, ticket, assign_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def ticket_team_move_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Its own small page: the teams are listed only for whoever hands over."""
    ticket = ticket_for_staff(request.user, pk)
    if not ticket.is_open:
        messages.error(request, _("A closed or cancelled ticket cannot be handed over."))
        return _back(ticket)
    form = TeamMoveForm(request.POST or None, current_team_id=ticket.team_id)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = ticket_team_move(
                ticket=ticket, team=form.cleaned_data["team"], actor=request.user, note=form.cleaned_data["note"]
            )
        except ActionRefused as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("Handed over to %(team)s.") % {"team": ticket.team.name})
            # Whoever handed it over may no longer see it (an engineer's own ticket, now another team's).
            if tickets_visible_to(request.user).filter(pk=ticket.pk).exists():
                return _back(ticket)
            return redirect("staff:queue")
    return render(request, "tickets/staff/team_move.html", {"ticket": ticket, "form": form})


@login_required
@require_POST
def ticket_transition_action(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_for_staff(request.user, pk)
    form = TransitionForm(request.POST, auto_id=TRANSITION_IDS)
    if form.is_valid():
        try:
            ticket = ticket_transition(
                ticket=ticket, action=form.cleaned_data["action"], actor=request.user, note=form.cleaned_data["note"]
            )
        except ActionRefused as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("Status changed to %(status)s.") % {"status": ticket.get_status_display()})
            return _back(ticket)
    return _detail_page(request, ticket, transition_form=form)


@login_required
@require_POST
def ticket_priority_action(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_for_staff(request.user, pk)
    form = PriorityForm(request.POST)
    if form.is_valid():
        try:
            ticket = ticket_set_priority(ticket=ticket, priority=form.cleaned_data["priority"], actor=request.user)
        except ActionRefused as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("Priority set to %(priority)s.") % {"priority": ticket.get_priority_display()})
            return _back(ticket)
    return _detail_page(request, ticket, priority_form=form)


@login_required
@require_POST
def ticket_comment_action(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_for_staff(request.user, pk)
    form = CommentForm(request.POST, request.FILES)
    if form.is_valid():
        internal = form.cleaned_data["internal"]
        try:
            comment_add(
                ticket=ticket,
                author=request.user,
                body=form.cleaned_data["body"],
                is_public=not internal,
                attachments=form.cleaned_data["attachments"],
            )
        except ActionRefused as exc:
            _refuse(form, exc)
        else:
            messages.success(
                request, _("Internal note added.") if internal else _("Comment added; the customer can see it.")
            )
            return _back(ticket)
    return _detail_page(request, ticket, comment_form=form)


# --- Desk intake -----------------------------------------------------------------


def _reporter(raw: str | None) -> User | None:
    pk = id_param(raw)
    if pk is None:
        return None
    return User.objects.select_related("department", "position").filter(pk=pk, is_active=True).first()


@login_required
@permission_required("tickets.intake_ticket", raise_exception=True)
def intake(request: HttpRequest) -> HttpResponse:
    lookup = LookupForm(request.GET)
    q = lookup.cleaned_data["q"] if lookup.is_valid() else ""
    matches = list(employee_search(q)) if q else []

    source = request.POST if request.method == "POST" else request.GET
    reporter = _reporter(source.get("reporter"))

    if request.method == "POST":
        form = IntakeForm(request.POST, reporter=reporter)
        if form.is_valid():
            try:
                ticket = ticket_create(actor=request.user, **form.service_kwargs())
            except ActionRefused as exc:
                _refuse(form, exc)
            else:
                messages.success(request, _("Ticket %(number)s opened.") % {"number": ticket.number})
                return redirect("staff:ticket_detail", pk=ticket.pk)
    else:
        initial: dict[str, Any] = {}
        if reporter is not None:
            initial = {
                "reporter": reporter.pk,
                "reporter_name": reporter.display_name,
                "reporter_department": reporter.department_id,
                "contact_phone": phone_format(reporter.phone),
            }
        form = IntakeForm(reporter=reporter, initial=initial)

    return render(
        request,
        "tickets/staff/intake.html",
        {
            "lookup": lookup,
            "q": q,
            "matches": matches,
            "too_many": len(matches) >= LOOKUP_LIMIT,
            "reporter": reporter,
            "form": form,
        },
    )
