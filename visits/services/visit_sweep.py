"""The visit sweep (SV4), run every minute by beat through `visits.tasks.visit_sweep`.

Each confirmed visit not yet checked in, and with no late notice, carries its
next moment in `next_check_at` (indexed only over such visits):

1. agreed start − prompt minutes (standards): the engineer is reminded to check
   in or send a late notice (in-app and SMS), once;
2. agreed start + tolerance (standards): once that has *passed* with neither a
   check-in nor a notice, the visit is recorded late without notice and the
   team lead is told, once.

A row is claimed with a conditional update on the `next_check_at` the sweep
read (healthchecks' pattern): two sweeps at once, or one run twice, act once.
The claim and the outbox rows commit together. A row that raises is pushed a
few minutes on and logged, never retried in a hot loop.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from helpdesk.accounts.selectors import leads_for
from helpdesk.core.times import iso_or_empty
from standards.selectors import lateness_tolerance, prompt_before
from tickets.lifecycle import FINISHED

from ..models import Visit, VisitEvent, VisitState
from .notices import visit_staff_tell
from .timeline import visit_event_record

logger = logging.getLogger(__name__)

BATCH = 500
RETRY_AFTER = timedelta(minutes=5)


def _due(now: datetime) -> list[tuple[int, datetime]]:
    return list(
        Visit.objects.filter(state=VisitState.CONFIRMED, next_check_at__isnull=False, next_check_at__lte=now)
        .order_by("next_check_at", "pk")
        .values_list("pk", "next_check_at")[:BATCH]
    )


@transaction.atomic
def _step(
    pk: int,
    seen_check: datetime,
    now: datetime,
    *,
    tolerance: timedelta | None = None,
    prompt: timedelta | None = None,
) -> bool:
    """One visit's due moment. True when something was done."""
    tolerance = lateness_tolerance() if tolerance is None else tolerance
    prompt = prompt_before() if prompt is None else prompt
    visit = Visit.objects.select_related(
        "ticket", "ticket__team__lead", "engineer", "engineer__team__lead", "companion"
    ).get(pk=pk)
    tolerance_end = visit.agreed_start + tolerance
    unclaimed = Visit.objects.filter(
        pk=pk,
        state=VisitState.CONFIRMED,
        next_check_at=seen_check,
        checked_in_at__isnull=True,
        late_notice_at__isnull=True,
    )
    if visit.ticket.status in FINISHED:
        # The work is over (closed or cancelled meanwhile): nobody is reminded or counted late.
        unclaimed.update(next_check_at=None)
        return False
    if now > tolerance_end:
        if not unclaimed.update(late_without_notice=True, next_check_at=None):
            return False
        visit_event_record(
            visit=visit,
            kind=VisitEvent.Kind.LATE_WITHOUT_NOTICE,
            actor=None,
            at=now,
            is_public=False,
            data={"agreed_start": iso_or_empty(visit.agreed_start), "tolerance_minutes": int(tolerance.total_seconds() // 60)},
        )
        # The engineer's lead (the ticket's team's for an engineer without a team);
        # the section chief when there is none, or when the engineer is the lead.
        team = visit.engineer.team if visit.engineer.team_id else visit.ticket.team
        visit_staff_tell(
            visit,
            people=leads_for(team, about=visit.engineer),
            event="late_without_notice",
            template="visit_late_no_notice",
        )
        return True
    if visit.agreed_start - prompt <= now and visit.prompt_sent_at is None:
        if not unclaimed.filter(prompt_sent_at__isnull=True).update(prompt_sent_at=now, next_check_at=tolerance_end):
            return False
        visit_event_record(visit=visit, kind=VisitEvent.Kind.PROMPTED, actor=None, at=now, is_public=False)
        visit_staff_tell(
            visit, people=[visit.engineer], event="prompt", template="visit_prompt", channels=("in_app", "sms")
        )
        return True
    # Due but nothing to do yet (e.g. exactly at the end of the tolerance, or the
    # standards changed): move on to the moment that matters.
    next_at = tolerance_end if visit.prompt_sent_at else visit.agreed_start - prompt
    if next_at <= now:
        next_at = tolerance_end
    unclaimed.update(next_check_at=next_at)
    return False


def visit_sweep_once(now: datetime | None = None) -> int:
    """Act on every visit whose moment has come; return how many were acted on."""
    now = now or timezone.now()
    done = 0
    due = _due(now)
    if not due:
        return 0
    # The standards once per run, not once per row.
    tolerance, prompt = lateness_tolerance(), prompt_before()
    for pk, seen_check in due:
        try:
            if _step(pk, seen_check, now, tolerance=tolerance, prompt=prompt):
                done += 1
        except Exception:
            logger.exception("Visit sweep failed on visit %s; trying again later", pk)
            Visit.objects.filter(pk=pk, next_check_at=seen_check).update(next_check_at=now + RETRY_AFTER)
    return done
