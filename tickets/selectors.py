"""Every read of tickets, scoped to the user who asks."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.http import Http404
from django.utils import timezone

from helpdesk.accounts.models import Team, User
from helpdesk.core.compiled_query import CompiledQuery
from helpdesk.core.input_bounds import id_param
from helpdesk.core.reference_names import reference_rows

from .lifecycle import Status
from .models import OPEN_Q, Attachment, Ticket, TicketEvent
from .presenters import EventRow

LIST_RELATED = ("reporter_department", "team", "assignee", "category", "asset")


# A team's lead and department, for whose tickets staff see (staff_team_ids).
TEAM_SCOPE_FIELDS = ("id", "lead", "department")


def staff_team_ids(user: User) -> set[int]:
    """The teams whose tickets a member of staff sees: their own and those they lead,
    and for section chiefs every maintenance team of their department.

    Read from the process's copy of the teams (helpdesk.core.reference_names),
    which any save of a team refreshes: this is asked on every queue page and
    API list, and was a query and half a millisecond of ORM each time."""
    cached = user.__dict__.get("_staff_team_ids")
    if cached is not None:
        return cached
    teams = reference_rows(Team, TEAM_SCOPE_FIELDS, needed={user.team_id} - {None})
    ids: set[int] = {pk for pk, team in teams.items() if team.lead_id == user.pk}
    if user.team_id:
        ids.add(user.team_id)
    if user.has_perm("tickets.view_department_tickets"):
        # A section chief usually sits in the department, not in one of its teams.
        own_team = teams.get(user.team_id) if user.team_id else None
        department_id = own_team.department_id if own_team is not None else user.department_id
        if department_id:
            ids |= {pk for pk, team in teams.items() if team.department_id == department_id}
    # A queue page asks several times per request; the answer cannot change within it.
    user.__dict__["_staff_team_ids"] = ids
    return ids


@dataclass(frozen=True)
class Viewer:
    """Who asks, as the ticket scopes read them: their id, what their role lets
    them see, and the teams whose work they see (staff_team_ids). Plain values,
    so the scopes below can also be built with placeholders and compiled once
    (the API's lists: api.ticket_rows)."""

    pk: int
    signed_in: bool = True
    sees_all: bool = False
    works: bool = False
    sees_teams: bool = False
    team_ids: tuple[int, ...] = ()

    @property
    def shape(self) -> tuple[bool, bool, bool, bool, int]:
        """Everything but the ids: viewers of one shape share their scopes' SQL."""
        return (self.signed_in, self.sees_all, self.works, self.sees_teams, len(self.team_ids))


def viewer_of(user: User) -> Viewer:
    if not user.is_authenticated:
        return Viewer(pk=0, signed_in=False)
    return Viewer(
        pk=user.pk,
        sees_all=user.has_perm("tickets.view_all_tickets"),
        works=user.has_perm("tickets.work_ticket"),
        sees_teams=user.has_perm("tickets.view_team_tickets"),
        team_ids=tuple(sorted(staff_team_ids(user))),
    )


def visible_tickets(viewer: Viewer) -> QuerySet[Ticket]:
    """tickets_visible_to, for a Viewer."""
    if not viewer.signed_in:
        return Ticket.objects.none()
    if viewer.sees_all:
        return Ticket.objects.all()
    scope = Q(reporter_id=viewer.pk)
    if viewer.works:
        scope |= Q(assignee_id=viewer.pk)
    if viewer.sees_teams and viewer.team_ids:
        scope |= Q(team_id__in=viewer.team_ids)
    return Ticket.objects.filter(scope)


def tickets_visible_to(user: User) -> QuerySet[Ticket]:
    """Every ticket `user` may open: all (section-wide roles), or those they
    reported, handle, or that belong to the teams whose work they see."""
    return visible_tickets(viewer_of(user))


# A ticket page joins only the small tables it shows; the people it names come
# in one more query (_people_attach). Joined in, the four people and their
# position and team made an eleven-table query that PostgreSQL spent 3–7 ms
# planning at 1,000,000 tickets (it executed in 0.5 ms); two small queries
# plan in well under a millisecond together.
_DETAIL_RELATED = ("reporter_department", "team", "category", "asset")


def _people_attach(ticket: Ticket) -> Ticket:
    """Load the ticket's reporter, handler, taker and asset owner in one query."""
    asset = ticket.asset
    ids = {ticket.reporter_id, ticket.assignee_id, ticket.created_by_id, asset.owner_id if asset else None} - {None}
    people = User.objects.select_related("position", "team").in_bulk(ids) if ids else {}
    ticket.reporter = people.get(ticket.reporter_id)
    ticket.assignee = people.get(ticket.assignee_id)
    ticket.created_by = people.get(ticket.created_by_id)
    if asset is not None:
        asset.owner = people.get(asset.owner_id)
    return ticket


def customer_ticket_scope(user: User | Viewer) -> QuerySet[Ticket]:
    """The tickets a person's portal pages open: those they reported."""
    return Ticket.objects.filter(reporter_id=user.pk)


def staff_ticket_scope(user: User | Viewer) -> QuerySet[Ticket]:
    """The tickets the staff ticket page opens: for those who work tickets, all they may see."""
    viewer = user if isinstance(user, Viewer) else viewer_of(user)
    if not viewer.works:
        return Ticket.objects.none()
    return visible_tickets(viewer)


def ticket_for_customer(user: User, pk: int) -> Ticket:
    """The portal shows a person only the tickets they reported; anything else is a 404."""
    try:
        ticket = customer_ticket_scope(user).select_related(*_DETAIL_RELATED).get(pk=pk)
    except Ticket.DoesNotExist:
        raise Http404 from None
    return _people_attach(ticket)


def ticket_for_staff(user: User, pk: int) -> Ticket:
    try:
        ticket = staff_ticket_scope(user).select_related(*_DETAIL_RELATED).get(pk=pk)
    except Ticket.DoesNotExist:
        raise Http404 from None
    return _people_attach(ticket)


def timeline(ticket: Ticket | int, *, public_only: bool) -> QuerySet[TicketEvent]:
    """A ticket's events, oldest first; `ticket` may be given by its id."""
    # The actor is shown by name only: their phone numbers are not read (each
    # one would be parsed into a PhoneNumber per event).
    ticket_pk = ticket if isinstance(ticket, int) else ticket.pk
    events = (
        TicketEvent.objects.filter(ticket_id=ticket_pk)
        .select_related("actor", "comment", "attachment")
        .defer("actor__phone", "actor__office_phone", "actor__password")
    )
    if public_only:
        events = events.filter(is_public=True)
    return events


# What a timeline row shows when it is read as values() (the API's detail):
# the event's own columns, its actor's name and its comment's text.
TIMELINE_ROW_COLUMNS = (
    "id", "kind", "data", "created_at", "is_public", "actor_id",
    "actor__first_name", "actor__last_name", "actor__username", "comment_id", "comment__body",
)


def _timeline_rows_query(ticket_pk: int, *, public_only: bool) -> QuerySet[TicketEvent]:
    return timeline(ticket_pk, public_only=public_only).select_related(None).values(*TIMELINE_ROW_COLUMNS)


# Compiled once per process (helpdesk.core.compiled_query): building and
# compiling the three-table query cost more than PostgreSQL spent running it.
_TIMELINE_ROWS = {
    public_only: CompiledQuery(lambda pk, public_only=public_only: _timeline_rows_query(pk, public_only=public_only), 1)
    for public_only in (False, True)
}


def timeline_rows(ticket_pk: int, *, public_only: bool) -> list[dict[str, Any]]:
    """`timeline`'s events as values() rows, each with "event": its kind and
    data as tickets.presenters.event_text reads them (an EventRow).
    Half the time of loading events with their actor, comment and file as
    model instances (a long timeline was most of the API detail's time)."""
    rows = _TIMELINE_ROWS[public_only].rows(ticket_pk)
    for row in rows:
        row["event"] = EventRow(row["kind"], row["data"])
    return rows


def _any_attachment_query(ticket_pk: int) -> QuerySet[Attachment]:
    return Attachment.objects.filter(ticket_id=ticket_pk).order_by().values("pk")[:1]


# Most tickets have no file: asked first, compiled once per process
# (helpdesk.core.compiled_query), the list read only when there is one.
_ANY_ATTACHMENT = CompiledQuery(_any_attachment_query, 1)


def attachments_for(ticket: Ticket | int, *, public_only: bool, any_known: bool | None = None) -> QuerySet[Attachment]:
    """A ticket's files; `ticket` may be given by its id. `any_known`: whether
    it has any (`has_attachments`, read with the ticket), when already asked."""
    ticket_pk = ticket if isinstance(ticket, int) else ticket.pk
    if not (any_known if any_known is not None else _ANY_ATTACHMENT.rows(ticket_pk)):
        return Attachment.objects.none()
    files = Attachment.objects.filter(ticket_id=ticket_pk)
    if public_only:  # the customer's side never names who uploaded
        return files.filter(is_public=True)
    # Staff see the uploader by name only (no phone numbers parsed).
    return files.select_related("uploaded_by").defer(
        "uploaded_by__phone", "uploaded_by__office_phone", "uploaded_by__password"
    )


def has_attachments() -> Exists:
    """Whether a ticket has any file, to read in the ticket's own query (attachments_for's `any_known`)."""
    return Exists(Attachment.objects.filter(ticket_id=OuterRef("pk")))


def _search(qs: QuerySet[Ticket], q: str) -> QuerySet[Ticket]:
    q = q.strip()
    if not q:
        return qs
    # "#123" or "123" is a ticket number; id_param reads ASCII digits only
    # ("²".isdigit() is true, int("²") fails) within an integer column.
    number = id_param(q.lstrip("#"))
    if number is not None:
        return qs.filter(pk=number)
    return qs.filter(
        Q(title__icontains=q) | Q(reporter_name__icontains=q) | Q(asset__tag__iexact=q)
    )


def customer_tickets(user: User | Viewer, *, q: str = "", status: str = "") -> QuerySet[Ticket]:
    """The portal's list: the tickets `user` reported, newest first (only their id is read)."""
    qs = Ticket.objects.filter(reporter_id=user.pk).select_related("team", "assignee", "category", "asset")
    if status == "open":
        qs = qs.filter(OPEN_Q)
    elif status in Status.values:
        qs = qs.filter(status=status)
    return _search(qs, q).order_by("-created_at", "-pk")


class Queue:
    MINE = "mine"
    TEAM = "team"
    UNASSIGNED = "unassigned"
    ALL = "all"


@dataclass
class QueueFilters:
    queue: str = Queue.MINE
    status: str = ""
    kind: str = ""
    priority: str = ""
    team: int | None = None
    assignee: int | None = None
    department: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    extra: dict = field(default_factory=dict)


def _day_start(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


def _queue_scope(viewer: Viewer, queue: str) -> QuerySet[Ticket]:
    """The tickets of one tab, scoped to the asker. Where the tab's own filter
    already implies that the asker may see the row (their own work; their teams'
    work for someone who sees their teams'), the visibility OR is left out: it
    names columns the tab's index does not hold, so with it PostgreSQL reads
    every matching row from the table (at 1,000,000 tickets, 210 ms to count a
    lead's 14,000 open tickets), and without it counts from the index alone."""
    if queue == Queue.MINE and viewer.works:
        return Ticket.objects.filter(assignee_id=viewer.pk)
    if queue == Queue.TEAM and viewer.sees_teams:
        return Ticket.objects.filter(team_id__in=viewer.team_ids)
    qs = visible_tickets(viewer)
    if queue == Queue.MINE:
        return qs.filter(assignee_id=viewer.pk)
    if queue == Queue.TEAM:
        return qs.filter(team_id__in=viewer.team_ids)
    return qs


def staff_queue(user: User, filters: QueueFilters) -> QuerySet[Ticket]:
    """The work queue's tickets: one tab, narrowed by the filters, in its order."""
    return viewer_queue(viewer_of(user), filters)


def viewer_queue(viewer: Viewer, filters: QueueFilters) -> QuerySet[Ticket]:
    """staff_queue, for a Viewer."""
    qs = _queue_scope(viewer, filters.queue)
    if filters.queue == Queue.UNASSIGNED:
        qs = qs.filter(assignee__isnull=True)
    if filters.status == "open":
        qs = qs.filter(OPEN_Q)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.priority:
        qs = qs.filter(priority=filters.priority)
    if filters.team:
        qs = qs.filter(team_id=filters.team)
    if filters.assignee:
        qs = qs.filter(assignee_id=filters.assignee)
    if filters.department:
        qs = qs.filter(reporter_department_id=filters.department)
    if filters.date_from:
        qs = qs.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(created_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    qs = _search(qs, filters.q).select_related(*LIST_RELATED)
    if filters.status == "open":
        # P3, fair handling: open work comes by deadline, then by arrival.
        return qs.order_by(F("resolve_by").asc(nulls_last=True), "created_at", "pk")
    return qs.order_by("-created_at", "-pk")


# What a row of the work queue page shows (tickets.templatetags.queue_tags); a
# value read that is not here would cost a query per row.
QUEUE_ROW_COLUMNS = (
    "id", "title", "kind", "channel", "status", "priority", "reporter_name", "reporter_department_id",
    "reporter_is_vip", "team_id", "assignee_id", "created_at", "resolve_by", "paused_at", "escalation_level",
    "reporter_department__name", "team__name",
    "assignee__username", "assignee__first_name", "assignee__last_name",
)


def queue_page_rows(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """`staff_queue`'s tickets with only what the page's rows show: three joins,
    not LIST_RELATED's five, and no description, JSON or phone numbers. At
    1,000,000 tickets PostgreSQL planned the five-table join in 3–5 ms on every
    view (for 0.5 ms of execution); this one plans in 0.5 ms, and the same index
    scan on the list's order does the work."""
    return qs.select_related(None).select_related("reporter_department", "team", "assignee").only(*QUEUE_ROW_COLUMNS)


PICKER_LIMIT = 40


def people_for_picker(*, q: str = "", team_id: int | None = None, limit: int = PICKER_LIMIT) -> list[User]:
    """Staff for a person picker (tickets.forms.people): with no name typed, the
    people of `team_id`; with a name, anyone whose name, username or employee
    number holds it, that team's people first. One query, at most `limit` rows,
    only the columns an option shows (no phone numbers to parse)."""
    qs = (
        User.objects.filter(is_active=True, groups__permissions__codename="work_ticket")
        .select_related("team")
        .only("id", "username", "first_name", "last_name", "team_id", "team__name")
        .distinct()
    )
    q = " ".join(q.split())[:50]
    if q:
        compact = q.replace(" ", "")
        qs = qs.annotate(full_name=Concat("last_name", "first_name")).filter(
            Q(full_name__icontains=compact) | Q(username__icontains=q) | Q(employee_no__icontains=q)
        )
        first_team = Case(When(team_id=team_id, then=Value(0)), default=Value(1)) if team_id else Value(0)
        qs = qs.annotate(first_team=first_team).order_by("first_team", "team__name", "last_name", "first_name")
    elif team_id:
        qs = qs.filter(team_id=team_id).order_by("last_name", "first_name")
    else:
        return []
    return list(qs[:limit])


def assignable_staff(user: User) -> QuerySet[User]:
    """People a ticket can be given to: active staff, those of the asker's teams first."""
    return (
        User.objects.filter(is_active=True, groups__permissions__codename="work_ticket")
        .select_related("team")
        .distinct()
        .order_by("team__name", "last_name", "first_name")
    )
