"""The reads of the engineer's day: a fixed number of queries however many cards.

- `day_visits`: the person's visits to go on now (checked in, from any day) and
  today (confirmed), the one on site first, then by the agreed start: one query,
  with each visit's unmarked checklist items counted in it.
- `open_work`: the open tickets assigned to the person, by committed date
  (P3: deadline, then arrival; the partial index `ticket_open_deadline_idx`),
  with the facts their next step needs (`with_step_facts`) in the same query.
- `ticket_step_facts`: the same facts for one ticket, and the viewer's visit on
  it, in one query (the staff ticket page).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from desk.models import Consent, Diagnosis, IdentityCheck
from helpdesk.accounts.models import User
from helpdesk.core.compiled_query import CompiledQuery
from largework.models import PlanState, WorkPlan
from tickets.lifecycle import OPEN_VALUES
from tickets.models import Ticket
from visits.models import Visit, VisitChecklistEntry, VisitState
from visits.selectors import VISIT_RELATED

from .steps import WorkFacts

# A phone screen of visits; more than this in one day is a planning problem, not a list.
VISITS_SHOWN = 10
WORK_RELATED = ("reporter_department", "category", "asset")


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def _open_items(visit_ref: str) -> Coalesce:
    """How many checklist items of the visit `visit_ref` names are still unmarked."""
    unmarked = (
        VisitChecklistEntry.objects.filter(visit_id=OuterRef(visit_ref), mark="")
        .order_by()
        .values("visit_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(unmarked, output_field=IntegerField()), Value(0))


def day_visits(user: User, day: date) -> list[Visit]:
    """The visits the person goes on (as engineer or companion) that are still to
    finish: any they are on site for now, then today's agreed ones by start."""
    start, end = _day_bounds(day)
    return list(
        Visit.objects.filter(Q(engineer_id=user.pk) | Q(companion_id=user.pk))
        .filter(
            Q(state=VisitState.CHECKED_IN)
            | Q(state=VisitState.CONFIRMED, agreed_start__gte=start, agreed_start__lt=end)
        )
        .select_related(*VISIT_RELATED)
        .annotate(
            open_items=_open_items("pk"),
            on_site_first=Case(When(state=VisitState.CHECKED_IN, then=Value(0)), default=Value(1)),
        )
        .order_by("on_site_first", "agreed_start", "pk")[:VISITS_SHOWN]
    )


def with_step_facts(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """Annotate what the next step depends on (MT3 identity, MT4 diagnosis and
    consent to the latest one, BS2 approved plan): subqueries, no extra query."""
    latest_diagnosis = Diagnosis.objects.filter(ticket_id=OuterRef("pk")).order_by("-at", "-pk").values("pk")[:1]
    return tickets.annotate(
        identity_confirmed=Exists(IdentityCheck.objects.filter(ticket_id=OuterRef("pk"))),
        latest_diagnosis_id=Subquery(latest_diagnosis),
    ).annotate(
        diagnosed=Exists(Diagnosis.objects.filter(ticket_id=OuterRef("pk"))),
        consented=Exists(Consent.objects.filter(diagnosis_id=OuterRef("latest_diagnosis_id"))),
        plan_approved=Exists(WorkPlan.objects.filter(ticket_id=OuterRef("pk"), state=PlanState.APPROVED)),
    )


def step_facts(ticket: Ticket) -> WorkFacts:
    """The facts `with_step_facts` annotated on a ticket."""
    return WorkFacts(
        identity_confirmed=bool(getattr(ticket, "identity_confirmed", False)),
        diagnosed=bool(getattr(ticket, "diagnosed", False)),
        consented=bool(getattr(ticket, "consented", False)),
        plan_approved=bool(getattr(ticket, "plan_approved", False)),
    )


def open_work(user: User) -> QuerySet[Ticket]:
    """The person's open tickets, the nearest committed date first; work without
    a deadline after, oldest first."""
    return with_step_facts(
        Ticket.objects.filter(assignee_id=user.pk, status__in=OPEN_VALUES).select_related(*WORK_RELATED)
    ).order_by("resolve_by", "created_at", "pk")


def _step_facts_query(ticket_pk: int, user_pk: int) -> QuerySet[Ticket]:
    mine = (
        Visit.objects.filter(ticket_id=OuterRef("pk"), state__in=[VisitState.CONFIRMED, VisitState.CHECKED_IN])
        .filter(Q(engineer_id=user_pk) | Q(companion_id=user_pk))
        .annotate(on_site_first=Case(When(state=VisitState.CHECKED_IN, then=Value(0)), default=Value(1)))
        .order_by("on_site_first", "agreed_start", "pk")
    )
    return (
        with_step_facts(Ticket.objects.filter(pk=ticket_pk))
        .annotate(visit_id=Subquery(mine.values("pk")[:1]), visit_state=Subquery(mine.values("state")[:1]))
        .annotate(visit_open_items=_open_items("visit_id"))
        .values("identity_confirmed", "diagnosed", "consented", "plan_approved", "visit_id", "visit_state", "visit_open_items")
        .order_by()[:1]
    )


# Compiled once per process (helpdesk.core.compiled_query): its seven
# subqueries took ~5 ms of CPU to compile on every view of a ticket page.
_STEP_FACTS = CompiledQuery(_step_facts_query, 2)


def ticket_step_facts(ticket: Ticket, user: User) -> tuple[WorkFacts, Visit | None]:
    """For the staff ticket page: the ticket's facts, and the viewer's visit on it
    that is under way (checked in) or agreed (the earliest), in one query."""
    found = _STEP_FACTS.rows(ticket.pk, user.pk)
    row = found[0] if found else None
    if row is None:
        return WorkFacts(), None
    facts = WorkFacts(  # bool(): SQLite answers EXISTS with 1 or 0
        identity_confirmed=bool(row["identity_confirmed"]),
        diagnosed=bool(row["diagnosed"]),
        consented=bool(row["consented"]),
        plan_approved=bool(row["plan_approved"]),
    )
    visit = None
    if row["visit_id"] is not None:
        # Only what the step needs: which visit, its state and its open items.
        visit = Visit(pk=row["visit_id"], ticket_id=ticket.pk, state=row["visit_state"])
        visit.open_items = row["visit_open_items"]  # type: ignore[attr-defined]
    return facts, visit
