"""The ticket list's and the ticket detail's rows, read through the pages' own
scopes (tickets.selectors: the work queue, the portal's list, the ticket
pages') and compiled once per shape (helpdesk.core.compiled_query).

A list of 25 tickets spent about as long building and compiling its queryset
as PostgreSQL spent planning and running it. What makes two requests' SQL
differ is their *shape* — the caller's kind of scope, the tab, which filters
are on, the page size, where the cursor's values are empty — and the ids and
moments in it; so the shape names a compiled query and the ids and moments
are swapped in. A search text and date filters (turned into a pattern and day
bounds on their way to the SQL) are read through the ORM as they are.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db.models import QuerySet
from rest_framework.request import Request

from helpdesk.core.compiled_query import CompiledShapes
from tickets.lifecycle import CUSTOMER, STAFF
from tickets.models import Ticket
from tickets.selectors import (
    QueueFilters,
    Viewer,
    customer_ticket_scope,
    customer_tickets,
    has_attachments,
    staff_ticket_scope,
    viewer_queue,
)

from .pagination import Key, Page, after_cursor, cursor_values, page_from_rows, page_size
from .serializers.ticket_shapes import DETAIL_COLUMNS, ROW_COLUMNS

# A customer's scopes read only their id.
_CUSTOMER_SHAPE = Viewer(0).shape
NEWEST_FIRST = (Key("created_at", descending=True), Key("id", descending=True))
# P3: open work by deadline (none last), then arrival — tickets.selectors.staff_queue's order.
BY_DEADLINE = (Key("resolve_by", nulls_last=True, nullable=True), Key("created_at"), Key("id"))


def row_values(qs: QuerySet[Ticket], columns: tuple[str, ...] = ROW_COLUMNS) -> QuerySet[Any]:
    """The selector's rows as values() with only the columns a row shows (no
    model instances, no phone number parsed per row). Two joins, not five:
    PostgreSQL spent ~3 ms planning the five-table join at 1,000,000 tickets.
    Teams, departments and categories are named from the process's copy
    (api.views.tickets._names_attach)."""
    return qs.select_related(None).values(*columns)


@dataclass(frozen=True)
class ListShape:
    """Everything about a list request but its ids and moments."""

    side: str
    viewer: tuple[bool, bool, bool, bool, int]
    queue: str
    status: str
    kind: str
    priority: str
    team: bool
    assignee: bool
    department: bool
    cursor: tuple[bool, ...] | None  # per ordering key: is the cursor's value empty; None on the first page
    size: int
    # Read through the ORM (never compiled): they reach the SQL changed.
    q: str = ""
    date_from: Any = None
    date_to: Any = None

    @property
    def keys(self) -> tuple[Key, ...]:
        return BY_DEADLINE if self.side == STAFF and self.status == "open" else NEWEST_FIRST


def _list_query(shape: ListShape, *arguments: Any) -> QuerySet[Any]:
    """The list's rows for `shape`, with `arguments` in the order list_page puts them."""
    given = iter(arguments)
    pk = next(given)
    if shape.side == STAFF:
        signed_in, sees_all, works, sees_teams, teams = shape.viewer
        viewer = Viewer(pk, signed_in, sees_all, works, sees_teams, tuple(next(given) for _ in range(teams)))
        team = next(given) if shape.team else None
        assignee = next(given) if shape.assignee else None
        department = next(given) if shape.department else None
        qs = viewer_queue(
            viewer,
            QueueFilters(
                queue=shape.queue, status=shape.status, kind=shape.kind, priority=shape.priority, team=team,
                assignee=assignee, department=department, date_from=shape.date_from, date_to=shape.date_to,
                q=shape.q,
            ),
        )
    else:
        qs = customer_tickets(Viewer(pk), q=shape.q, status=shape.status)
    if shape.cursor is not None:
        qs = qs.filter(after_cursor(shape.keys, [None if empty else next(given) for empty in shape.cursor]))
    return row_values(qs)[: shape.size + 1]


_LISTS = CompiledShapes(_list_query)


def list_page(request: Request, viewer: Viewer, side: str, f: dict[str, Any]) -> Page:
    """One page of the ticket list: the work queue's tab and filters for staff
    (`f`: the validated query), the tickets they reported for anyone else."""
    staff = side == STAFF
    shape = ListShape(
        side=side,
        viewer=viewer.shape if staff else _CUSTOMER_SHAPE,
        queue=f["queue"] if staff else "",
        status=f["status"],
        kind=f["kind"] if staff else "",
        priority=f["priority"] if staff else "",
        team=staff and bool(f.get("team")),
        assignee=staff and bool(f.get("assignee")),
        department=staff and bool(f.get("department")),
        cursor=None,
        size=page_size(request),
        q=f["q"],
        date_from=f.get("date_from") if staff else None,
        date_to=f.get("date_to") if staff else None,
    )
    arguments: list[Any] = [viewer.pk]
    if staff:
        arguments += viewer.team_ids
        arguments += [f[name] for name in ("team", "assignee", "department") if f.get(name)]
    values = cursor_values(request, shape.keys, Ticket)
    if values is not None:
        shape = replace(shape, cursor=tuple(v is None for v in values))
        arguments += [v for v in values if v is not None]
    compiled = not (shape.q or shape.date_from or shape.date_to)
    return page_from_rows(request, _LISTS.rows(shape, *arguments, compiled=compiled), shape.size, shape.keys)


def _detail_query(shape: tuple[str, tuple[bool, bool, bool, bool, int]], ticket_pk: int, *people: int) -> QuerySet[Any]:
    side, (signed_in, sees_all, works, sees_teams, _teams) = shape
    viewer = Viewer(people[0], signed_in, sees_all, works, sees_teams, tuple(people[1:]))
    scope = staff_ticket_scope(viewer) if side == STAFF else customer_ticket_scope(viewer)
    return row_values(scope.filter(pk=ticket_pk), DETAIL_COLUMNS).annotate(has_files=has_attachments())[:1]


_DETAILS = CompiledShapes(_detail_query)


def detail_row(viewer: Viewer, side: str, pk: int) -> dict[str, Any] | None:
    """The ticket's row as the caller's ticket page may open it, or None (a 404)."""
    if side == CUSTOMER:
        found = _DETAILS.rows((CUSTOMER, _CUSTOMER_SHAPE), pk, viewer.pk)
    else:
        found = _DETAILS.rows((STAFF, viewer.shape), pk, viewer.pk, *viewer.team_ids)
    return found[0] if found else None
