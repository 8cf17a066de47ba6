"""Reads about people."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.db.models.functions import Concat

from .models import Position, Team, User
from .phones import phone_parse
from .roles import Role

LOOKUP_LIMIT = 20


def employee_search(q: str, *, limit: int = LOOKUP_LIMIT) -> QuerySet[User]:
    """Employees matching a caller's phone number, name or employee number.

    A full number matches exactly; four to eight digits match the end of the
    number ("the last four digits"); names match with or without the space
    people put between family and given name.
    """
    q = q.strip()
    if not q:
        return User.objects.none()
    digits = "".join(ch for ch in q if ch.isdigit())
    match = Q(employee_no__iexact=q)
    e164 = phone_parse(q) if len(digits) >= 9 else None
    if e164:
        match |= Q(phone=e164)
    elif 4 <= len(digits) <= 8 and len(digits) == len(q.replace("-", "").replace(" ", "")):
        match |= Q(phone__endswith=digits)
    if not digits:
        compact = q.replace(" ", "")
        match |= Q(full_name__icontains=compact) | Q(username__iexact=q)
    return (
        User.objects.filter(is_active=True)
        .annotate(full_name=Concat("last_name", "first_name"))
        .filter(match)
        .select_related("department", "position")
        .order_by("last_name", "first_name", "pk")[:limit]
    )


def position_named(name: str) -> Position | None:
    """The position called `name` in Korean or English (directories and HR files write either)."""
    return Position.objects.filter(Q(name__iexact=name) | Q(name_en__iexact=name)).order_by("pk").first()


def holders_of(perm: str, people: Iterable[User | None]) -> set[int]:
    """The ids of those among `people` who are active and hold `perm` (through
    a role, directly, or as superuser): one query, where `has_perm` on each
    freshly loaded user would cost two apiece."""
    ids = {p.pk for p in people if p is not None}
    if not ids:
        return set()
    # The model backend answers who holds a permission (the sign-in throttle backend holds none).
    holders = User.objects.with_perm(perm, backend="django.contrib.auth.backends.ModelBackend")
    return set(holders.filter(pk__in=ids).values_list("pk", flat=True))


# --- Who answers for a team ---------------------------------------------------------------
#
# One rule for every sweep and guard that escalates or announces something to
# "the team lead": the team's active lead; the section chief(s) of the team's
# department when the team has no active lead, or when the lead is the very
# person the escalation is about (an overdue callback of the lead's own, a
# late visit by the lead), because telling someone about themselves is
# telling nobody. Never an inactive user, never the person it is about.


def section_chiefs_of(department_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active section chiefs of each department (by pk): holders of the
    section-chief role who belong to the department or to one of its teams.
    One query for any number of departments."""
    departments = {d for d in department_ids if d is not None}
    chiefs: dict[int, list[User]] = defaultdict(list)
    if not departments:
        return chiefs
    for chief in (
        User.objects.filter(is_active=True, groups__name=Role.SECTION_CHIEF)
        .filter(Q(team__department_id__in=departments) | Q(department_id__in=departments))
        .select_related("team")
        .distinct()
        .order_by("pk")
    ):
        for department in {chief.department_id, chief.team.department_id if chief.team else None} & departments:
            chiefs[department].append(chief)
    return chiefs


def _leads_or_chiefs(team: Team | None, chiefs: Callable[[Team], Iterable[User]], about: User | None) -> list[User]:
    """The rule itself; `chiefs(team)` is asked only when the lead will not do."""
    if team is None:
        return []
    about_id = about.pk if about is not None else None
    lead = team.lead if team.lead_id is not None else None
    if lead is not None and lead.is_active and lead.pk != about_id:
        return [lead]
    return [chief for chief in chiefs(team) if chief.pk != about_id]


@dataclass(frozen=True)
class LeadBook:
    """`leads_for` over a batch of teams: the section chiefs of all their
    departments loaded in one query, the rule applied per team and per person
    without another. The teams' `lead` must be loaded by the caller
    (select_related), as a sweep's batch does for its handlers anyway."""

    chiefs: dict[int, list[User]] = field(default_factory=dict)

    def chiefs_for(self, team: Team | None) -> list[User]:
        """The section chiefs of the team's department."""
        return list(self.chiefs.get(team.department_id, [])) if team is not None else []

    def leads_for(self, team: Team | None, *, about: User | None = None) -> list[User]:
        """`leads_for(team, about=about)`, from the book."""
        return _leads_or_chiefs(team, self.chiefs_for, about)


def lead_book(teams: Iterable[Team | None]) -> LeadBook:
    """The LeadBook of `teams` (a sweep's batch): one query, none when there are no teams."""
    return LeadBook(section_chiefs_of({t.department_id for t in teams if t is not None}))


def leads_for(team: Team | None, *, about: User | None = None) -> list[User]:
    """Who answers for `team`: its active lead; else, or when the lead is `about`
    (the person the escalation is about), the section chiefs of its department
    other than `about`; [] when there is nobody (callers log it). The chiefs
    cost one query, asked only when the lead will not do."""
    return _leads_or_chiefs(team, lambda t: lead_book([t]).chiefs_for(t), about)
