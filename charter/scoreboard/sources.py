"""Where each scoreboard figure comes from: one `Source` per kind of raw row.

A source says which rows count (its queryset), on which day (`moment`, a
local Seoul day), for whom (`team`, `engineer`) and which of them kept the
promise (`ok`). The daily rollup counts these rows per day, team and engineer
(`charter.scoreboard.rollup`), and the list behind a figure shows the very same
rows (`charter.scoreboard.lists`), so a figure and its list can never disagree
about what was counted.

Rows count on the day their outcome is settled: work when it was finished, a
callback or a report when it was due, a delay notice when it was filed. A row
whose moment is still to come is not counted yet, so a finished day's figures
only change when late data arrives (an answer recorded afterwards, a record
corrected), which the nightly recompute picks up.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from charter.models import DelayNotice, RepeatFault
from charter.repeats import JOINT_OUTCOMES
from corrections.models import Correction
from desk.models import CallbackMemo, Consent, PhoneCall, WalkIn
from feedback.models import Feedback, TrainingAssignment
from helpdesk.accounts.models import User
from largework.models import CompletionReport, Decision, PlanDecision, PlanWindow, WindowState, WorkPlan
from standards.models import StandardVersion
from surveys.models import Survey
from tickets.models import Kind, Ticket, TicketEvent
from visits.models import Visit, VisitOutcome, VisitState

LEAD_PERMISSION = "lead_team"


def is_lead(user_field: str) -> Exists:
    """SQL for `user.has_perm("tickets.lead_team")` of the user in `user_field`:
    through a group, a direct permission, or a superuser."""
    return Exists(
        User.objects.filter(pk=OuterRef(user_field), is_active=True).filter(
            Q(groups__permissions__codename=LEAD_PERMISSION, groups__permissions__content_type__app_label="tickets")
            | Q(user_permissions__codename=LEAD_PERMISSION, user_permissions__content_type__app_label="tickets")
            | Q(is_superuser=True)
        )
    )


def _flag(condition: Q | Exists) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


@dataclass(frozen=True)
class Source:
    """A kind of raw row the scoreboard counts."""

    name: str
    rows: Callable[[StandardVersion | None], QuerySet[Any]]  # annotated with `ok` when there is one
    moment: str  # the field (or annotation) whose local day the row counts on
    team: str
    engineer: str | None  # None: counted per team only
    total: str  # the ScoreDay counter of all rows
    hits: str | None  # the counter of rows with ok=True
    related: tuple[str, ...] = ()  # select_related for the list behind the figure

    def queryset(self, standard: StandardVersion | None) -> QuerySet[Any]:
        return self.rows(standard)


# --- The sources -----------------------------------------------------------------------------


def _mt1_done(standard: StandardVersion | None) -> QuerySet[Ticket]:
    # Finished by the deadline in force when it was finished: the first one, or
    # the date announced in a delay notice filed in time. A notice filed after
    # the deadline had passed does not move the date (charter.services.notices),
    # and the ticket counts as late however soon it was finished afterwards.
    late_notice = DelayNotice.objects.filter(ticket_id=OuterRef("pk"), was_late=True)
    return Ticket.objects.filter(resolved_at__isnull=False, resolve_by__isnull=False).annotate(
        ok=_flag(Q(resolved_at__lte=F("resolve_by")) & ~Exists(late_notice))
    )


def _mt1_notices(standard: StandardVersion | None) -> QuerySet[DelayNotice]:
    return DelayNotice.objects.annotate(ok=_flag(Q(was_late=False)))


def _ph1_calls(standard: StandardVersion | None) -> QuerySet[PhoneCall]:
    # Only calls whose rings or seconds were recorded can be judged.
    return PhoneCall.objects.filter(Q(rings__isnull=False) | Q(seconds_to_answer__isnull=False)).annotate(
        ok=_flag(Q(answered_in_time=True))
    )


def _ph3_callbacks(standard: StandardVersion | None) -> QuerySet[CallbackMemo]:
    return CallbackMemo.objects.annotate(ok=_flag(Q(closed_at__isnull=False, closed_at__lte=F("due_at"))))


def _ov4_walk_ins(standard: StandardVersion | None) -> QuerySet[WalkIn]:
    return WalkIn.objects.filter(served_at__isnull=False, wait_seconds__isnull=False)


def _tolerance(standard: StandardVersion | None) -> int:
    return standard.visit_tolerance_minutes if standard is not None else 10


def _sv1_visits(standard: StandardVersion | None) -> QuerySet[Visit]:
    return Visit.objects.filter(checked_in_at__isnull=False, punctuality_minutes__isnull=False).annotate(
        ok=_flag(Q(punctuality_minutes__lte=_tolerance(standard)))
    )


def _sv4_unannounced(standard: StandardVersion | None) -> QuerySet[Visit]:
    return Visit.objects.filter(late_without_notice=True, agreed_start__isnull=False)


ATTENDED = Q(state=VisitState.COMPLETED) & ~Q(outcome=VisitOutcome.CUSTOMER_ABSENT)


def _mt2_first_visits(standard: StandardVersion | None) -> QuerySet[Visit]:
    # The ticket's first visit the customer was there for (as in
    # visits.selectors.first_visit_resolution): none attended before it.
    earlier = Visit.objects.filter(ATTENDED, ticket_id=OuterRef("ticket_id")).filter(
        Q(checked_out_at__lt=OuterRef("checked_out_at")) | Q(checked_out_at=OuterRef("checked_out_at"), pk__lt=OuterRef("pk"))
    )
    return (
        Visit.objects.filter(ATTENDED, checked_out_at__isnull=False)
        .filter(~Exists(earlier))
        .annotate(ok=_flag(Q(outcome=VisitOutcome.RESOLVED)))
    )


def _mt4_repairs(standard: StandardVersion | None) -> QuerySet[Ticket]:
    # A repair is a fault whose work was started (the "start work" step after
    # the diagnosis); it kept MT4 when the customer's consent was recorded no
    # later than that first start.
    started = TicketEvent.objects.filter(
        ticket_id=OuterRef("pk"), kind=TicketEvent.Kind.STATUS_CHANGED, data__action="start_work"
    ).order_by("created_at", "pk")
    consent_before = Consent.objects.filter(ticket_id=OuterRef("pk"), at__lte=OuterRef("work_started_at"))
    return (
        Ticket.objects.filter(kind=Kind.FAULT, resolved_at__isnull=False)
        .annotate(work_started_at=Subquery(started.values("created_at")[:1]))
        .filter(work_started_at__isnull=False)
        .annotate(ok=_flag(Exists(consent_before)))
    )


def _mt5_decided(standard: StandardVersion | None) -> QuerySet[RepeatFault]:
    # Settled when it reached the threshold (escalated: not stopped) or when its
    # window passed without that (stopped in time).
    return RepeatFault.objects.annotate(
        decided_at=Coalesce("escalated_at", "at_risk_until"), ok=_flag(Q(escalated_at__isnull=True))
    )


def _joint_visit(ticket_ids: Any) -> Exists:
    # As the MT5 guard reads it (charter.repeats.joint_visits): a lead and someone
    # else on site together, who met the customer (a visit nobody was met at is none).
    return Exists(
        Visit.objects.filter(
            ticket_id__in=ticket_ids, state=VisitState.COMPLETED, outcome__in=JOINT_OUTCOMES, companion__isnull=False
        ).filter(Q(is_lead("engineer_id")) | Q(is_lead("companion_id")))
    )


def _mt5_resolved(standard: StandardVersion | None) -> QuerySet[RepeatFault]:
    from charter.models import RepeatFaultTicket

    tickets = RepeatFaultTicket.objects.filter(repeat_fault_id=OuterRef(OuterRef("pk"))).values("ticket_id")
    return RepeatFault.objects.filter(escalated_at__isnull=False, resolved_at__isnull=False).annotate(
        ok=_flag(_joint_visit(tickets))
    )


def _mt8_vip_visits(standard: StandardVersion | None) -> QuerySet[Visit]:
    return Visit.objects.filter(
        state=VisitState.COMPLETED, checked_out_at__isnull=False, ticket__reporter_is_vip=True
    ).annotate(ok=_flag(Q(is_lead("engineer_id")) | Q(is_lead("companion_id"))))


def _bs1_support(standard: StandardVersion | None) -> QuerySet[Ticket]:
    return Ticket.objects.filter(kind=Kind.SUPPORT, resolved_at__isnull=False, requested_by__isnull=False).annotate(
        ok=_flag(Q(resolved_at__lte=F("requested_by")))
    )


def _bs2_windows(standard: StandardVersion | None) -> QuerySet[PlanWindow]:
    approved = PlanDecision.objects.filter(
        version_id=OuterRef("version_id"), decision=Decision.APPROVED, decided_at__lte=OuterRef("starts_at")
    )
    return PlanWindow.objects.filter(state=WindowState.DONE).annotate(ok=_flag(Exists(approved)))


def _bs4_reports(standard: StandardVersion | None) -> QuerySet[WorkPlan]:
    on_time = CompletionReport.objects.filter(plan_id=OuterRef("pk"), submitted_at__lte=OuterRef("report_due_at"))
    return WorkPlan.objects.filter(report_due_at__isnull=False).annotate(ok=_flag(Exists(on_time)))


def _cr1_opened(standard: StandardVersion | None) -> QuerySet[Correction]:
    return Correction.objects.all()


def _cr1_closed(standard: StandardVersion | None) -> QuerySet[Correction]:
    return Correction.objects.filter(closed_at__isnull=False)


def _cr3_trainings(standard: StandardVersion | None) -> QuerySet[TrainingAssignment]:
    return TrainingAssignment.objects.annotate(
        ok=_flag(Q(completed_at__isnull=False, completed_at__lte=F("due_at")))
    )


def _im2_surveys(standard: StandardVersion | None) -> QuerySet[Survey]:
    return Survey.objects.annotate(ok=_flag(Q(answered_at__isnull=False)))


def _cp1_feedback(standard: StandardVersion | None) -> QuerySet[Feedback]:
    return Feedback.objects.annotate(ok=_flag(Q(answered_at__isnull=False, answered_at__lte=F("due_at"))))


TICKET_RELATED = ("team", "assignee", "reporter_department")
VISIT_RELATED = ("ticket", "ticket__team", "engineer", "companion")

SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source("mt1_done", _mt1_done, "resolved_at", "team_id", "assignee_id", "mt1_done", "mt1_on_time", TICKET_RELATED),
        Source(
            "mt1_notices", _mt1_notices, "filed_at", "ticket__team_id", "filed_by_id", "mt1_notices", "mt1_notices_in_advance",
            ("ticket", "ticket__team", "filed_by"),
        ),
        Source("ph1_calls", _ph1_calls, "received_at", "greeting_team_id", "agent_id", "ph1_calls", "ph1_in_time",
               ("greeting_team", "agent", "caller_department")),
        Source("ph3_callbacks", _ph3_callbacks, "due_at", "for_handler__team_id", "for_handler_id", "ph3_due", "ph3_on_time",
               ("for_handler", "for_handler__team", "department")),
        Source("ov4_walk_ins", _ov4_walk_ins, "served_at", "served_by__team_id", "served_by_id", "ov4_served", None,
               ("served_by", "served_by__team", "department")),
        Source("sv1_visits", _sv1_visits, "checked_in_at", "ticket__team_id", "engineer_id", "sv1_started", "sv1_on_time", VISIT_RELATED),
        Source("sv4_unannounced", _sv4_unannounced, "agreed_start", "ticket__team_id", "engineer_id", "sv4_unannounced", None,
               VISIT_RELATED),
        Source("mt2_first_visits", _mt2_first_visits, "checked_out_at", "ticket__team_id", "engineer_id", "mt2_first", "mt2_fixed",
               VISIT_RELATED),
        Source("mt4_repairs", _mt4_repairs, "resolved_at", "team_id", "assignee_id", "mt4_repairs", "mt4_consented", TICKET_RELATED),
        Source("mt5_decided", _mt5_decided, "decided_at", "team_id", None, "mt5_decided", "mt5_stopped", ("asset", "category", "team")),
        Source("mt5_resolved", _mt5_resolved, "resolved_at", "team_id", None, "mt5_resolved", "mt5_joint", ("asset", "category", "team")),
        Source("mt8_vip_visits", _mt8_vip_visits, "checked_out_at", "ticket__team_id", "engineer_id", "mt8_visits", "mt8_with_lead",
               VISIT_RELATED),
        Source("bs1_support", _bs1_support, "resolved_at", "team_id", "assignee_id", "bs1_done", "bs1_on_time", TICKET_RELATED),
        Source("bs2_windows", _bs2_windows, "starts_at", "version__plan__ticket__team_id", "version__plan__owner_id", "bs2_windows",
               "bs2_approved", ("version__plan__ticket", "version__plan__ticket__team", "version__plan__owner")),
        Source("bs4_reports", _bs4_reports, "report_due_at", "ticket__team_id", "owner_id", "bs4_due", "bs4_on_time",
               ("ticket", "ticket__team", "owner")),
        Source("cr1_opened", _cr1_opened, "opened_at", "team_id", "engineer_id", "cr1_opened", None, ("ticket", "team", "engineer")),
        Source("cr1_closed", _cr1_closed, "closed_at", "team_id", "engineer_id", "cr1_closed", None, ("ticket", "team", "engineer")),
        Source("cr3_trainings", _cr3_trainings, "due_at", "team_id", "employee_id", "cr3_due", "cr3_on_time", ("team", "employee")),
        Source("im2_surveys", _im2_surveys, "sent_at", "team_id", "handler_id", "im2_sent", "im2_answered", ("ticket", "team", "handler")),
        Source("cp1_feedback", _cp1_feedback, "due_at", "team_id", "handler_id", "cp1_due", "cp1_on_time", ("team", "handler")),
    )
}
