"""Tickets: the list (the staff queue's filters for staff, one's own tickets
for everyone else), filing one (as oneself, or for someone else at the desk),
the detail with its timeline, comments and the lifecycle actions — each
through the same selector and service as its page, with the same refusals."""
from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from helpdesk.accounts.models import Department, Team, User
from helpdesk.accounts.phones import phone_parse
from helpdesk.core.input_bounds import RECORDED
from helpdesk.core.reference_names import reference_name
from tickets.lifecycle import CUSTOMER, STAFF, Status, transitions_from
from tickets.models import Asset, Channel, Comment, FaultCategory, Kind, Priority, Ticket
from tickets.permissions import is_staff
from tickets.selectors import (
    Queue,
    assignable_staff,
    attachments_for,
    tickets_visible_to,
    timeline_rows,
    viewer_of,
)
from tickets.services import (
    comment_add,
    ticket_assign,
    ticket_create,
    ticket_set_priority,
    ticket_team_move,
    ticket_transition,
)

from ..lookups import chosen, ticket_lookup
from ..scopes import Scope
from ..serializers.strict import IdField
from ..serializers.ticket_shapes import (
    AssignIn,
    CommentIn,
    PriorityIn,
    TeamMoveIn,
    TicketCreateIn,
    TicketDetail,
    TicketPage,
    TicketRow,
    TransitionIn,
)
from ..ticket_rows import detail_row, list_page
from .base import ApiView

PHONE_INVALID = gettext_lazy("Enter a phone number we can call, such as 010-1234-5678.")


class TicketQuery(serializers.Serializer):
    """The list's filters: the work queue's for staff; `q` and `status` for everyone."""

    queue = serializers.ChoiceField(
        choices=[Queue.MINE, Queue.TEAM, Queue.UNASSIGNED, Queue.ALL], required=False, default=Queue.ALL,
        help_text="Staff: mine, team, unassigned, or all (everything you may see, the default).",
    )
    status = serializers.ChoiceField(choices=["open", *Status.values], required=False, default="")
    kind = serializers.ChoiceField(choices=Kind.values, required=False, default="")
    priority = serializers.ChoiceField(choices=Priority.values, required=False, default="")
    team = IdField(required=False)
    assignee = IdField(required=False)
    department = IdField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    q = serializers.CharField(required=False, default="", max_length=100)

    def to_internal_value(self, data: Any) -> Any:
        # Query strings are text: ids arrive as "12".
        plain = {k: data.get(k) for k in self.fields if k in data}
        for name in ("team", "assignee", "department"):
            if name in plain:
                raw = plain[name]
                plain[name] = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 10 else raw
        return super().to_internal_value(plain)

    def validate_date_from(self, value: Any) -> Any:
        return self._bounded(value)

    def validate_date_to(self, value: Any) -> Any:
        return self._bounded(value)

    def _bounded(self, value: Any) -> Any:
        first, last = RECORDED.span()
        if not first <= value <= last:
            raise ValidationError(RECORDED.message())
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and end < start:
            raise ValidationError({"date_to": [_("The end date is before the start date.")]})
        return attrs


LIST_PARAMETERS = [
    OpenApiParameter("cursor", str, description="From the previous page's `next`."),
    OpenApiParameter("page_size", int, description="1–100, default 25."),
]


def _names_attach(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Name each row's team, department and category without a query (helpdesk.core.reference_names)."""
    reference_name(rows, "team_id", "_team", Team, ("id", "name"))
    reference_name(rows, "reporter_department_id", "_department", Department, ("id", "name"))
    reference_name(rows, "category_id", "_category", FaultCategory, ("id", "name", "name_en"))
    return rows


def _detail(request: Request, pk: int) -> Response:
    """The ticket with its timeline (public only for customers), files and the
    actions open now, read within what the caller's ticket page may open (a
    404 otherwise) with only what the answer shows."""
    user = request.user
    side = STAFF if is_staff(user) else CUSTOMER
    row = detail_row(viewer_of(user), side, pk)
    if row is None:
        raise Http404
    public_only = side == CUSTOMER
    _names_attach([row])
    row["_timeline"] = timeline_rows(pk, public_only=public_only)
    # Most tickets have none: then not even an empty queryset is built (its compiling costs).
    row["_attachments"] = list(attachments_for(pk, public_only=public_only, any_known=True)) if row["has_files"] else []
    row["_actions"] = transitions_from(row["status"], side)
    return Response(TicketDetail(row).data)


class TicketListView(ApiView):
    scope = Scope.TICKETS

    @extend_schema(
        operation_id="tickets_list",
        parameters=[TicketQuery, *LIST_PARAMETERS],
        responses=TicketPage,
        summary="List tickets",
        description="Staff: the work queue with its filters (default: everything you may see, newest first; "
        "`status=open` orders by deadline). Everyone else: the tickets they reported.",
    )
    def get(self, request: Request) -> Response:
        query = TicketQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        f = query.validated_data
        user = request.user
        side = STAFF if is_staff(user) else CUSTOMER
        page = list_page(request, viewer_of(user), side, f)
        return Response({"next": page.next_url, "results": TicketRow(_names_attach(page.rows), many=True).data})

    @extend_schema(
        operation_id="tickets_create",
        request=TicketCreateIn,
        responses={201: TicketDetail},
        summary="File a ticket",
        description="As yourself (a fault, like the portal's form), or — desk agents and admins — for someone "
        "else with `reporter` or `reporter_name` and `reporter_department` (like the desk's intake).",
    )
    def post(self, request: Request) -> Response:
        body = TicketCreateIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        user = request.user
        desk_fields = [name for name in TicketCreateIn.DESK_ONLY if name in request.data]
        if desk_fields:
            if not user.has_perm("tickets.intake_ticket"):
                raise ValidationError(
                    {name: [_("Only the desk files tickets for someone else.")] for name in desk_fields}
                )
            kwargs = _for_someone(data)
        else:
            if not user.has_perm("tickets.file_ticket"):
                raise PermissionDenied
            kwargs = _for_oneself(user, data)
        ticket = ticket_create(actor=user, **kwargs)
        response = _detail(request, ticket.pk)
        response.status_code = status.HTTP_201_CREATED
        return response


def _phone(text: str) -> str:
    if not text:
        return ""
    parsed = phone_parse(text)
    if parsed is None:
        raise ValidationError({"contact_phone": [str(PHONE_INVALID)]})
    return parsed


def _category(pk: int | None) -> FaultCategory | None:
    return chosen(FaultCategory.objects.filter(active=True), pk, field="category")


def _for_oneself(user: User, data: dict[str, Any]) -> dict[str, Any]:
    """The portal's fault report: the reporter is the caller, from their account (CC2)."""
    return {
        "kind": Kind.FAULT,
        "channel": Channel.WEB,
        "reporter": user,
        "reporter_name": user.display_name,
        "reporter_department": user.department,
        "title": data["title"],
        "description": data["description"],
        "contact_phone": _phone(data["contact_phone"]),
        "asset": chosen(Asset.objects.filter(owner=user), data["asset"], field="asset"),
        "asset_other": data["asset_other"] if data["asset"] is None else "",
        "category": _category(data["category"]),
    }


def _for_someone(data: dict[str, Any]) -> dict[str, Any]:
    """The desk's intake: an employee picked by id, or a name and department typed (CC2)."""
    reporter = None
    if data.get("reporter") is not None:
        reporter = User.objects.select_related("department").filter(pk=data["reporter"], is_active=True).first()
        if reporter is None:
            raise ValidationError(
                {"reporter": [_("That employee was not found; look them up again or type the details.")]}
            )
    department = chosen(Department.objects.all(), data.get("reporter_department"), field="reporter_department")
    kind = data.get("kind") or Kind.FAULT
    requested_by = data.get("requested_by")
    if requested_by is not None:
        if kind != Kind.SUPPORT:
            raise ValidationError({"requested_by": [_("Only support requests have a requested completion time.")]})
        if requested_by <= timezone.now():
            raise ValidationError({"requested_by": [_("The requested completion must be in the future.")]})
    assets = Asset.objects.filter(owner=reporter) if reporter else Asset.objects.none()
    return {
        "reporter": reporter,
        "reporter_name": data.get("reporter_name") or (reporter.display_name if reporter else ""),
        "reporter_department": department or (reporter.department if reporter else None),
        "contact_phone": _phone(data["contact_phone"]),
        "channel": data.get("channel") or Channel.PHONE,
        "kind": kind,
        "priority": data.get("priority") or Priority.NORMAL,
        "title": data["title"],
        "description": data["description"],
        "asset": chosen(assets, data["asset"], field="asset"),
        "asset_other": data["asset_other"],
        "category": _category(data["category"]),
        "requested_by": requested_by,
    }


class TicketDetailView(ApiView):
    scope = Scope.TICKETS

    @extend_schema(operation_id="tickets_retrieve", responses=TicketDetail, summary="A ticket with its timeline")
    def get(self, request: Request, pk: int) -> Response:
        return _detail(request, pk)


class CommentOut(serializers.Serializer):
    id = serializers.IntegerField()
    body = serializers.CharField()
    is_public = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class TicketCommentView(ApiView):
    scope = Scope.TICKETS

    @extend_schema(operation_id="tickets_comment", request=CommentIn, responses={201: CommentOut}, summary="Comment")
    def post(self, request: Request, pk: int) -> Response:
        ticket, side = ticket_lookup(request.user, pk)
        body = CommentIn(data=request.data)
        body.is_valid(raise_exception=True)
        internal = body.validated_data["internal"]
        if internal and side != STAFF:
            raise ValidationError({"internal": [_("Only staff write internal notes.")]})
        comment: Comment = comment_add(
            ticket=ticket, author=request.user, body=body.validated_data["body"], is_public=not internal
        )
        return Response(CommentOut(comment).data, status=status.HTTP_201_CREATED)


class TicketAssignView(ApiView):
    scope = Scope.TICKETS

    @extend_schema(
        operation_id="tickets_assign", request=AssignIn, responses=TicketDetail,
        summary="Assign a handler",
        description="Staff. An absent handler's backup gets the ticket instead (OV5): read `assignee` in the answer.",
    )
    def post(self, request: Request, pk: int) -> Response:
        ticket, side = _staff_ticket(request, pk)
        body = AssignIn(data=request.data)
        body.is_valid(raise_exception=True)
        person = chosen(assignable_staff(request.user), body.validated_data["assignee"], field="assignee")
        ticket_assign(ticket=ticket, assignee=person, actor=request.user)
        return _detail(request, pk)


class TicketTransitionView(ApiView):
    scope = Scope.TICKETS

    @extend_schema(
        operation_id="tickets_transition", request=TransitionIn, responses=TicketDetail,
        summary="Move along the lifecycle",
        description="The actions of the lifecycle table (README); the detail's `actions` lists those open now. "
        "Customers may close, reopen or cancel their own tickets.",
    )
    def post(self, request: Request, pk: int) -> Response:
        ticket, _side = ticket_lookup(request.user, pk)
        body = TransitionIn(data=request.data)
        body.is_valid(raise_exception=True)
        ticket_transition(
            ticket=ticket, action=body.validated_data["action"], actor=request.user, note=body.validated_data["note"]
        )
        return _detail(request, pk)


class TicketPriorityView(ApiView):
    scope = Scope.TICKETS

    @extend_schema(operation_id="tickets_priority", request=PriorityIn, responses=TicketDetail, summary="Set the priority")
    def post(self, request: Request, pk: int) -> Response:
        ticket, _side = _staff_ticket(request, pk)
        body = PriorityIn(data=request.data)
        body.is_valid(raise_exception=True)
        ticket_set_priority(ticket=ticket, priority=body.validated_data["priority"], actor=request.user)
        return _detail(request, pk)


class TicketTeamMoveView(ApiView):
    scope = Scope.TICKETS

    @extend_schema(
        operation_id="tickets_team_move", request=TeamMoveIn, responses={200: TicketDetail, 204: None},
        summary="Hand over to another team",
        description="Staff. 204 when the ticket is no longer one you may see.",
    )
    def post(self, request: Request, pk: int) -> Response:
        ticket, _side = _staff_ticket(request, pk)
        body = TeamMoveIn(data=request.data)
        body.is_valid(raise_exception=True)
        team = chosen(Team.objects.filter(handles_tickets=True), body.validated_data["team"], field="team")
        ticket_team_move(ticket=ticket, team=team, actor=request.user, note=body.validated_data["note"])
        if not tickets_visible_to(request.user).filter(pk=pk).exists():
            return Response(status=status.HTTP_204_NO_CONTENT)
        return _detail(request, pk)


def _staff_ticket(request: Request, pk: int) -> tuple[Ticket, str]:
    """Staff-only actions: for anyone else the ticket does not exist (404), as on the staff pages."""
    ticket, side = ticket_lookup(request.user, pk)
    if side != STAFF:
        raise Http404
    return ticket, side

