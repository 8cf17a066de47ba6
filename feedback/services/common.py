"""What the feedback services share: the audit record, locking, due times, links."""
from __future__ import annotations

from datetime import datetime

from django.urls import reverse

from helpdesk.accounts.models import Team, User
from helpdesk.accounts.selectors import leads_for
from standards.selectors import calendar_for, current_standard

from ..models import Feedback, FeedbackEvent

# The team that answers for feedback naming nobody: the service desk (업무지원팀).
DESK_TEAM_CODE = "DESK"
DEFAULT_FEEDBACK_DAYS = 5
DEFAULT_TRAINING_DAYS = 30


def event_write(feedback: Feedback, kind: str, actor: User, at: datetime, note: str = "") -> FeedbackEvent:
    return FeedbackEvent.objects.create(feedback=feedback, kind=kind, actor=actor, at=at, note=note[:2000])


def feedback_locked(feedback: Feedback) -> Feedback:
    """The row again, locked for the change (its state is checked after the lock)."""
    return Feedback.objects.select_for_update(of=("self",)).select_related("employee", "employee__team", "team").get(
        pk=feedback.pk
    )


def feedback_due(now: datetime) -> datetime:
    """`feedback_due_business_days` of the current service standard, in business time."""
    standard = current_standard()
    cal = calendar_for(standard)
    days = standard.feedback_due_business_days if standard is not None else DEFAULT_FEEDBACK_DAYS
    return cal.add(now, cal.hours.day_length * days)


def training_days() -> int:
    standard = current_standard()
    return standard.training_due_days if standard is not None else DEFAULT_TRAINING_DAYS


def desk_team() -> Team | None:
    """The service desk's team: by its code, else the team of an active desk agent."""
    team = Team.objects.select_related("lead").filter(code=DESK_TEAM_CODE).first()
    if team is not None:
        return team
    agent = (
        User.objects.with_perm("tickets.intake_ticket", backend="django.contrib.auth.backends.ModelBackend")
        .filter(is_active=True, team__isnull=False)
        .select_related("team", "team__lead")
        .order_by("pk")
        .first()
    )
    return agent.team if agent is not None else None


def lead_of(team: Team | None, about: User | None = None) -> User | None:
    people = leads_for(team, about=about)
    return people[0] if people else None


def staff_link(feedback: Feedback) -> str:
    return reverse("feedback:staff_detail", args=[feedback.pk])


def customer_link(feedback: Feedback) -> str:
    return reverse("feedback:my_detail", args=[feedback.pk])
