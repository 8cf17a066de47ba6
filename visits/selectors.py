"""Every read of visits, scoped to the user who asks (someone else's visit is a 404)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from helpdesk.accounts.models import User
from tickets.models import Ticket
from tickets.selectors import tickets_visible_to

from .models import Visit, VisitAttachment, VisitChecklistEntry, VisitEvent, VisitOutcome, VisitState

FAULT_HISTORY_LIMIT = 5

VISIT_RELATED = (
    "ticket",
    "ticket__reporter",
    "ticket__reporter__position",
    "ticket__reporter_department",
    "ticket__asset",
    "ticket__team",
    "engineer",
    "engineer__team",
    "companion",
    "companion__team",
    "checklist_template",
)


def _staff_scope(user: User) -> Q:
    """Visits of tickets the user may see, and any visit they go on."""
    return (
        Q(ticket_id__in=tickets_visible_to(user).values("pk"))
        | Q(engineer_id=user.pk)
        | Q(companion_id=user.pk)
    )


def visit_for_staff(user: User, pk: int) -> Visit:
    if not user.is_authenticated or not user.has_perm("tickets.work_ticket"):
        raise Http404
    try:
        return Visit.objects.select_related(*VISIT_RELATED, "previous_visit").get(_staff_scope(user), pk=pk)
    except Visit.DoesNotExist:
        raise Http404 from None


def visit_for_customer(user: User, pk: int) -> Visit:
    """The customer sees the visits of the tickets they reported, nobody else's."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Visit.objects.select_related(*VISIT_RELATED, "previous_visit").get(pk=pk, ticket__reporter_id=user.pk)
    except Visit.DoesNotExist:
        raise Http404 from None


def attachment_for(user: User, pk: int) -> VisitAttachment:
    """A visit file for staff who may see the visit, or the customer whose ticket it is."""
    try:
        attachment = VisitAttachment.objects.select_related("visit", "visit__ticket").get(pk=pk)
    except VisitAttachment.DoesNotExist:
        raise Http404 from None
    visit = attachment.visit
    if visit.ticket.reporter_id == user.pk:
        return attachment
    if user.has_perm("tickets.work_ticket") and Visit.objects.filter(_staff_scope(user), pk=visit.pk).exists():
        return attachment
    raise Http404


def visits_for_ticket(ticket: Ticket) -> list[Visit]:
    return list(
        Visit.objects.filter(ticket=ticket)
        .select_related("engineer", "engineer__team", "companion")
        .order_by("-created_at", "-pk")
    )


def recent_visits_for_ticket(ticket: Ticket, *, limit: int = 5) -> list[Visit]:
    """The ticket's latest visits that are not cancelled, newest first, with their people."""
    return list(
        Visit.objects.filter(ticket_id=ticket.pk)
        .exclude(state=VisitState.CANCELLED)
        .select_related("engineer", "companion")
        .order_by("-created_at", "-pk")[:limit]
    )


def open_visit_for_ticket(visits: list[Visit]) -> Visit | None:
    return next((v for v in visits if v.is_open), None)


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def engineer_day(user: User, day: date) -> QuerySet[Visit]:
    """The visits one person goes on that day (as engineer or companion), in order
    of the agreed start; proposals not yet agreed have no place in a day yet."""
    start, end = _day_bounds(day)
    return (
        Visit.objects.filter(Q(engineer_id=user.pk) | Q(companion_id=user.pk))
        .filter(
            agreed_start__gte=start,
            agreed_start__lt=end,
            state__in=[VisitState.CONFIRMED, VisitState.CHECKED_IN, VisitState.COMPLETED],
        )
        .select_related(*VISIT_RELATED)
        .order_by("agreed_start", "pk")
    )


def awaiting_agreement(user: User) -> int:
    """How many of the person's visits still wait for a time to be agreed."""
    return Visit.objects.filter(Q(engineer_id=user.pk) | Q(companion_id=user.pk), state=VisitState.PROPOSED).count()


def fault_history(asset_ids: set[int], *, limit: int = FAULT_HISTORY_LIMIT) -> dict[int, list[Ticket]]:
    """The latest tickets on each asset, in one query however many assets there are:
    a window function numbers each asset's tickets and keeps the first few."""
    if not asset_ids:
        return {}
    rows = (
        Ticket.objects.filter(asset_id__in=asset_ids)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("asset_id")], order_by=[F("created_at").desc(), F("pk").desc()])
        )
        .filter(rank__lte=limit)
        .select_related("category")
        .order_by("asset_id", "rank")
    )
    history: dict[int, list[Ticket]] = defaultdict(list)
    for ticket in rows:
        history[ticket.asset_id].append(ticket)
    return dict(history)


def checklist_entries(visit: Visit) -> list[VisitChecklistEntry]:
    return list(visit.checklist_entries.select_related("item").order_by("item__order", "item_id"))


def visit_events(visit: Visit, *, public_only: bool) -> list[VisitEvent]:
    events = visit.events.select_related("actor")
    if public_only:
        events = events.filter(is_public=True)
    return list(events)


def visit_attachments(visit: Visit) -> list[VisitAttachment]:
    return list(visit.attachments.select_related("uploaded_by"))


def visit_new_requests(visit: Visit) -> list[Ticket]:
    return list(visit.new_requests.order_by("pk"))


def next_visits(visit: Visit) -> list[Visit]:
    return list(visit.next_visits.order_by("pk"))


# --- Measures (MT2) ---------------------------------------------------------------------


@dataclass(frozen=True)
class FirstVisitResolution:
    tickets: int
    resolved_first_time: int

    @property
    def rate(self) -> float | None:
        return self.resolved_first_time / self.tickets if self.tickets else None


def first_visit_resolution(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    team_id: int | None = None,
    engineer_id: int | None = None,
) -> FirstVisitResolution:
    """MT2: of the tickets whose first visit took place in the period, the share
    that visit resolved. A visit that found the customer absent is not a visit
    the engineer could resolve anything on, so it does not count as the first.
    Computed in SQL: one aggregate over a correlated subquery."""
    attended = Visit.objects.filter(ticket_id=OuterRef("pk"), state=VisitState.COMPLETED).exclude(
        outcome=VisitOutcome.CUSTOMER_ABSENT
    ).order_by("checked_out_at", "pk")
    tickets = Ticket.objects.annotate(
        first_outcome=Subquery(attended.values("outcome")[:1]),
        first_at=Subquery(attended.values("checked_out_at")[:1]),
        first_engineer=Subquery(attended.values("engineer_id")[:1]),
    ).filter(first_outcome__isnull=False)
    if since is not None:
        tickets = tickets.filter(first_at__gte=since)
    if until is not None:
        tickets = tickets.filter(first_at__lt=until)
    if team_id is not None:
        tickets = tickets.filter(team_id=team_id)
    if engineer_id is not None:
        tickets = tickets.filter(first_engineer=engineer_id)
    totals = tickets.aggregate(
        total=Count("pk"), resolved=Count("pk", filter=Q(first_outcome=VisitOutcome.RESOLVED))
    )
    return FirstVisitResolution(tickets=totals["total"] or 0, resolved_first_time=totals["resolved"] or 0)
