"""Who may see and act on which feedback: one answer for selectors, services and views.

A lead (or section chief) answers for the feedback of the teams they lead
(`tickets.selectors.staff_team_ids`), the handler for what they handle. A
complaint about a person is never shown to that person through the team scope
(only when they are, by an admin's choice, its handler).
"""
from __future__ import annotations

from django.db.models import Q

from helpdesk.accounts.models import User
from tickets.selectors import staff_team_ids

LEAD_PERM = "tickets.lead_team"
DESK_PERM = "tickets.intake_ticket"
STAFF_PERM = "tickets.work_ticket"


def led_team_ids(user: User) -> set[int]:
    """The teams whose feedback and trainings `user` answers for as lead or chief."""
    if not (user.is_authenticated and user.is_active and user.has_perm(LEAD_PERM)):
        return set()
    return staff_team_ids(user)


def feedback_scope(user: User) -> Q:
    """The staff side's feedback for `user`: handled by them, or of the teams they lead (not about themselves)."""
    scope = Q(handler_id=user.pk)
    teams = led_team_ids(user)
    if teams:
        scope |= Q(team_id__in=teams) & ~Q(employee_id=user.pk)
    return scope


def may_decide(user: User, employee: User | None) -> bool:
    """CR3: only the named employee's own lead (or the section chief over their team) upholds a complaint."""
    if employee is None or employee.pk == user.pk or employee.team_id is None:
        return False
    return employee.team_id in led_team_ids(user)
