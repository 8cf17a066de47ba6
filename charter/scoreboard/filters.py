"""The scoreboard's filters from the query string: period (week, month,
quarter, year or custom from/to), a day within it, a team and an engineer.

A filter never fails the page: anything not understood falls back to its
default and the page says so; a team or an engineer the viewer may not see is
treated the same way (no hint whether it exists). Engineers without a team
view are held to their own row whatever the query string says.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.http import urlencode
from django.utils.translation import gettext as _

from helpdesk.accounts.models import Team, User
from helpdesk.core.input_bounds import RECORDED, date_param, id_param

from .periods import KINDS, MAX_CUSTOM_DAYS, Period, PeriodKind, custom_period, period_of
from .selectors import Scope, board_engineers, sees_teams

DEFAULT_KIND: PeriodKind = "month"


@dataclass
class Filters:
    period: Period
    team: Team | None
    engineer: User | None
    scope: Scope
    notices: list[str]
    teams: Sequence[Team]
    engineers: list[User]
    locked_to_self: bool

    def query(self, **override: Any) -> str:
        values: dict[str, Any] = {"period": self.period.kind}
        if self.period.kind == "custom":
            values["from"], values["to"] = self.period.first.isoformat(), self.period.last.isoformat()
        else:
            values["day"] = self.period.first.isoformat()
        if self.team is not None:
            values["team"] = self.team.pk
        if self.engineer is not None and not self.locked_to_self:
            values["engineer"] = self.engineer.pk
        values.update(override)
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})

    def shifted(self, steps: int) -> str:
        period = self.period.shifted(steps)
        if period.kind == "custom":
            return self.query(**{"from": period.first.isoformat(), "to": period.last.isoformat()})
        return self.query(day=period.first.isoformat())


def _period(data: Mapping[str, Any], today: date, notices: list[str]) -> Period:
    kind = str(data.get("period") or DEFAULT_KIND)
    if kind not in KINDS:
        notices.append(_("The period was not one we know; this month is shown."))
        kind = DEFAULT_KIND
    if kind == "custom":
        first, why_first = date_param(data.get("from"), RECORDED)
        last, why_last = date_param(data.get("to"), RECORDED)
        if first is None or last is None:
            notices.append(
                _("A custom period needs a first and a last day (%(why)s); this month is shown.")
                % {"why": why_first or why_last or _("missing")}
            )
            return period_of(DEFAULT_KIND, today)
        if last < first:
            first, last = last, first
            notices.append(_("The first day came after the last one; they were swapped."))
        if (last - first).days + 1 > MAX_CUSTOM_DAYS:
            notices.append(
                _("A custom period is at most %(days)d days (use a year for longer); this month is shown.") % {"days": MAX_CUSTOM_DAYS}
            )
            return period_of(DEFAULT_KIND, today)
        return custom_period(first, last)
    day = today
    if data.get("day"):
        parsed, why = date_param(data.get("day"), RECORDED)
        if parsed is None:
            notices.append(_("The day was not understood (%(why)s); the current period is shown.") % {"why": why})
        else:
            day = parsed
    return period_of(kind, day)  # type: ignore[arg-type]


def filters_parse(data: Mapping[str, Any], user: User, teams: Sequence[Team], today: date) -> Filters:
    notices: list[str] = []
    period = _period(data, today, notices)
    by_pk = {t.pk: t for t in teams}
    if not sees_teams(user):
        scope = Scope(engineer_id=user.pk)
        return Filters(period, None, user, scope, notices, teams, [], locked_to_self=True)
    team: Team | None = None
    raw_team = data.get("team")
    if raw_team:
        team = by_pk.get(id_param(raw_team) or 0)
        if team is None:
            notices.append(_("The team filter was not one of your teams; all your teams are shown."))
    engineers = list(board_engineers(team)) if team is not None else []
    engineer: User | None = None
    raw_engineer = data.get("engineer")
    if raw_engineer:
        engineer = {e.pk: e for e in engineers}.get(id_param(raw_engineer) or 0)
        if engineer is None:
            notices.append(_("The engineer was not one of the chosen team's; the team's figures are shown."))
    if engineer is not None:
        scope = Scope(engineer_id=engineer.pk)
    elif team is not None:
        scope = Scope(team_ids=(team.pk,))
    elif user.has_perm("tickets.view_all_tickets") or user.has_perm("tickets.view_department_tickets"):
        # A section chief answers for the department: its figures include what no
        # team owns (a call whose greeting team was not recorded), as the monthly
        # report sent to them does (Scope()).
        scope = Scope(team_ids=None, whole_department=True)
    else:
        scope = Scope(team_ids=tuple(by_pk))
    return Filters(period, team, engineer, scope, notices, teams, engineers, locked_to_self=False)
