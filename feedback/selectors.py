"""Every read of feedback and trainings, scoped to the user who asks: someone
else's object is a 404."""
from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.http import Http404

from helpdesk.accounts.models import User
from helpdesk.core.input_bounds import id_param
from tickets.permissions import is_staff

from .models import Feedback, FeedbackKind, FeedbackState, TrainingAssignment
from .scope import feedback_scope, led_team_ids

LIST_RELATED = ("employee", "handler", "team", "customer_department")
DIRECTORY_LIMIT = 20


def customer_feedback(user: User) -> QuerySet[Feedback]:
    """The customer's own feedback, newest first."""
    return Feedback.objects.filter(customer_id=user.pk).select_related("employee", "ticket").order_by("-created_at", "-pk")


def feedback_for_customer(user: User, pk: int) -> Feedback:
    try:
        return Feedback.objects.select_related("employee", "ticket", "customer_department").get(pk=pk, customer_id=user.pk)
    except Feedback.DoesNotExist:
        raise Http404 from None


def feedback_queue(user: User, *, tab: str = "open", kind: str = "") -> QuerySet[Feedback]:
    """The handler's and lead's queue: open feedback earliest due first (the overdue on top),
    or answered feedback latest first."""
    if not is_staff(user):
        return Feedback.objects.none()
    qs = Feedback.objects.filter(feedback_scope(user)).select_related(*LIST_RELATED)
    if kind in FeedbackKind.values:
        qs = qs.filter(kind=kind)
    if tab == "answered":
        return qs.filter(state=FeedbackState.ANSWERED).order_by("-answered_at", "-pk")
    if tab == "decide":
        # Complaints naming one of the lead's people, not yet upheld or declined.
        return qs.filter(kind=FeedbackKind.COMPLAINT, employee__isnull=False, upheld__isnull=True).order_by("due_at", "pk")
    return qs.exclude(state=FeedbackState.ANSWERED).order_by("due_at", "pk")


def feedback_for_staff(user: User, pk: int) -> Feedback:
    if not is_staff(user):
        raise Http404
    try:
        return (
            Feedback.objects.filter(feedback_scope(user))
            .select_related(*LIST_RELATED, "customer", "ticket", "employee__team", "answered_by", "decided_by")
            .get(pk=pk)
        )
    except Feedback.DoesNotExist:
        raise Http404 from None


def feedback_events(feedback: Feedback):
    return feedback.events.select_related("actor")


def training_of(feedback: Feedback) -> TrainingAssignment | None:
    return (
        TrainingAssignment.objects.select_related("employee", "assigned_by", "completed_by", "confirmed_by")
        .filter(complaint_id=feedback.pk)
        .first()
    )


def my_trainings(user: User) -> QuerySet[TrainingAssignment]:
    return (
        TrainingAssignment.objects.filter(employee_id=user.pk)
        .select_related("assigned_by", "completed_by", "confirmed_by")
        .annotate(done_rank=Case(When(completed_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("done_rank", "due_at", "pk")
    )


def my_commendations(user: User) -> QuerySet[Feedback]:
    """Commendations of `user` (what the customer wrote and who; the record page)."""
    return (
        Feedback.objects.filter(employee_id=user.pk, kind=FeedbackKind.COMMENDATION)
        .select_related("customer_department", "ticket")
        .order_by("-created_at", "-pk")
    )


def team_trainings(user: User) -> QuerySet[TrainingAssignment]:
    teams = led_team_ids(user)
    if not teams:
        return TrainingAssignment.objects.none()
    return (
        TrainingAssignment.objects.filter(team_id__in=teams)
        .exclude(employee_id=user.pk)
        .select_related("employee", "team", "complaint", "completed_by", "confirmed_by")
        .annotate(
            step=Case(
                When(completed_at__isnull=True, then=Value(0)),
                When(confirmed_at__isnull=True, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("step", "due_at", "pk")
    )


def team_commendations(user: User) -> QuerySet[Feedback]:
    teams = led_team_ids(user)
    if not teams:
        return Feedback.objects.none()
    return (
        Feedback.objects.filter(kind=FeedbackKind.COMMENDATION, employee__team_id__in=teams)
        .select_related("employee", "customer_department")
        .order_by("-created_at", "-pk")
    )


def training_for_person(user: User, pk: int) -> TrainingAssignment:
    """A training its employee or their lead may act on; anyone else's is a 404."""
    teams = led_team_ids(user)
    scope = Q(employee_id=user.pk)
    if teams:
        scope |= Q(team_id__in=teams)
    try:
        return TrainingAssignment.objects.select_related("employee", "complaint").get(scope, pk=pk)
    except TrainingAssignment.DoesNotExist:
        raise Http404 from None


def staff_directory(q: str) -> list[User]:
    """Staff a customer may commend, matching a name, team or employee number: a short list, never all of them."""
    q = (q or "").strip()
    if len(q) < 1:
        return []
    compact = q.replace(" ", "")
    return list(
        User.objects.with_perm("tickets.work_ticket", backend="django.contrib.auth.backends.ModelBackend")
        .filter(is_active=True, team__isnull=False)
        .annotate(full_name=Concat("last_name", "first_name"))
        .filter(Q(full_name__icontains=compact) | Q(team__name__icontains=q) | Q(employee_no__iexact=q))
        .select_related("team")
        .order_by("last_name", "first_name", "pk")[:DIRECTORY_LIMIT]
    )


def staff_member(pk: object) -> User | None:
    """A member of staff by a posted id (bounded), or None."""
    value = id_param(pk)
    if value is None:
        return None
    user = User.objects.select_related("team").filter(pk=value, is_active=True).first()
    return user if user is not None and is_staff(user) else None
