"""The monthly charter report (IM1): what a month's Excel workbook and PDF say,
read once into one `ReportContent` that both files are drawn from
(`charter.scoreboard.report_files`).

The report is Korean whoever asks for it (it is the department's record, sent
to the section chiefs): every label goes through gettext inside
`translation.override("ko")`. It holds

- the header: the department and its contacts (CT1, from settings), the month,
  the service standard it was judged against and when it was generated;
- every measured promise for the whole department: figure, target, verdict
  and the month before (`board_for(Scope(), month)`);
- the same per maintenance team (`board_for(Scope(team_ids=(team,)), month)`);
- the worst items: missed promises, furthest from their target first, each with
  up to `EXAMPLES` of the rows that missed;
- what was done about them in the month: low-score follow-ups, corrections
  closed, service trainings completed, root causes recorded, delay notices
  filed, each a count and up to `EXAMPLES` examples.

Only reads, and each is capped: the figures come from the daily rollup
(a handful of queries per board), every list is a count plus at most
`EXAMPLES` rows, so a month of a million tickets costs the same queries as a
quiet one. Who may read reports is decided here too (`report_for`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from charter.models import DelayNotice, RootCause
from charter.templatetags.scoreboard_tags import figure_text, target_text
from corrections.models import Correction
from feedback.models import TrainingAssignment
from helpdesk.accounts.models import Team, User
from helpdesk.accounts.selectors import section_chiefs_of
from helpdesk.core.replica import reporting_alias
from helpdesk.core.times import local_text
from surveys.models import FollowUp

from .lists import ListRow, describe_all, measure_rows, period_bounds
from .measures import Measure
from .models import MonthlyReport
from .periods import Period, period_of
from .selectors import Board, Row, Scope, board_for, sees_teams

REPORT_LANGUAGE = "ko"
EXAMPLES = 5  # rows shown under each missed promise and each kind of action
TEXT_LIMIT = 240  # characters of a typed text (an action, a cause) shown in an example

# The file name people save: the report is Korean by design (like the charter's own text), so is its name.
FILE_STEM = "고객서비스헌장_이행보고서"
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

VERDICTS = {
    "met": gettext_lazy("Met"),
    "missed": gettext_lazy("Missed"),
    "no_target": gettext_lazy("No target"),
    "no_data": gettext_lazy("No data"),
}


# --- Who reads reports --------------------------------------------------------------------------


def may_see_reports(user: User) -> bool:
    """Whoever sees teams' figures on the board (`sees_teams`): section chiefs, team leads, admins."""
    return user.is_authenticated and sees_teams(user)


def may_generate_reports(user: User) -> bool:
    """Section chiefs and admins. No single permission of the roles says exactly
    that: `view_department_tickets` is the section chief's own (no other role
    holds it; superusers hold everything), and the admin role is the only one
    holding both `view_all_tickets` and `lead_team` (a desk agent sees all
    tickets but leads nobody, a team lead leads but sees only their teams)."""
    return user.is_authenticated and (
        user.has_perm("tickets.view_department_tickets")
        or (user.has_perm("tickets.view_all_tickets") and user.has_perm("tickets.lead_team"))
    )


def report_for(user: User, pk: int) -> MonthlyReport:
    """The report, for someone who may read reports; 404 for anyone else
    (the page does not exist for them)."""
    if not may_see_reports(user):
        raise Http404
    report = MonthlyReport.objects.filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def reports_page(user: User) -> QuerySet[MonthlyReport]:
    """Every month's report, newest first, for the list page."""
    if not may_see_reports(user):
        raise Http404
    return MonthlyReport.objects.select_related("generated_by").order_by("-month")


def report_recipients() -> list[User]:
    """Every active section chief over the maintenance teams, found as the escalation
    ladder finds them (`section_chiefs_of` their departments), each once."""
    departments = Team.objects.filter(handles_tickets=True).values_list("department_id", flat=True).distinct()
    chiefs: dict[int, User] = {}
    for people in section_chiefs_of(departments).values():
        for person in people:
            chiefs.setdefault(person.pk, person)
    return [chiefs[pk] for pk in sorted(chiefs)]


def file_name(report: MonthlyReport, fmt: str) -> str:
    return f"{FILE_STEM}_{report.month:%Y-%m}.{fmt}"


# --- The content ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One measured promise of the department or a team, ready for both files."""

    measure: Measure
    label: str
    figure: Decimal | None
    target: Decimal | None
    previous: Decimal | None
    verdict: str  # "met", "missed", "no_target", "no_data"
    verdict_text: str
    figure_text: str
    target_text: str
    previous_text: str
    total: int
    missed: int | None
    counted_text: str  # "12 visits"

    @property
    def clause(self) -> str:
        return self.measure.clause


@dataclass(frozen=True)
class TeamFigures:
    team: str
    lines: list[Line]


@dataclass(frozen=True)
class WorstItem:
    line: Line
    shortfall: Decimal  # how far from the target, as a share of it (what orders the list)
    gap_text: str
    rows: list[ListRow]


@dataclass(frozen=True)
class ActionGroup:
    """One kind of thing done in the month: how many, and a few examples."""

    key: str
    title: str
    count: int
    examples: list[list[str]]  # ACTION_HEADER's columns


@dataclass(frozen=True)
class ReportContent:
    month: date
    period: Period
    title: str
    department: str
    facts: list[tuple[str, str]]
    contact_line: str
    lines: list[Line]
    line_header: list[str]
    teams: list[TeamFigures]
    worst: list[WorstItem]
    row_header: list[str]
    actions: list[ActionGroup]
    action_header: list[str]
    counted_days: int
    generated_at: datetime

    @property
    def has_data(self) -> bool:
        return self.counted_days > 0

    def summary(self) -> dict[str, Any]:
        """What MonthlyReport.summary keeps: each promise's figure, target and verdict
        (as text: JSON has no decimals), and the totals the list page shows."""

        def plain(value: Decimal | None) -> str | None:
            return None if value is None else format(value, "f")

        return {
            "counted_days": self.counted_days,
            "met": sum(1 for line in self.lines if line.verdict == "met"),
            "missed": sum(1 for line in self.lines if line.verdict == "missed"),
            "rows": [
                {
                    "key": line.measure.key,
                    "clause": line.clause,
                    "figure": plain(line.figure),
                    "target": plain(line.target),
                    "verdict": line.verdict,
                    "previous": plain(line.previous),
                }
                for line in self.lines
            ],
        }


def _line(row: Row) -> Line:
    measure = row.measure
    return Line(
        measure=measure,
        label=str(measure.label),
        figure=row.figure,
        target=row.target,
        previous=row.previous,
        verdict=row.verdict,
        verdict_text=str(VERDICTS[row.verdict]),
        figure_text=figure_text(row.figure, measure),
        target_text=target_text(row.target, measure) or "—",
        previous_text=figure_text(row.previous, measure),
        total=row.total,
        missed=row.missed,
        counted_text=_("%(n)s %(unit)s") % {"n": row.total, "unit": measure.unit},
    )


def _shortfall(line: Line) -> tuple[Decimal, Decimal]:
    """(absolute gap, gap as a share of the target): a rate 10 points short of 90 %
    is worse than a wait 1 minute over 5, whatever their units."""
    assert line.figure is not None and line.target is not None
    gap = (line.target - line.figure) if line.measure.higher_is_better else (line.figure - line.target)
    base = line.target if line.target > 0 else Decimal(1)
    return gap, gap / base


def _gap_text(line: Line, gap: Decimal) -> str:
    value = format(gap, "f")
    value = value.rstrip("0").rstrip(".") if "." in value else value
    kind = line.measure.kind
    if kind == "rate":
        return _("%(gap)s percentage points below the target") % {"gap": value}
    if kind == "mean":
        return _("%(gap)s below the target") % {"gap": value}
    if kind in ("median", "p90"):
        return _("%(gap)s min over the target") % {"gap": value}
    return _("%(gap)s cases over the target") % {"gap": value}


def _worst(board: Board, lines: list[Line], period: Period) -> list[WorstItem]:
    items = []
    for line in lines:
        if line.verdict != "missed":
            continue
        gap, share = _shortfall(line)
        rows = list(measure_rows(line.measure, period, Scope(), board.standard, missed=True)[:EXAMPLES])
        items.append(WorstItem(line, share, _gap_text(line, gap), describe_all(line.measure, rows)))
    order = {line.measure.key: i for i, line in enumerate(lines)}
    return sorted(items, key=lambda item: (-item.shortfall, order[item.line.measure.key]))


# --- What was done about it -------------------------------------------------------------------------


def _short(text: str) -> str:
    return Truncator(" ".join((text or "").split())).chars(TEXT_LIMIT)


def _name(user: User | None) -> str:
    return user.display_name if user is not None else ""


def _team(team: Team | None) -> str:
    return team.name if team is not None else ""


def _ticket(ticket_id: int | None) -> str:
    return f"#{ticket_id}" if ticket_id else ""


@dataclass(frozen=True)
class _ActionSource:
    key: str
    title: Callable[[], str]
    rows: Callable[[], QuerySet[Any]]
    moment: str
    related: tuple[str, ...]
    example: Callable[[Any], list[str]]


def _follow_up(f: FollowUp) -> list[str]:
    return [
        local_text(f.done_at),
        _ticket(f.survey.ticket_id),
        _team(f.team),
        _name(f.done_by),
        f"{f.get_outcome_display()}: {_short(f.action)}",
    ]


def _correction(c: Correction) -> list[str]:
    return [
        local_text(c.closed_at),
        _ticket(c.ticket_id),
        _team(c.team),
        _name(c.closed_by or c.engineer),
        f"{_short(c.reason)} → {_short(c.result)}",
    ]


def _training(t: TrainingAssignment) -> list[str]:
    detail = f"{_short(t.training)}: {_short(t.done_note)}" if t.done_note.strip() else _short(t.training)
    return [
        local_text(t.completed_at),
        _("training %(pk)d") % {"pk": t.pk},
        _team(t.team),
        _name(t.employee),
        detail,
    ]


def _root_cause(r: RootCause) -> list[str]:
    detail = _("Cause: %(cause)s / Done: %(action)s / Prevention: %(prevention)s") % {
        "cause": _short(r.cause),
        "action": _short(r.action_taken),
        "prevention": _short(r.prevention),
    }
    return [
        local_text(r.recorded_at),
        _ticket(r.ticket_id),
        _team(r.ticket.team),
        _name(r.recorded_by),
        detail,
    ]


def _delay_notice(n: DelayNotice) -> list[str]:
    moved = _("deadline %(old)s → %(new)s") % {
        "old": local_text(n.old_deadline) or "—",
        "new": local_text(n.new_deadline),
    }
    late = f" ({_('filed after the deadline')})" if n.was_late else ""
    return [
        local_text(n.filed_at),
        _ticket(n.ticket_id),
        _team(n.ticket.team),
        _name(n.filed_by),
        f"{_short(n.reason)} · {moved}{late}",
    ]


ACTION_SOURCES: tuple[_ActionSource, ...] = (
    _ActionSource(
        "follow_ups",
        lambda: _("Low-score follow-ups done"),
        lambda: FollowUp.objects.filter(done_at__isnull=False),
        "done_at",
        ("survey", "team", "done_by"),
        _follow_up,
    ),
    _ActionSource(
        "corrections",
        lambda: _("Corrections closed, with their result"),
        lambda: Correction.objects.filter(closed_at__isnull=False),
        "closed_at",
        ("team", "engineer", "closed_by"),
        _correction,
    ),
    _ActionSource(
        "trainings",
        lambda: _("Service trainings completed"),
        lambda: TrainingAssignment.objects.filter(completed_at__isnull=False),
        "completed_at",
        ("team", "employee"),
        _training,
    ),
    _ActionSource(
        "root_causes",
        lambda: _("Root causes recorded for repeat faults"),
        lambda: RootCause.objects.all(),
        "recorded_at",
        ("ticket", "ticket__team", "recorded_by"),
        _root_cause,
    ),
    _ActionSource(
        "delay_notices",
        lambda: _("Delay notices filed"),
        lambda: DelayNotice.objects.all(),
        "filed_at",
        ("ticket", "ticket__team", "filed_by"),
        _delay_notice,
    ),
)


def actions_in(period: Period, now: datetime | None = None) -> list[ActionGroup]:
    """Each kind of action taken in the period: a count and the latest EXAMPLES (two queries a kind)."""
    start, end = period_bounds(period, now)
    groups = []
    for source in ACTION_SOURCES:
        rows = (
            source.rows()
            .using(reporting_alias())
            .filter(**{f"{source.moment}__gte": start, f"{source.moment}__lt": end})
        )
        count = rows.count()
        examples = (
            [
                source.example(obj)
                for obj in rows.select_related(*source.related).order_by(f"-{source.moment}", "-pk")[
                    :EXAMPLES
                ]
            ]
            if count
            else []
        )
        groups.append(ActionGroup(source.key, source.title(), count, examples))
    return groups


# --- Putting it together ------------------------------------------------------------------------------


def report_teams() -> list[Team]:
    """The maintenance teams, each with its own table."""
    return list(Team.objects.using(reporting_alias()).filter(handles_tickets=True).order_by("name", "pk"))


def _contacts() -> tuple[str, str]:
    phone = settings.SERVICE_CONTACT_PHONE
    email = settings.SERVICE_CONTACT_EMAIL
    line = f"{settings.SERVICE_CONTACT_NAME} · {_('Tel.')} {phone} · {_('E-mail')} {email}"
    return f"{_('Tel.')} {phone} · {_('E-mail')} {email}", line


def report_content(
    month: date, *, now: datetime | None = None, teams: Iterable[Team] | None = None
) -> ReportContent:
    """The report of the month holding `month`, in Korean."""
    now = now or timezone.now()
    period = period_of("month", month)
    with translation.override(REPORT_LANGUAGE):
        board = board_for(Scope(), period)
        lines = [_line(row) for row in board.rows]
        team_tables = [
            TeamFigures(team.name, [_line(row) for row in board_for(Scope(team_ids=(team.pk,)), period).rows])
            for team in (report_teams() if teams is None else teams)
        ]
        contacts, contact_line = _contacts()
        standard = (
            str(board.standard) if board.standard is not None else _("No service standard was in force.")
        )
        facts = [
            (_("Department"), settings.SERVICE_CONTACT_NAME),
            (_("Contacts"), contacts),
            (pgettext("monthly report", "Month"), f"{period.label()} ({period.first:%Y-%m-%d} ~ {period.last:%Y-%m-%d})"),
            (_("Judged against"), standard),
            (_("Days counted"), _("%(days)d of %(all)d") % {"days": board.counted_days, "all": period.days}),
            (_("Generated"), local_text(now)),
        ]
        return ReportContent(
            month=period.first,
            period=period,
            title=_("Customer service charter: monthly charter report"),
            department=settings.SERVICE_CONTACT_NAME,
            facts=facts,
            contact_line=contact_line,
            lines=lines,
            line_header=[
                _("Clause"),
                _("Promise"),
                _("Figure"),
                _("Target"),
                _("Met or missed"),
                _("Previous month"),
                _("Counted"),
                _("Missed"),
            ],
            teams=team_tables,
            worst=_worst(board, lines, period),
            row_header=[_("When"), _("Record"), _("Subject"), _("Team"), _("Person"), _("Detail")],
            actions=actions_in(period, now),
            action_header=[_("When"), _("Record"), _("Team"), _("Person"), pgettext("monthly report", "What was done")],
            counted_days=board.counted_days,
            generated_at=now,
        )


def reports_link(report: MonthlyReport | None = None) -> str:
    """The download page (a path), at the report's row when there is one."""
    url = reverse("charter:scoreboard:reports")
    return f"{url}#report-{report.month:%Y-%m}" if report is not None else url
