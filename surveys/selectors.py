"""Every read of surveys and follow-ups, scoped to who asks (someone else's is a 404)."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from helpdesk.accounts.models import Team, User
from helpdesk.core.compiled_query import CompiledQuery
from tickets.models import Ticket
from tickets.selectors import staff_team_ids

from .links import survey_id_from
from .models import FollowUp, FollowUpState, Survey


@dataclass(frozen=True)
class LinkState:
    """What a survey link opens: the survey and "open", "answered" or "expired";
    None and "invalid" for a tampered or unknown link."""

    survey: Survey | None
    state: str


def survey_by_link(token: str) -> LinkState:
    survey_id = survey_id_from(token)
    if survey_id is None:
        return LinkState(None, "invalid")
    survey = (
        Survey.objects.select_related("ticket", "ticket__team", "work_plan__ticket", "work_plan__current", "handler")
        .filter(pk=survey_id)
        .first()
    )
    if survey is None:
        return LinkState(None, "invalid")
    if survey.answered_at is not None:
        return LinkState(survey, "answered")
    if survey.expires_at <= timezone.now():
        return LinkState(survey, "expired")
    return LinkState(survey, "open")


def open_surveys_for(customer: User) -> QuerySet[Survey]:
    """The customer's surveys still to answer (the portal, in the app)."""
    return (
        Survey.objects.filter(customer=customer, answered_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("ticket", "work_plan__ticket")
        .order_by("-sent_at")
    )


def _any_survey_query(ticket_pk: int) -> QuerySet[Survey]:
    return Survey.objects.filter(Q(ticket_id=ticket_pk) | Q(work_plan__ticket_id=ticket_pk)).order_by().values("pk")[:1]


# Most tickets a person opens have no survey: asked first, compiled once per
# process (helpdesk.core.compiled_query), the full read only when there is one.
_ANY_SURVEY = CompiledQuery(_any_survey_query, 1)


def surveys_of_ticket(ticket: Ticket) -> list[Survey]:
    """A ticket's surveys (its own, or its large-work plan's), newest first, with their follow-ups."""
    if not _ANY_SURVEY.rows(ticket.pk):
        return []
    return list(
        Survey.objects.filter(Q(ticket=ticket) | Q(work_plan__ticket=ticket))
        .select_related("customer", "follow_up", "follow_up__lead", "follow_up__done_by")
        .order_by("-sent_at")[:5]
    )


# --- Follow-ups: the lead's and section chief's queue -------------------------------------


def follow_up_team_ids(user: User) -> set[int] | None:
    """The teams whose follow-ups `user` sees: None for every team (admins), an
    empty set for someone who leads nothing."""
    if not user.is_authenticated or not user.has_perm("tickets.lead_team"):
        return set()
    if user.has_perm("tickets.view_all_tickets"):
        return None
    return staff_team_ids(user)


def follow_ups_for(user: User, *, state: str = "") -> QuerySet[FollowUp]:
    """`user`'s teams' follow-ups (and those addressed to them), open ones first, the most overdue on top."""
    teams = follow_up_team_ids(user)
    qs = FollowUp.objects.all()
    if teams is not None:
        qs = qs.filter(Q(team_id__in=teams) | Q(lead=user)) if user.has_perm("tickets.lead_team") else qs.none()
    if state in FollowUpState.values:
        qs = qs.filter(state=state)
    return qs.select_related(
        "team", "lead", "done_by", "survey", "survey__customer", "survey__customer__department", "survey__handler",
        "survey__ticket", "survey__work_plan__ticket",
    ).order_by(
        Case(When(state=FollowUpState.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()),
        "due_at",
        "pk",
    )


def follow_up_for(user: User, pk: int) -> FollowUp:
    try:
        return follow_ups_for(user).get(pk=pk)
    except FollowUp.DoesNotExist:
        raise Http404 from None


def follow_up_teams(user: User) -> list[Team]:
    teams = follow_up_team_ids(user)
    qs = Team.objects.filter(handles_tickets=True) if teams is None else Team.objects.filter(pk__in=teams)
    return list(qs.order_by("name", "pk"))
