"""The charter scoreboard (IM1) in tests: raw rows made directly with the ORM at
chosen instants, the rollup run over them, and what the board and the lists
behind its figures show.

Most stories happen in February 2026, one Seoul month: the rows at its very
edges are `FIRST` (00:00 KST on the 1st) and `LAST` (23:59 KST on the 28th),
and just outside it `BEFORE` (23:59:59 KST on 31 January) and `AFTER` (00:00
KST on 1 March). The clock stands at tests.helpers.clock.NOW (Tuesday 10 March
2026, 10:00 KST), so the whole month is over. Every builder sets the fields a
scoreboard source reads and takes any other field as a keyword."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import count
from typing import Any

from django.test import Client

from charter.models import DelayNotice, RepeatFault, RepeatFaultTicket
from charter.scoreboard.rollup import days_recompute
from charter.scoreboard.selectors import Row
from corrections.models import Correction
from desk.models import CallbackMemo, Consent, Diagnosis, PhoneCall, WalkIn
from feedback.models import Feedback, FeedbackKind, TrainingAssignment
from largework.models import (
    CompletionReport,
    Decision,
    PlanDecision,
    PlanVersion,
    PlanWindow,
    WindowState,
    WorkPlan,
)
from surveys.models import Survey
from tests import factories as f
from tests.helpers.clock import NOW, kst
from tickets.lifecycle import Status
from tickets.models import Kind, Ticket, TicketEvent
from visits.models import Visit, VisitOutcome, VisitState

BOARD = "/charter/scoreboard/"
FEBRUARY = "period=month&day=2026-02-01"
BEFORE = kst(2026, 1, 31, 23, 59, 59)
FIRST = kst(2026, 2, 1)
LAST = kst(2026, 2, 28, 23, 59)
AFTER = kst(2026, 3, 1)
MID = kst(2026, 2, 10, 10)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)

_serial = count(1)


def feb(d: int, h: int = 10, mi: int = 0) -> datetime:
    """An instant in February 2026, Seoul time."""
    return kst(2026, 2, d, h, mi)


def recount(first: date = date(2026, 1, 1), last: date = date(2026, 3, 10), *, now: datetime = NOW) -> None:
    """The rollup over the story's days (what the nightly recompute does)."""
    days_recompute(first, last, now=now)


# --- What the pages show ----------------------------------------------------------------------


def board_of(client: Client, query: str = FEBRUARY) -> Any:
    response = client.get(f"{BOARD}?{query}")
    assert response.status_code == 200, response.status_code
    return response.context["board"]


def board_row(client: Client, key: str, query: str = FEBRUARY) -> Row:
    return next(r for r in board_of(client, query).rows if r.key == key)


def list_response(client: Client, key: str, query: str = FEBRUARY, *, missed: bool = False) -> Any:
    return client.get(f"{BOARD}rows/{key}/?{query}{'&missed=1' if missed else ''}")


def listed(client: Client, key: str, query: str = FEBRUARY, *, missed: bool = False) -> set[int]:
    """The pks of the rows on the list behind a figure (one page: the stories stay under 25 rows)."""
    response = list_response(client, key, query, missed=missed)
    assert response.status_code == 200, response.status_code
    page = response.context["page"]
    assert page.paginator.count < 25, "a story's list must fit on one page"
    return {obj.pk for obj in page.object_list}


def percent(hits: int, total: int) -> Decimal:
    """A share as the board shows it: one decimal, half up (computed here by hand)."""
    return (Decimal(hits * 100) / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def whole_minutes(seconds: int) -> int:
    return -(-seconds // 60)


def nearest_rank(values: list[int], share: Decimal) -> int:
    """The nearest-rank percentile: the ceil(share × n)-th smallest value."""
    ordered = sorted(values)
    rank = int((share * len(ordered)).to_integral_value(rounding="ROUND_CEILING"))
    return ordered[rank - 1]


@dataclass
class Story:
    """The rows a measure counts in February for the lead's team: those that kept
    the promise and those that missed it (everything else built for the story
    is outside the month or the team), and the figure and verdict worked out
    by hand."""

    kept: list[Any]
    missed: list[Any]
    figure: Decimal | None
    verdict: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rows(self) -> list[Any]:
        return self.kept + self.missed


# --- Raw rows ---------------------------------------------------------------------------------


def ticket(org: f.Org, **fields: Any) -> Ticket:
    values: dict[str, Any] = {
        "reporter": org.customer,
        "team": org.team,
        "assignee": org.engineer,
        "status": Status.RESOLVED,
        "created_at": kst(2026, 1, 5, 9),
    }
    values.update(fields)
    if values["team"] == org.other_team and "assignee" not in fields:
        values["assignee"] = org.other_engineer
    return f.TicketFactory(**values)


def resolved(org: f.Org, at: datetime, due: datetime | None, **fields: Any) -> Ticket:
    return ticket(org, resolved_at=at, resolve_by=due, **fields)


def notice(org: f.Org, for_ticket: Ticket, filed_at: datetime, *, late: bool, new: datetime | None = None) -> DelayNotice:
    return DelayNotice.objects.create(
        ticket=for_ticket, reason="부품 입고 지연", old_deadline=for_ticket.resolve_by,
        new_deadline=new or filed_at + 3 * DAY, filed_by=for_ticket.assignee or org.engineer, filed_at=filed_at,
        was_late=late,
    )


def call(org: f.Org, at: datetime, *, rings: int | None = None, seconds: int | None = None, agent: Any = None,
         team: Any = "same") -> PhoneCall:
    agent = agent or org.desk_agent
    # PH1 by hand: two rings at most, else under six seconds when only seconds were recorded.
    in_time = rings <= 2 if rings is not None else (seconds or 0) < 6
    return PhoneCall.objects.create(
        received_at=at, agent=agent, greeting_team=agent.team if team == "same" else team, rings=rings,
        seconds_to_answer=seconds, answered_in_time=in_time, caller_name="김민수",
    )


def memo(org: f.Org, due: datetime, *, closed: datetime | None = None, handler: Any = None) -> CallbackMemo:
    return CallbackMemo.objects.create(
        caller_name="김민수", department=org.customer_dept, phone="010-2345-6789", matter="회신 바랍니다",
        for_handler=handler or org.engineer, taken_by=org.desk_agent, taken_at=due - HOUR, due_minutes=60,
        remind_at=due - timedelta(minutes=15), due_at=due, closed_at=closed,
        closed_by=(handler or org.engineer) if closed else None,
    )


def walk_in(org: f.Org, served: datetime | None, wait_seconds: int | None, *, by: Any = None) -> WalkIn:
    by = by or org.engineer
    arrived = (served or MID) - timedelta(seconds=wait_seconds or 0)
    return WalkIn.objects.create(
        arrived_at=arrived, met_by=org.desk_agent, visitor_name="이영희", department=org.customer_dept,
        matter="모니터 문의", routed_to=by, served_at=served, served_by=by if served else None,
        wait_seconds=wait_seconds if served else None,
    )


def visit(org: f.Org, for_ticket: Ticket | None = None, *, engineer: Any = None, companion: Any = None,
          state: str = VisitState.COMPLETED, outcome: str = VisitOutcome.RESOLVED, start: datetime = MID,
          checked_in: datetime | None = None, checked_out: datetime | None = None, **fields: Any) -> Visit:
    """A visit agreed for `start`; a completed one checked in at `checked_in`
    (default: the start) and out at `checked_out` (default: 50 minutes later)."""
    for_ticket = for_ticket or ticket(org)
    done = state == VisitState.COMPLETED
    checked_in = checked_in or (start if state in (VisitState.COMPLETED, VisitState.CHECKED_IN) else None)
    values: dict[str, Any] = {
        "ticket": for_ticket, "engineer": engineer or for_ticket.assignee or org.engineer, "companion": companion,
        "purpose": "점검", "state": state, "proposed_start": start, "proposed_end": start + HOUR,
        "agreed_start": start, "agreed_end": start + HOUR, "checked_in_at": checked_in,
        "checked_out_at": (checked_out or checked_in + timedelta(minutes=50)) if done else None,
        "outcome": outcome if done else "", "created_by": org.desk_agent, "created_at": start - 2 * DAY,
        "punctuality_minutes": 0 if checked_in else None,
    }
    values.update(fields)
    return Visit.objects.create(**values)


def consent(org: f.Org, for_ticket: Ticket, at: datetime) -> Consent:
    diagnosis = Diagnosis.objects.create(
        ticket=for_ticket, findings="파워 서플라이 불량", expected_minutes=60, by=org.engineer, at=at - HOUR
    )
    return Consent.objects.create(
        ticket=for_ticket, diagnosis=diagnosis, given_by="김민수", how="phone", recorded_by=org.engineer, at=at
    )


def work_started(org: f.Org, for_ticket: Ticket, at: datetime) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=for_ticket, kind=TicketEvent.Kind.STATUS_CHANGED, actor=org.engineer, created_at=at,
        data={"from": Status.AWAITING_CONSENT, "to": Status.IN_PROGRESS, "action": "start_work", "note": ""},
    )


def episode(org: f.Org, *, team: Any = None, escalated: datetime | None = None, until: datetime = MID,
            resolved_at: datetime | None = None, state: str | None = None) -> RepeatFault:
    """A repeat-fault episode on an asset of its own (at most one open per asset)."""
    asset = f.AssetFactory(owner=org.customer, department=org.customer_dept, tag=f"SB-{next(_serial):06d}")
    if state is None:
        state = RepeatFault.State.RESOLVED if resolved_at else (
            RepeatFault.State.ESCALATED if escalated else RepeatFault.State.LAPSED
        )
    return RepeatFault.objects.create(
        asset=asset, category=org.category, team=team or org.team, window_days=90, threshold=3,
        window_start=until - 90 * DAY, at_risk_until=until, occurrence_count=3 if escalated else 2,
        last_occurrence_at=(escalated or until - 30 * DAY), state=state, escalated_at=escalated,
        resolved_at=resolved_at, created_at=until - 60 * DAY,
    )


def episode_ticket(org: f.Org, of: RepeatFault, occurrence: int = 3) -> Ticket:
    t = ticket(org, team=of.team, asset=of.asset, category=org.category)
    RepeatFaultTicket.objects.create(repeat_fault=of, ticket=t, occurrence=occurrence, added_at=t.created_at)
    return t


def plan(org: f.Org, *, team: Any = None, owner: Any = None, report_due: datetime | None = None) -> WorkPlan:
    work = ticket(org, kind=Kind.LARGE_WORK, team=team or org.team, status=Status.IN_PROGRESS)
    made = WorkPlan.objects.create(
        ticket=work, owner=owner or work.assignee, contact=org.customer, supervising_department=org.customer_dept,
        report_due_at=report_due, created_at=kst(2026, 1, 5),
    )
    plan_version(org, made)
    return made


def plan_version(org: f.Org, of: WorkPlan, *, approved: datetime | None = None, returned: datetime | None = None) -> PlanVersion:
    number = of.versions.count() + 1
    version = PlanVersion.objects.create(
        plan=of, number=number, title=f"PC 교체 v{number}", scope="전 좌석", staffing="3명", risks="원복",
        customer_notice="좌석을 비워 주십시오", created_by=of.owner, created_at=kst(2026, 1, 6),
    )
    WorkPlan.objects.filter(pk=of.pk).update(current=version)
    for decision, at in ((Decision.APPROVED, approved), (Decision.RETURNED, returned)):
        if at is not None:
            PlanDecision.objects.create(version=version, decision=decision, decided_by=org.lead, decided_at=at)
    return version


def approve(org: f.Org, version: PlanVersion, at: datetime) -> None:
    PlanDecision.objects.create(version=version, decision=Decision.APPROVED, decided_by=org.lead, decided_at=at)


def window(version: PlanVersion, starts: datetime, *, state: str = WindowState.DONE) -> PlanWindow:
    return PlanWindow.objects.create(
        version=version, starts_at=starts, ends_at=starts + 2 * HOUR, what=f"PC 교체 {next(_serial)}", state=state
    )


def report(of: WorkPlan, submitted: datetime) -> CompletionReport:
    return CompletionReport.objects.create(
        plan=of, summary="완료", by_department="품질관리부 40대", submitted_by=of.owner, submitted_at=submitted,
        due_at=of.report_due_at,
    )


def correction(org: f.Org, opened: datetime, *, closed: datetime | None = None, team: Any = None,
               engineer: Any = None) -> Correction:
    team = team or org.team
    engineer = engineer or (org.engineer if team == org.team else org.other_engineer)
    return Correction.objects.create(
        ticket=ticket(org, team=team), team=team, engineer=engineer, reason="설정 누락",
        what_was_wrong="프린터 드라이버 미설치", opened_by=engineer, opened_at=opened, closed_at=closed,
        state="closed" if closed else "open", closed_by=engineer if closed else None,
    )


def feedback(org: f.Org, due: datetime, *, answered: datetime | None = None, team: Any = None,
             handler: Any = None, kind: str = FeedbackKind.SUGGESTION) -> Feedback:
    team = team or org.team
    handler = handler or (org.lead if team == org.team else org.other_engineer)
    return Feedback.objects.create(
        kind=kind, customer=org.customer, customer_name="김민수", customer_department=org.customer_dept,
        body="안내가 더 빨랐으면 합니다", team=team, handler=handler, due_at=due, answered_at=answered,
        state="answered" if answered else "received", created_by=org.customer, created_at=due - 7 * DAY,
    )


def training(org: f.Org, due: datetime, *, completed: datetime | None = None, team: Any = None) -> TrainingAssignment:
    team = team or org.team
    employee = org.engineer if team == org.team else org.other_engineer
    complaint = feedback(org, due - 20 * DAY, answered=due - 19 * DAY, team=team, kind=FeedbackKind.COMPLAINT)
    return TrainingAssignment.objects.create(
        employee=employee, complaint=complaint, team=team, training="친절 교육", assigned_by=org.lead,
        assigned_at=due - 30 * DAY, due_at=due, completed_at=completed, completed_by=org.lead if completed else None,
    )


def survey(org: f.Org, sent: datetime, *, answered: datetime | None = None, score: int | None = None,
           team: Any = None) -> Survey:
    team = team or org.team
    handler = org.engineer if team == org.team else org.other_engineer
    return Survey.objects.create(
        ticket=ticket(org, team=team, assignee=handler), customer=org.customer, team=team, handler=handler,
        sent_at=sent, expires_at=sent + 14 * DAY, answered_at=answered, overall=score,
    )
