"""IM1: every scoreboard figure, worked out by hand from raw rows.

For each measure the test builds February 2026's rows for the lead's team:
some that kept the promise, some that missed it, some just outside the month
(23:59:59 KST on 31 January, 00:00 KST on 1 March; the rows at 00:00 on the
1st and 23:59 on the 28th count), some of another team. It runs the rollup
and reads the lead's board: the figure, hits, total and verdict are what the
story says, and the list behind the figure holds exactly the rows counted (and
with "missed only", exactly those that missed). The stories say which row
keeps a promise from the charter's words, never by asking charter.scoreboard.
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from charter.scoreboard.measures import BY_KEY, MEASURES
from largework.models import WindowState
from tests import factories as f
from tests.charter import scoreboard_helpers as sb
from tests.charter.scoreboard_helpers import AFTER, BEFORE, DAY, FIRST, HOUR, LAST, MID, Story, feb
from tests.helpers.clock import kst
from tickets.models import Kind
from visits.models import VisitOutcome, VisitState

pytestmark = pytest.mark.usefixtures("frozen", "standard")

MINUTE = HOUR / 60
JANUARY = kst(2026, 1, 20, 10)


# --- The stories, one per measure ---------------------------------------------------------------


def mt1_on_time(org: f.Org) -> Story:
    on_time = sb.resolved(org, MID, MID + 2 * HOUR)
    late = sb.resolved(org, feb(12), feb(11, 18))
    first = sb.resolved(org, FIRST, FIRST + HOUR)
    last = sb.resolved(org, LAST, LAST - HOUR)
    sb.resolved(org, BEFORE, BEFORE + HOUR)
    sb.resolved(org, AFTER, AFTER + HOUR)
    sb.resolved(org, MID, MID + HOUR, team=org.other_team)
    sb.ticket(org, status="in_progress", resolve_by=feb(3))  # still open: nothing to judge yet
    # A notice filed in time moved the deadline to the 20th: finished on the 19th, on time.
    moved = sb.resolved(org, feb(19), feb(20, 18), resolve_by_from_notice=True)
    sb.notice(org, moved, feb(16), late=False, new=feb(20, 18))
    # A notice filed after the deadline (the 17th) moves nothing: late, however soon after it was finished.
    late_notice = sb.resolved(org, feb(19), feb(20, 18), resolve_by_from_notice=True)
    sb.notice(org, late_notice, feb(18), late=True, new=feb(20, 18))
    return Story([on_time, first, moved], [late, last, late_notice], Decimal("50.0"), "missed")


def mt1_notice(org: f.Org) -> Story:
    t, other = sb.ticket(org, resolve_by=feb(20)), sb.ticket(org, team=org.other_team)
    in_advance = sb.notice(org, t, MID, late=False)
    late = sb.notice(org, t, feb(12), late=True)
    first = sb.notice(org, t, FIRST, late=False)
    last = sb.notice(org, t, LAST, late=False)
    sb.notice(org, t, BEFORE, late=True)
    sb.notice(org, t, AFTER, late=True)
    sb.notice(org, other, MID, late=True)
    return Story([in_advance, first, last], [late], Decimal("75.0"), "missed", extra={"late": 1})


def ph1_answered(org: f.Org) -> Story:
    one, two, three = sb.call(org, MID, rings=1), sb.call(org, MID, rings=2), sb.call(org, MID, rings=3)
    five_s, six_s = sb.call(org, feb(11), seconds=5), sb.call(org, feb(11), seconds=6)
    first, last = sb.call(org, FIRST, rings=0), sb.call(org, LAST, rings=4)
    sb.call(org, BEFORE, rings=5)
    sb.call(org, AFTER, rings=5)
    sb.call(org, MID, rings=5, agent=org.other_engineer)  # greeted as the network team
    sb.call(org, MID, rings=5, team=None)  # no greeting team recorded: the department's, no team's
    return Story([one, two, five_s, first], [three, six_s, last], Decimal("57.1"), "missed")


def ph3_callbacks(org: f.Org) -> Story:
    on_time = sb.memo(org, MID, closed=MID - 10 * MINUTE)
    on_the_minute = sb.memo(org, feb(11), closed=feb(11))
    late = sb.memo(org, feb(12), closed=feb(12) + MINUTE)
    never = sb.memo(org, feb(13))
    first, last = sb.memo(org, FIRST, closed=FIRST), sb.memo(org, LAST)
    sb.memo(org, BEFORE)
    sb.memo(org, AFTER)
    sb.memo(org, MID, handler=org.other_engineer)
    return Story([on_time, on_the_minute, first], [late, never, last], Decimal("50.0"), "missed")


# OV4: waits in seconds; the figure is a nearest-rank percentile of whole minutes, rounded up.
WAITS = [30, 60, 61, 170, 240, 300, 301, 600, 900]


def _walk_ins(org: f.Org) -> list[Any]:
    served = [sb.walk_in(org, MID + i * HOUR, s) for i, s in enumerate(WAITS)]
    served += [sb.walk_in(org, FIRST, 45), sb.walk_in(org, LAST, 1000)]
    sb.walk_in(org, BEFORE, 5000)
    sb.walk_in(org, AFTER, 5000)
    sb.walk_in(org, MID, 5000, by=org.other_engineer)
    sb.walk_in(org, None, None)  # still waiting
    return served


def ov4_median(org: f.Org) -> Story:
    seconds = [*WAITS, 45, 1000]
    minutes = [sb.whole_minutes(s) for s in seconds]
    assert sorted(minutes) == [1, 1, 1, 2, 3, 4, 5, 6, 10, 15, 17]
    median = sb.nearest_rank(minutes, Decimal("0.5"))  # the 6th of 11
    assert median == 4
    return Story(_walk_ins(org), [], Decimal(median), "met")  # target: at most 5 minutes


def ov4_p90(org: f.Org) -> Story:
    minutes = [sb.whole_minutes(s) for s in [*WAITS, 45, 1000]]
    p90 = sb.nearest_rank(minutes, Decimal("0.9"))  # the 10th of 11 (ceil 9.9)
    assert p90 == 15
    return Story(_walk_ins(org), [], Decimal(p90), "met")  # target: at most 15 minutes, met on the dot


def sv1_on_time(org: f.Org) -> Story:
    def arrived(at: Any, late_by: int | None, **fields: Any) -> Any:
        return sb.visit(org, start=at, punctuality_minutes=late_by, **fields)

    kept = [arrived(MID, 0), arrived(feb(11), 10), arrived(feb(12), -5), arrived(FIRST, 0)]
    missed = [arrived(feb(13), 11), arrived(feb(14), 30), arrived(LAST, 12)]
    arrived(BEFORE, 40)
    arrived(AFTER, 40)
    arrived(MID, 40, for_ticket=sb.ticket(org, team=org.other_team))
    arrived(MID, None)  # no agreed time to be late against
    return Story(kept, missed, Decimal("57.1"), "missed")  # target 95 %, tolerance 10 minutes


def sv4_unannounced(org: f.Org) -> Story:
    def late(at: Any, **fields: Any) -> Any:
        return sb.visit(org, start=at, late_without_notice=True, punctuality_minutes=25, **fields)

    counted = [late(MID), late(FIRST), late(LAST)]
    late(BEFORE)
    late(AFTER)
    late(MID, for_ticket=sb.ticket(org, team=org.other_team))
    sb.visit(org, start=MID, late_notice_at=MID - HOUR, punctuality_minutes=25)  # phoned ahead
    return Story(counted, [], Decimal(3), "missed")  # target: at most 0


def mt2_first_visit(org: f.Org) -> Story:
    def first_of(outcome: str, at: Any, **fields: Any) -> Any:
        return sb.visit(org, sb.ticket(org, **fields), outcome=outcome, start=at)

    resolved = first_of(VisitOutcome.RESOLVED, MID)
    # More work needed at the first visit: a miss, and the second visit that fixed it is no first visit.
    follow_up = first_of(VisitOutcome.FOLLOW_UP, feb(5))
    sb.visit(org, follow_up.ticket, start=feb(9))
    # Nobody was there: that was no first visit; the next one was, and fixed it.
    absent = sb.visit(org, outcome=VisitOutcome.CUSTOMER_ABSENT, start=feb(3))
    after_absence = sb.visit(org, absent.ticket, start=feb(6))
    # The first visit was in January: February's resolving visit is not a first one.
    january = first_of(VisitOutcome.FOLLOW_UP, JANUARY)
    sb.visit(org, january.ticket, start=feb(4))
    # A cancelled booking is no visit: the completed one after it is the first.
    cancelled = sb.visit(org, state=VisitState.CANCELLED, start=feb(11))
    after_cancel = sb.visit(org, cancelled.ticket, outcome=VisitOutcome.FOLLOW_UP, start=feb(12))
    first = sb.visit(org, start=FIRST - 50 * MINUTE, checked_out=FIRST)
    last = sb.visit(org, outcome=VisitOutcome.FOLLOW_UP, start=LAST - HOUR, checked_out=LAST)
    sb.visit(org, start=BEFORE - HOUR, checked_out=BEFORE)
    sb.visit(org, start=AFTER - HOUR, checked_out=AFTER)
    first_of(VisitOutcome.FOLLOW_UP, MID, team=org.other_team)
    return Story([resolved, after_absence, first], [follow_up, after_cancel, last], Decimal("50.0"), "missed")


def mt4_consent(org: f.Org) -> Story:
    def repair(done: Any, started: Any, agreed: Any | None, **fields: Any) -> Any:
        t = sb.resolved(org, done, None, **fields)
        if started is not None:
            sb.work_started(org, t, started)
        if agreed is not None:
            sb.consent(org, t, agreed)
        return t

    before = repair(MID, feb(9, 10), feb(9, 9))
    same_minute = repair(MID, feb(9, 10), feb(9, 10))
    # Consent came after the work had started; starting again afterwards does not make it right.
    after = repair(MID, feb(9, 10), feb(9, 11))
    sb.work_started(org, after, feb(9, 12))
    without = repair(MID, feb(9, 10), None)
    first = repair(FIRST, feb(1) - DAY, feb(1) - 2 * DAY)
    last = repair(LAST, feb(27), None)
    repair(BEFORE, feb(1) - 2 * DAY, None)
    repair(AFTER, feb(27), None)
    repair(MID, feb(9), None, team=org.other_team)
    repair(MID, feb(9), None, kind=Kind.SUPPORT)  # a support request is no repair
    repair(MID, None, None)  # never started work: nothing to consent to
    sb.ticket(org, status="in_progress")  # started, not finished: counted when finished
    return Story([before, same_minute, first], [after, without, last], Decimal("50.0"), "missed")


def mt5_stopped(org: f.Org) -> Story:
    lapsed = sb.episode(org, until=feb(14))
    window_passed = sb.episode(org, until=feb(20), state="at_risk")  # the sweep has not lapsed it yet
    escalated = sb.episode(org, escalated=MID, until=feb(25))
    fixed = sb.episode(org, escalated=feb(11), until=feb(26), resolved_at=feb(20))
    first = sb.episode(org, until=FIRST)
    last = sb.episode(org, escalated=LAST, until=LAST + 10 * DAY)
    sb.episode(org, until=BEFORE)
    sb.episode(org, escalated=AFTER, until=AFTER + DAY)
    sb.episode(org, until=AFTER + 19 * DAY, state="at_risk")  # still open after now
    sb.episode(org, escalated=feb(1) - 7 * DAY, until=feb(5))  # decided in January
    sb.episode(org, until=MID, team=org.other_team)
    return Story([lapsed, window_passed, first], [escalated, fixed, last], Decimal("50.0"), "missed")


def mt5_joint(org: f.Org) -> Story:
    def fixed(at: Any, *, team: Any = None, **visit_fields: Any) -> Any:
        made = sb.episode(org, team=team, escalated=at - 10 * DAY, until=at + 30 * DAY, resolved_at=at)
        if visit_fields:
            sb.visit(org, sb.episode_ticket(org, made), start=at - 2 * DAY, **visit_fields)
        return made

    with_lead = fixed(feb(10), engineer=org.engineer, companion=org.lead)
    lead_engineer = fixed(feb(11), engineer=org.lead, companion=org.engineer)
    alone = fixed(feb(12), engineer=org.engineer)
    no_lead = fixed(feb(13), engineer=org.engineer, companion=org.other_engineer)
    planned = fixed(feb(14), engineer=org.engineer, companion=org.lead, state=VisitState.CONFIRMED)
    nobody_met = fixed(feb(15), engineer=org.engineer, companion=org.lead, outcome=VisitOutcome.CUSTOMER_ABSENT)
    lead_alone = fixed(feb(16), engineer=org.lead)
    first = fixed(FIRST, engineer=org.engineer, companion=org.lead)
    last = fixed(LAST)
    fixed(BEFORE, engineer=org.engineer, companion=org.lead)
    fixed(AFTER, engineer=org.engineer, companion=org.lead)
    fixed(MID, team=org.other_team, engineer=org.other_engineer)
    sb.episode(org, until=feb(10), resolved_at=feb(12))  # fixed before it escalated: not MT5's joint case
    sb.episode(org, escalated=feb(3), until=feb(28))  # escalated, not fixed yet
    missed = [alone, no_lead, planned, nobody_met, lead_alone, last]
    return Story([with_lead, lead_engineer, first], missed, Decimal("33.3"), "missed")


def mt8_lead(org: f.Org) -> Story:
    chief = f.section_chief_make(org)

    def vip(at: Any, *, vip: bool = True, team: Any = None, **fields: Any) -> Any:
        t = sb.ticket(org, reporter_is_vip=vip, team=team or org.team)
        return sb.visit(org, t, start=at - 50 * MINUTE, checked_out=at, **fields)

    kept = [
        vip(MID, engineer=org.lead),
        vip(feb(11), engineer=org.engineer, companion=org.lead),
        vip(feb(12), engineer=org.engineer, companion=chief),
        vip(FIRST, engineer=org.lead),
    ]
    missed = [
        vip(feb(13), engineer=org.engineer),
        vip(feb(14), engineer=org.engineer, companion=org.other_engineer),
        vip(LAST, engineer=org.engineer),
    ]
    vip(BEFORE, engineer=org.engineer)
    vip(AFTER, engineer=org.engineer)
    vip(MID, vip=False, engineer=org.engineer)
    vip(MID, team=org.other_team, engineer=org.other_engineer)
    sb.visit(org, sb.ticket(org, reporter_is_vip=True), state=VisitState.CONFIRMED, start=feb(16))
    return Story(kept, missed, Decimal("57.1"), "missed")


def bs1_on_time(org: f.Org) -> Story:
    def support(done: Any, wanted: Any, kind: str = Kind.SUPPORT, **fields: Any) -> Any:
        return sb.resolved(org, done, None, kind=kind, requested_by=wanted, **fields)

    kept = [support(MID, MID + HOUR), support(feb(11), feb(11)), support(FIRST, FIRST + HOUR)]
    missed = [support(feb(12), feb(12) - MINUTE), support(LAST, LAST - HOUR)]
    support(BEFORE, BEFORE + HOUR)
    support(AFTER, AFTER + HOUR)
    support(MID, MID - HOUR, team=org.other_team)
    support(MID, MID - HOUR, kind=Kind.FAULT)
    support(MID, None)  # no requested time: nothing to keep
    return Story(kept, missed, Decimal("60.0"), "missed")


def bs2_approved(org: f.Org) -> Story:
    approved = sb.plan(org).versions.get()
    sb.approve(org, approved, JANUARY)
    kept = [sb.window(approved, feb(5)), sb.window(approved, feb(6)), sb.window(approved, FIRST)]
    sb.window(approved, feb(7), state=WindowState.POSTPONED)
    sb.window(approved, feb(8), state=WindowState.PLANNED)
    sb.window(approved, BEFORE)
    sb.window(approved, AFTER)
    # Approved at 12:00 on the 10th: the work of that morning was done without approval.
    midday = sb.plan(org).versions.get()
    sb.approve(org, midday, feb(10, 12))
    early, later = sb.window(midday, feb(10, 10)), sb.window(midday, feb(11))
    on_the_minute = sb.plan(org).versions.get()
    sb.approve(org, on_the_minute, feb(14, 10))
    kept += [later, sb.window(on_the_minute, feb(14, 10))]
    returned = sb.plan_version(org, sb.plan(org), returned=feb(1) - 5 * DAY)
    # Version 1 approved, the work done under version 2, which nobody approved.
    second = sb.plan(org)
    sb.approve(org, second.versions.get(), feb(1) - 20 * DAY)
    unapproved = sb.plan_version(org, second)
    missed = [early, sb.window(returned, feb(12)), sb.window(unapproved, feb(13)), sb.window(unapproved, LAST)]
    sb.window(sb.plan(org, team=org.other_team).versions.get(), feb(12))
    return Story(kept, missed, Decimal("55.6"), "missed")


def bs4_reports(org: f.Org) -> Story:
    def due(at: Any, submitted: Any | None = None, **fields: Any) -> Any:
        made = sb.plan(org, report_due=at, **fields)
        if submitted is not None:
            sb.report(made, submitted)
        return made

    kept = [due(MID, MID - DAY), due(feb(11), feb(11)), due(FIRST, FIRST - HOUR)]
    missed = [due(feb(12), feb(12) + MINUTE), due(feb(13)), due(LAST)]
    due(BEFORE)
    due(AFTER)
    due(MID, team=org.other_team)
    sb.plan(org)  # no report due yet: the work is not finished
    return Story(kept, missed, Decimal("50.0"), "missed")


def cr1_corrections(org: f.Org) -> Story:
    opened = [
        sb.correction(org, MID, closed=MID + DAY),
        sb.correction(org, feb(20)),
        sb.correction(org, FIRST),
        sb.correction(org, LAST, closed=AFTER + DAY),
    ]
    sb.correction(org, feb(1) - 10 * DAY, closed=feb(3))  # closed in February, opened before
    sb.correction(org, BEFORE)
    sb.correction(org, AFTER)
    sb.correction(org, MID, closed=MID + HOUR, team=org.other_team)
    # Opened: 4; closed in February: the one of the 10th and the one of the 3rd. No target: a count.
    return Story(opened, [], Decimal(4), "no_target", extra={"closed": 2})


def cr3_trainings(org: f.Org) -> Story:
    kept = [sb.training(org, MID, completed=MID - DAY), sb.training(org, feb(11), completed=feb(11)),
            sb.training(org, FIRST, completed=FIRST - DAY)]
    missed = [sb.training(org, feb(12), completed=feb(12) + MINUTE), sb.training(org, feb(13)),
              sb.training(org, LAST)]
    sb.training(org, BEFORE)
    sb.training(org, AFTER)
    sb.training(org, MID, team=org.other_team)
    return Story(kept, missed, Decimal("50.0"), "missed")


def _surveys(org: f.Org) -> tuple[list[Any], list[Any]]:
    answered = [
        sb.survey(org, MID, answered=MID + DAY, score=5),
        sb.survey(org, feb(12), answered=AFTER + DAY, score=2),  # answered in March: counts on the day it was sent
        sb.survey(org, FIRST, answered=FIRST + HOUR, score=4),
    ]
    unanswered = [sb.survey(org, feb(13)), sb.survey(org, feb(14)), sb.survey(org, LAST)]
    sb.survey(org, BEFORE, answered=feb(2), score=1)
    sb.survey(org, AFTER, answered=AFTER + HOUR, score=1)
    sb.survey(org, MID, answered=MID + HOUR, score=1, team=org.other_team)
    return answered, unanswered


def im2_response(org: f.Org) -> Story:
    answered, unanswered = _surveys(org)
    return Story(answered, unanswered, Decimal("50.0"), "met")  # target 30 %


def im2_score(org: f.Org) -> Story:
    answered, _unanswered = _surveys(org)
    mean = (Decimal(5 + 2 + 4) / 3).quantize(Decimal("0.01"))
    assert mean == Decimal("3.67")
    return Story(answered, [], mean, "missed")  # target 4.0


def cp1_answered(org: f.Org) -> Story:
    kept = [sb.feedback(org, MID, answered=MID - DAY), sb.feedback(org, feb(11), answered=feb(11)),
            sb.feedback(org, FIRST, answered=FIRST - DAY)]
    missed = [sb.feedback(org, feb(12), answered=feb(12) + MINUTE), sb.feedback(org, feb(13)), sb.feedback(org, LAST)]
    sb.feedback(org, BEFORE)
    sb.feedback(org, AFTER)
    sb.feedback(org, MID, team=org.other_team)
    return Story(kept, missed, Decimal("50.0"), "missed")


STORIES: dict[str, Callable[[f.Org], Story]] = {
    story.__name__: story
    for story in (
        mt1_on_time, mt1_notice, ph1_answered, ph3_callbacks, ov4_median, ov4_p90, sv1_on_time, sv4_unannounced,
        mt2_first_visit, mt4_consent, mt5_stopped, mt5_joint, mt8_lead, bs1_on_time, bs2_approved, bs4_reports,
        cr1_corrections, cr3_trainings, im2_response, im2_score, cp1_answered,
    )
}


def test_every_measure_has_a_story() -> None:
    assert set(STORIES) == {m.key for m in MEASURES}


@pytest.mark.parametrize("key", list(STORIES))
def test_the_figure_is_the_one_worked_out_from_the_rows(key: str, org, client_for) -> None:
    story = STORIES[key](org)
    sb.recount()
    measure = BY_KEY[key]
    lead = client_for(org.lead)
    row = sb.board_row(lead, key)

    assert row.figure == story.figure
    assert row.verdict == story.verdict
    assert row.total == len(story.rows)
    if measure.kind == "rate":
        assert story.figure == sb.percent(len(story.kept), len(story.rows))
        assert (row.hits, row.missed) == (len(story.kept), len(story.missed))
    else:
        assert row.hits is None and row.missed is None
    for name, value in story.extra.items():
        assert row.extra[name] == value

    everything = sb.listed(lead, key)
    assert everything == {obj.pk for obj in story.rows}
    only_missed = sb.listed(lead, key, missed=True)
    if measure.kind == "rate":
        assert only_missed == {obj.pk for obj in story.missed}
    else:  # nothing judged row by row: "missed only" is the whole list
        assert only_missed == everything
