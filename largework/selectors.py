"""Reads of large-scale work, each scoped as its list is: staff see the plans
of requests they see; an approver the plans of the departments they supervise;
a customer the plans of their own department (or where they are the contact)."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from helpdesk.accounts.models import User
from helpdesk.accounts.selectors import holders_of
from tickets.models import TicketEvent
from tickets.selectors import tickets_visible_to

from .models import (
    CompletionReport,
    PlanDecision,
    PlanState,
    PlanWindow,
    ReportAttachment,
    WindowState,
    WorkPlan,
)
from .services.common import PlanEvent, can_approve

PLAN_RELATED = ("ticket", "current", "owner", "contact", "supervising_department")


def plans_for_staff(user: User) -> QuerySet[WorkPlan]:
    if not user.has_perm("tickets.work_ticket"):
        return WorkPlan.objects.none()
    return WorkPlan.objects.filter(ticket__in=tickets_visible_to(user)).select_related(*PLAN_RELATED)


def plans_for_approver(user: User) -> QuerySet[WorkPlan]:
    if not (user.is_authenticated and user.has_perm("largework.approve_plan")) or user.department_id is None:
        return WorkPlan.objects.none()
    return WorkPlan.objects.filter(supervising_department_id=user.department_id).select_related(*PLAN_RELATED)


def approval_queue(user: User) -> QuerySet[WorkPlan]:
    """Plans waiting for this approver's decision, oldest submission first."""
    return plans_for_approver(user).filter(state=PlanState.SUBMITTED).order_by("submitted_at", "pk")


def plans_for_customer(user: User) -> QuerySet[WorkPlan]:
    if not user.is_authenticated:
        return WorkPlan.objects.none()
    scope = Q(contact=user)
    if user.department_id:
        scope |= Q(current__departments=user.department_id)
    return WorkPlan.objects.filter(scope).distinct().select_related(*PLAN_RELATED)


def _one(qs: QuerySet[WorkPlan], pk: int) -> WorkPlan:
    plan = qs.filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def plan_for_staff(user: User, pk: int) -> WorkPlan:
    return _one(plans_for_staff(user), pk)


def plan_for_approver(user: User, pk: int) -> WorkPlan:
    plan = _one(plans_for_approver(user), pk)
    if not can_approve(user, plan):
        raise Http404
    return plan


def plan_for_customer(user: User, pk: int) -> WorkPlan:
    return _one(plans_for_customer(user), pk)


def plan_for_reader(user: User, pk: int) -> WorkPlan:
    """A plan its report may be read from: by staff who see it, its approvers, or its customers."""
    for scope in (plans_for_staff, plans_for_approver, plans_for_customer):
        plan = scope(user).filter(pk=pk).first()
        if plan is not None:
            return plan
    raise Http404


def window_engineers(plan: WorkPlan) -> list[User]:
    """Whom a window's visit can be booked for: the active staff of the request's team."""
    if plan.ticket.team_id is None:
        return []
    team = list(User.objects.filter(is_active=True, team_id=plan.ticket.team_id).order_by("last_name", "first_name", "pk"))
    staff = holders_of("tickets.work_ticket", team)
    return [person for person in team if person.pk in staff]


def plan_of_ticket(ticket_id: int) -> WorkPlan | None:
    return WorkPlan.objects.filter(ticket_id=ticket_id).select_related(*PLAN_RELATED).first()


def window_for_staff(user: User, pk: int) -> PlanWindow:
    window = PlanWindow.objects.filter(pk=pk, version__plan__in=plans_for_staff(user)).select_related("version", "version__plan").first()
    if window is None:
        raise Http404
    return window


def plan_detail(plan: WorkPlan) -> dict[str, object]:
    """The plan's current version with its windows, assets, decisions, thread and report (fixed queries)."""
    version = plan.current
    return {
        "version": version,
        "departments": list(version.departments.all()) if version else [],
        "windows": list(version.windows.select_related("recorded_by", "visit", "visit__engineer")) if version else [],
        "assets": list(version.assets.select_related("asset", "asset__department")) if version else [],
        "decisions": list(
            PlanDecision.objects.filter(version__plan=plan).select_related("decided_by", "version").order_by("-decided_at", "-pk")
        ),
        "messages": list(plan.messages.select_related("author")),
        "report": CompletionReport.objects.filter(plan=plan).prefetch_related("attachments").select_related("submitted_by").first(),
        "versions": list(plan.versions.select_related("created_by").order_by("-number")),
    }


# --- Figures for the dashboard and the scoreboard ---------------------------------------


def reports_due(team_ids: list[int], *, until: datetime) -> QuerySet[WorkPlan]:
    """Approved plans whose report is due by `until` and not submitted yet, soonest first."""
    return (
        WorkPlan.objects.filter(report_due_at__lte=until, report__isnull=True, ticket__team_id__in=team_ids)
        .select_related(*PLAN_RELATED)
        .order_by("report_due_at", "pk")
    )


def report_on_time(start: datetime, end: datetime, *, team_ids: list[int] | None = None) -> tuple[int, int]:
    """BS4 for a period: (reports due in it that came in on time, reports due in it).
    A report not submitted yet, or submitted late, counts against. One query."""
    qs = WorkPlan.objects.filter(report_due_at__gte=start, report_due_at__lt=end)
    if team_ids is not None:
        qs = qs.filter(ticket__team_id__in=team_ids)
    totals = qs.aggregate(
        due=Count("pk"),
        on_time=Count("pk", filter=Q(report__submitted_at__lte=F("report_due_at"))),
    )
    return totals["on_time"] or 0, totals["due"] or 0


def windows_progress(plan: WorkPlan) -> dict[str, int]:
    version = plan.current
    if version is None:
        return {}
    rows = version.windows.values("state").annotate(n=Count("pk"))
    found = {row["state"]: row["n"] for row in rows}
    return {state: found.get(state, 0) for state in WindowState.values}


def plan_figures(team_ids: list[int], *, until: datetime) -> tuple[int, int]:
    """The lead's two figures in one query: (plans waiting for approval, reports due by
    `until` or overdue) — what `plans_waiting` and `reports_due` list."""
    if not team_ids:
        return 0, 0
    totals = WorkPlan.objects.filter(ticket__team_id__in=team_ids).aggregate(
        waiting=Count("pk", filter=Q(state=PlanState.SUBMITTED)),
        due=Count("pk", filter=Q(report_due_at__lte=until, report__isnull=True)),
    )
    return totals["waiting"] or 0, totals["due"] or 0


def plans_waiting(team_ids: list[int]) -> QuerySet[WorkPlan]:
    """Plans of these teams' requests waiting for approval, oldest submission first."""
    return (
        WorkPlan.objects.filter(state=PlanState.SUBMITTED, ticket__team_id__in=team_ids)
        .select_related(*PLAN_RELATED)
        .order_by("submitted_at", "pk")
    )


# --- The approver's pages ------------------------------------------------------------------

# "Decided recently" on the approver's queue reaches this far back.
RECENT_DAYS = 30


def with_queue_facts(plans: QuerySet[WorkPlan]) -> QuerySet[WorkPlan]:
    """Each plan with its first window (`first_window_at`), who submitted the current
    version (`submitted_by_id`, from the request's timeline) and its customer
    departments prefetched: a page of the queue costs the same few queries however long."""
    first_window = PlanWindow.objects.filter(version_id=OuterRef("current_id")).order_by("starts_at", "pk")
    submitter = TicketEvent.objects.filter(ticket_id=OuterRef("ticket_id"), kind=PlanEvent.SUBMITTED).order_by(
        "-created_at", "-pk"
    )
    return plans.annotate(
        first_window_at=Subquery(first_window.values("starts_at")[:1]),
        submitted_by_id=Subquery(submitter.values("actor_id")[:1]),
    ).prefetch_related("current__departments")


def people_by_pk(pks: list[int | None]) -> dict[int, User]:
    """The people of a page's rows, in one query."""
    wanted = {pk for pk in pks if pk is not None}
    return User.objects.in_bulk(wanted) if wanted else {}


def decided_recently(user: User, *, now: datetime | None = None) -> QuerySet[PlanDecision]:
    """Decisions on plans of the departments this approver supervises, newest first."""
    since = (now or timezone.now()) - timedelta(days=RECENT_DAYS)
    return (
        PlanDecision.objects.filter(version__plan__in=plans_for_approver(user).values("pk"), decided_at__gte=since)
        .select_related("version", "version__plan", "version__plan__ticket", "decided_by")
        .order_by("-decided_at", "-pk")
    )


def reports_received(user: User) -> QuerySet[CompletionReport]:
    """Completion reports of the plans this approver supervises, newest first."""
    return (
        CompletionReport.objects.filter(plan__in=plans_for_approver(user).values("pk"))
        .select_related("plan", "plan__ticket", "plan__current", "submitted_by")
        .annotate(n_files=Count("attachments"))
        .order_by("-submitted_at", "-pk")
    )


def report_attachment_for_reader(user: User, pk: int) -> ReportAttachment:
    """A report's file, for someone who may read its plan (staff, its approvers, its customers)."""
    attachment = ReportAttachment.objects.filter(pk=pk).select_related("report").first()
    if attachment is None:
        raise Http404
    plan_for_reader(user, attachment.report.plan_id)
    return attachment
