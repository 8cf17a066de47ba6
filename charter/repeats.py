"""Repeat faults (MT5) and VIP work (MT8): the services, selectors and guards.

MT5 — "when the same fault is expected a third time on the same equipment,
never let it pass three: a team lead and the engineer visit together and fix
the root cause".

* Counting: a ticket's *occurrence* is the number of fault tickets of the same
  category on the same asset opened within the standard's window
  (`StandardVersion.repeat_window_days`) up to and including it, cancelled ones
  left out. It is stored on the ticket (`Ticket.repeat_occurrence`) once
  detection has run; NULL means "not yet", 0 "does not count" (no asset or no
  category, not a fault). The window slides: a fourth fault inside the window
  of the third is escalated too.
* Detection (`repeat_fault_check`) runs in a Celery task queued when the ticket
  is committed (the after-commit hook of a created ticket, `charter.receivers`,
  queues `charter.tasks.repeat_fault_check`), and the minute sweep
  (`repeat_fault_sweep`) is the safety net for any ticket whose task never ran.
  Both are idempotent: a ticket with an occurrence is never counted again, the
  asset row is locked so two faults on one asset are counted one after the
  other, at most one episode per asset and category is open (a partial unique
  constraint), and every notice has its own idempotency key.
* At the second occurrence the asset is *at risk* (a `RepeatFault` episode) and
  the team lead is told (in-app and e-mail). At the threshold (three by
  default) the episode is *escalated* at once: the lead and the handler are
  told, and the ticket cannot be resolved without a completed joint visit (a
  visit whose engineer or companion holds `tickets.lead_team`, with the other
  beside them) nor closed without a `RootCause` record. Both rules are one
  transition guard (`repeat_fault_guard`), registered in `charter.receivers`.
  Recording the root cause resolves the episode.

The guard does not wait for detection: for a ticket not yet counted it counts
on the spot (one indexed query), so the rule holds even if the worker is down.

MT8 — a VIP customer's ticket tells the team lead when it opens
(`vip_ticket_announce`, in the ticket's own transaction: an outbox row and one
timeline line, both once per ticket).
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from helpdesk.accounts.models import Team, User
from helpdesk.accounts.selectors import holders_of, leads_for
from helpdesk.core.errors import ActionRefused
from helpdesk.notifications.doors import tell_staff
from standards.models import StandardVersion
from standards.selectors import current_standard, standard_by_id
from tickets.lifecycle import Status, Transition
from tickets.links import ticket_link
from tickets.locks import ticket_lock
from tickets.models import Asset, Kind, Ticket, TicketEvent
from tickets.timeline import event_record
from visits.models import Visit, VisitState

from .models import RepeatFault, RepeatFaultTicket, RootCause

logger = logging.getLogger(__name__)

DEFAULT_WINDOW_DAYS = 90
DEFAULT_THRESHOLD = 3
# The most earlier faults one count reads; far beyond any threshold.
COUNT_LIMIT = 100
# The sweep looks this far back for faults whose check never ran, and leaves
# the newest ones to the task queued at commit.
SWEEP_LOOKBACK = timedelta(days=3)
SWEEP_GRACE = timedelta(minutes=1)
SWEEP_BATCH = 200
GUARDED_ACTIONS = frozenset({"resolve", "close"})
# A visit counts as the joint visit when the two actually worked on site.
JOINT_OUTCOMES = ("resolved", "follow_up")


# --- Rules read from the standard ---------------------------------------------------------


@dataclass(frozen=True)
class RepeatRule:
    window_days: int
    threshold: int

    @property
    def window(self) -> timedelta:
        return timedelta(days=self.window_days)


def rule_for(ticket: Ticket) -> RepeatRule:
    """The window and threshold of the standard the ticket was opened under (else the active one)."""
    standard: StandardVersion | None = standard_by_id(ticket.standard_version_id) or current_standard()
    if standard is None:
        return RepeatRule(DEFAULT_WINDOW_DAYS, DEFAULT_THRESHOLD)
    return RepeatRule(standard.repeat_window_days or DEFAULT_WINDOW_DAYS, standard.repeat_threshold or DEFAULT_THRESHOLD)


def is_countable(ticket: Ticket) -> bool:
    """Only faults on a known asset with a known category can repeat."""
    return (
        ticket.kind == Kind.FAULT
        and ticket.asset_id is not None
        and ticket.category_id is not None
        and ticket.status != Status.CANCELLED
    )


def occurrences(ticket: Ticket, rule: RepeatRule) -> list[tuple[int, datetime]]:
    """(pk, opened at) of the faults counted up to and including `ticket`, oldest first.
    One query on the index (asset, category, created_at)."""
    return list(
        Ticket.objects.filter(
            kind=Kind.FAULT,
            asset_id=ticket.asset_id,
            category_id=ticket.category_id,
            created_at__gt=ticket.created_at - rule.window,
            created_at__lte=ticket.created_at,
        )
        .exclude(status=Status.CANCELLED)
        # Two faults in the same instant: the lower number came first.
        .filter(Q(created_at__lt=ticket.created_at) | Q(pk__lte=ticket.pk))
        .order_by("-created_at", "-pk")
        .values_list("pk", "created_at")[:COUNT_LIMIT]
    )[::-1]


def occurrence_of(ticket: Ticket) -> int:
    """The ticket's place in the count: stored once detection ran, else counted now (read only)."""
    if ticket.repeat_occurrence is not None:
        return ticket.repeat_occurrence
    if not is_countable(ticket):
        return 0
    return len(occurrences(ticket, rule_for(ticket)))


# --- Detection ----------------------------------------------------------------------------------


def _lock_asset(asset_id: int | None) -> None:
    if asset_id is not None:
        Asset.objects.select_for_update().filter(pk=asset_id).values_list("pk", flat=True).first()


def _locked_ticket(ticket_id: int) -> Ticket | None:
    """The ticket, locked after its asset. The asset lock serialises the checks of one
    asset's faults; taking it first, and the ticket's row with FOR NO KEY UPDATE
    (which does not block the key-share locks that inserting the episode's links
    takes on the other tickets), keeps two checks from waiting on each other."""
    asset_id = Ticket.objects.filter(pk=ticket_id).values_list("asset_id", flat=True).first()
    _lock_asset(asset_id)
    ticket = ticket_lock(ticket_id, no_key=True, related=("team", "team__lead", "asset", "category", "assignee"))
    if ticket is not None and ticket.asset_id != asset_id:
        _lock_asset(ticket.asset_id)  # moved to other equipment in between: rare, lock that too
    return ticket


def _episode_for(ticket: Ticket, *, now: datetime) -> RepeatFault | None:
    """The open episode of the ticket's asset and category; an at-risk one whose
    window had passed when this fault came is closed as lapsed first."""
    episode = (
        RepeatFault.objects.select_for_update()
        .filter(asset_id=ticket.asset_id, category_id=ticket.category_id, state__in=RepeatFault.OPEN_STATES)
        .first()
    )
    if episode is not None and episode.state == RepeatFault.State.AT_RISK and episode.at_risk_until <= ticket.created_at:
        episode.state = RepeatFault.State.LAPSED
        episode.save(update_fields=["state"])
        episode = None
    return episode


@dataclass(frozen=True)
class CheckResult:
    occurrence: int
    episode: RepeatFault | None
    escalated: bool


def _event_data(ticket: Ticket, rule: RepeatRule, n: int, episode: RepeatFault, people: Sequence[User]) -> dict[str, Any]:
    category = ticket.category
    return {
        "occurrence": n,
        "threshold": rule.threshold,
        "window_days": rule.window_days,
        "asset": ticket.asset.tag if ticket.asset else "",
        "category": category.name if category else "",
        "category_en": category.name_en if category else "",
        "repeat_fault": episode.pk,
        "to": [p.display_name for p in people],
    }


@transaction.atomic
def repeat_fault_check(*, ticket_id: int, now: datetime | None = None) -> CheckResult | None:
    """MT5: count the ticket's fault and act on it, once. Returns None when the
    ticket was already counted (or is gone)."""
    now = now or timezone.now()
    ticket = _locked_ticket(ticket_id)
    if ticket is None or ticket.repeat_occurrence is not None:
        return None
    if not is_countable(ticket):
        Ticket.objects.filter(pk=ticket.pk).update(repeat_occurrence=0)
        return CheckResult(0, None, False)
    rule = rule_for(ticket)
    counted = occurrences(ticket, rule)
    n = len(counted)
    Ticket.objects.filter(pk=ticket.pk).update(repeat_occurrence=n)
    ticket.repeat_occurrence = n
    if n < 2:
        return CheckResult(n, None, False)

    episode = _episode_for(ticket, now=now)
    window_start = counted[0][1]
    escalate = n >= rule.threshold
    if episode is None:
        episode = RepeatFault(
            asset_id=ticket.asset_id,
            category_id=ticket.category_id,
            window_days=rule.window_days,
            threshold=rule.threshold,
            occurrence_count=0,
            last_occurrence_at=ticket.created_at,
            created_at=now,
        )
    if episode.pk is None or ticket.created_at >= episode.last_occurrence_at:
        episode.window_start = window_start
        episode.at_risk_until = window_start + rule.window
        episode.last_occurrence_at = ticket.created_at
        episode.team = ticket.team or episode.team
    episode.occurrence_count = max(episode.occurrence_count, n)
    episode.lead_notified_at = episode.lead_notified_at or now
    if escalate:
        # Only forward: a late-counted earlier fault never takes an escalation back.
        episode.state = RepeatFault.State.ESCALATED
        episode.escalated_at = episode.escalated_at or now
    episode.save()
    RepeatFaultTicket.objects.bulk_create(
        [
            RepeatFaultTicket(repeat_fault=episode, ticket_id=pk, occurrence=i, added_at=now)
            for i, (pk, _at) in enumerate(counted, start=1)
        ],
        ignore_conflicts=True,
    )

    # A lead who handles the fault themselves cannot be the lead joining the engineer.
    leads = leads_for(ticket.team, about=ticket.assignee)
    tag = ticket.asset.tag if ticket.asset else ""

    def category() -> str:
        # Called inside each recipient's language.
        return ticket.category.label if ticket.category else ""

    if escalate:
        # The lead (or the chief standing in) and the handler: they visit together.
        told = {p.pk: p for p in leads}
        if ticket.assignee is not None and ticket.assignee.is_active:
            told.setdefault(ticket.assignee.pk, ticket.assignee)
        people = list(told.values())
    else:
        people = leads

    def message() -> dict[str, str]:
        # Built inside each recipient's language.
        facts = {
            "number": ticket.number,
            "title": ticket.title,
            "n": n,
            "asset": tag,
            "category": category(),
            "days": rule.window_days,
            "left": rule.threshold - n,
        }
        if escalate:
            return {
                "subject": _("Repeat fault escalated: %(asset)s %(category)s, %(n)s times in %(days)s days") % facts,
                "body": _(
                    "Ticket %(number)s \"%(title)s\" is fault number %(n)s of this kind on %(asset)s within %(days)s days. "
                    "A team lead and the engineer visit together and fix the root cause. The ticket cannot be "
                    "resolved before that joint visit, nor closed before the root cause is recorded."
                )
                % facts,
            }
        return {
            "subject": _("Repeat fault: %(asset)s %(category)s at risk, %(n)s times in %(days)s days") % facts,
            "body": ngettext(
                "Ticket %(number)s \"%(title)s\" is fault number %(n)s of this kind on %(asset)s within %(days)s days. "
                "One more escalates it: consider a joint visit now to find the root cause.",
                "Ticket %(number)s \"%(title)s\" is fault number %(n)s of this kind on %(asset)s within %(days)s days. "
                "%(left)s more escalate it: consider a joint visit now to find the root cause.",
                rule.threshold - n,
            )
            % facts,
        }

    kind = TicketEvent.Kind.REPEAT_ESCALATED if escalate else TicketEvent.Kind.REPEAT_AT_RISK
    event_record(
        ticket=ticket,
        kind=kind,
        actor=None,
        at=now,
        is_public=False,
        data=_event_data(ticket, rule, n, episode, people),
    )
    tell_staff(
        key=f"charter:{kind}:t{ticket.pk}",
        recipients=people,
        template="generic",
        context=message,
        ticket=ticket,
        link=ticket_link(ticket.pk),
    )
    if not people:
        logger.warning("charter: no team lead to tell about repeat fault %s (ticket %s)", episode.pk, ticket.pk)
    return CheckResult(n, episode, escalate)


def repeat_fault_sweep(*, now: datetime | None = None, batch: int = SWEEP_BATCH) -> int:
    """The safety net, once a minute: lapse at-risk episodes whose window passed,
    and count recent faults whose task never ran. Returns how many tickets it counted.
    Each ticket is its own transaction, so one that fails is logged and the rest go on;
    its check is tried again next minute, never in a loop."""
    now = now or timezone.now()
    RepeatFault.objects.filter(state=RepeatFault.State.AT_RISK, at_risk_until__lte=now).update(
        state=RepeatFault.State.LAPSED
    )
    pending = list(
        Ticket.objects.filter(
            repeat_occurrence__isnull=True,
            kind=Kind.FAULT,
            asset__isnull=False,
            category__isnull=False,
            created_at__gte=now - SWEEP_LOOKBACK,
            created_at__lte=now - SWEEP_GRACE,
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:batch]
    )
    done = 0
    for pk in pending:
        try:
            if repeat_fault_check(ticket_id=pk, now=now) is not None:
                done += 1
        except Exception:
            logger.exception("charter: repeat-fault check failed on ticket %s; tried again next sweep", pk)
    return done


# --- MT8: VIP work -----------------------------------------------------------------------------


@transaction.atomic
def vip_ticket_announce(*, ticket: Ticket, actor: User | None = None) -> bool:
    """Tell the team lead a VIP customer's ticket has opened (MT8). Once per ticket:
    the timeline line is the record, the outbox key the guarantee."""
    if not ticket.reporter_is_vip:
        return False
    if TicketEvent.objects.filter(ticket_id=ticket.pk, kind=TicketEvent.Kind.VIP_OPENED).exists():
        return False
    team = Team.objects.select_related("lead").filter(pk=ticket.team_id).first() if ticket.team_id else None
    leads = leads_for(team, about=ticket.assignee)
    now = timezone.now()
    event_record(
        ticket=ticket,
        kind=TicketEvent.Kind.VIP_OPENED,
        actor=actor,
        at=now,
        is_public=False,
        data={"to": [p.display_name for p in leads]},
    )
    tell_staff(
        key=f"charter:vip_opened:t{ticket.pk}",
        recipients=leads,
        template="generic",
        context=lambda: {
            "subject": _("VIP request: %(number)s %(title)s") % {"number": ticket.number, "title": ticket.title},
            "body": _(
                "%(name)s (%(department)s), a VIP customer, opened ticket %(number)s \"%(title)s\". "
                "A section chief or team lead visits, or goes along with the engineer."
            )
            % {
                "name": ticket.reporter_name,
                "department": ticket.reporter_department.name if ticket.reporter_department_id else "",
                "number": ticket.number,
                "title": ticket.title,
            },
        },
        ticket=ticket,
        link=ticket_link(ticket.pk),
    )
    if not leads:
        logger.warning("charter: no team lead to tell about VIP ticket %s", ticket.pk)
    return True


# --- Joint visit and root cause ----------------------------------------------------------------


def joint_visits(ticket: Ticket) -> tuple[bool, bool]:
    """(done, planned): whether a lead and someone else went together on a
    completed visit of the ticket (MT5), and whether such a visit is booked.
    Two queries however many visits: the visits, then who of their people leads."""
    planned_states = [VisitState.PROPOSED, VisitState.CONFIRMED, VisitState.CHECKED_IN]
    visits = list(
        Visit.objects.filter(ticket_id=ticket.pk, companion__isnull=False)
        .filter(Q(state=VisitState.COMPLETED, outcome__in=JOINT_OUTCOMES) | Q(state__in=planned_states))
        .select_related("engineer", "companion")
    )
    if not visits:
        return False, False
    leads = holders_of("tickets.lead_team", [p for v in visits for p in (v.engineer, v.companion)])

    def with_lead(v: Any) -> bool:
        return v.engineer_id in leads or v.companion_id in leads

    done = any(with_lead(v) for v in visits if v.state == VisitState.COMPLETED)
    planned = any(with_lead(v) for v in visits if v.state in planned_states)
    return done, planned


def joint_visit_done(ticket: Ticket) -> bool:
    """A completed visit on which a lead and someone else went together (MT5)."""
    return joint_visits(ticket)[0]


@dataclass(frozen=True)
class RepeatStatus:
    """What MT5 asks of one ticket, for its page and its guard."""

    occurrence: int
    rule: RepeatRule
    episode: RepeatFault | None
    joint_visit: bool
    joint_visit_planned: bool
    root_cause: RootCause | None

    @property
    def at_risk(self) -> bool:
        return 2 <= self.occurrence < self.rule.threshold

    @property
    def escalated(self) -> bool:
        return self.occurrence >= self.rule.threshold

    @property
    def is_repeat(self) -> bool:
        return self.occurrence >= 2


def repeat_status(ticket: Ticket) -> RepeatStatus | None:
    """None for a ticket that is not a repeat fault (the common case: at most one query)."""
    if ticket.repeat_occurrence is not None and ticket.repeat_occurrence < 2:
        return None
    occurrence = occurrence_of(ticket)
    if occurrence < 2:
        return None
    rule = rule_for(ticket)
    link = (
        RepeatFaultTicket.objects.filter(ticket_id=ticket.pk)
        .select_related("repeat_fault")
        .order_by("-repeat_fault__created_at", "-pk")
        .first()
    )
    escalated = occurrence >= rule.threshold
    done, planned = joint_visits(ticket) if escalated else (False, False)
    return RepeatStatus(
        occurrence=occurrence,
        rule=rule,
        episode=link.repeat_fault if link else None,
        joint_visit=done,
        joint_visit_planned=planned,
        root_cause=RootCause.objects.filter(ticket_id=ticket.pk).select_related("recorded_by").first(),
    )


def repeat_fault_guard(*, ticket: Ticket, transition: Transition, actor: User, note: str) -> None:
    """A repeat fault at the threshold is resolved only after a joint visit by a lead and
    the engineer, and closed only with its root cause recorded."""
    if transition.action not in GUARDED_ACTIONS:
        return
    status = repeat_status(ticket)
    if status is None or not status.escalated:
        return
    joint, cause = status.joint_visit, status.root_cause is not None
    if transition.action == "resolve" or cause:
        if joint:
            return
        message = _(
            "This is fault number %(n)s of this kind on this equipment within %(days)s days: "
            "it can be resolved or closed only after a team lead and the engineer have visited together. "
            "Book a visit with a team lead as companion and complete it."
        )
    elif joint:
        message = _(
            "This is fault number %(n)s of this kind on this equipment within %(days)s days: "
            "record the root cause (cause, action taken, prevention) before closing it."
        )
    else:
        message = _(
            "This is fault number %(n)s of this kind on this equipment within %(days)s days: "
            "it can be closed only after a joint visit by a team lead and the engineer, with the root cause "
            "recorded (cause, action taken, prevention)."
        )
    raise ActionRefused(message % {"n": status.occurrence, "days": status.rule.window_days})


@transaction.atomic
def root_cause_record(
    *, ticket: Ticket, actor: User, cause: str, action_taken: str, prevention: str
) -> RootCause:
    """MT5: record (or correct) why a repeat fault happened, what was done and how it is
    prevented. Recording it resolves the repeat-fault episode."""
    if not actor.has_perm("tickets.work_ticket"):
        raise ActionRefused(_("Only staff can record a root cause."))
    # NO KEY: a repeat check inserting links to this ticket (a key-share lock) is not held up.
    locked = ticket_lock(ticket.pk, no_key=True)
    if locked is None:
        raise Ticket.DoesNotExist(ticket.pk)
    ticket = locked
    if ticket.status == Status.CANCELLED:
        raise ActionRefused(_("This ticket was cancelled."))
    fields = {"cause": cause.strip(), "action_taken": action_taken.strip(), "prevention": prevention.strip()}
    labels = {
        "cause": _("Write the root cause."),
        "action_taken": _("Write the action taken."),
        "prevention": _("Write how it is prevented from coming back."),
    }
    for name, value in fields.items():
        if not value:
            raise ActionRefused(labels[name], field=name)
    if occurrence_of(ticket) < 2:
        raise ActionRefused(_("A root cause is recorded for a repeat fault; this ticket is not one."))
    now = timezone.now()
    link = (
        RepeatFaultTicket.objects.filter(ticket_id=ticket.pk)
        .select_related("repeat_fault")
        .order_by("-repeat_fault__created_at", "-pk")
        .first()
    )
    episode = link.repeat_fault if link else None
    record, created = RootCause.objects.update_or_create(
        ticket=ticket,
        defaults={**fields, "repeat_fault": episode, "recorded_by": actor, "recorded_at": now},
    )
    event_record(
        ticket=ticket,
        kind=TicketEvent.Kind.ROOT_CAUSE_RECORDED,
        actor=actor,
        at=now,
        is_public=False,
        data={"updated": not created, "cause": fields["cause"][:200]},
    )
    if episode is not None and episode.state == RepeatFault.State.ESCALATED:
        RepeatFault.objects.filter(pk=episode.pk, state=RepeatFault.State.ESCALATED).update(
            state=RepeatFault.State.RESOLVED, resolved_at=now
        )
    return record


__all__ = [
    "RepeatStatus",
    "is_countable",
    "joint_visit_done",
    "joint_visits",
    "occurrence_of",
    "repeat_fault_check",
    "repeat_fault_guard",
    "repeat_fault_sweep",
    "repeat_status",
    "root_cause_record",
    "rule_for",
    "vip_ticket_announce",
]
