"""The desk on the API: phone calls (the phone system posts here as it posts
to /frontdesk/api/calls/, with a service account's token scoped to `calls`)
and callback memos — through the desk's own reader, selectors and services."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from desk import selectors
from desk.models import CallSource
from desk.phone_schema import UNSUPPORTED_MEDIA_TYPE, ApiRefusal, call_record_read, refused
from desk.services.calls import call_record, callback_memo_close, callback_memo_create
from helpdesk.accounts.models import Department, User
from helpdesk.core.errors import ActionRefused
from tickets.selectors import assignable_staff, tickets_visible_to

from ..lookups import chosen
from ..pagination import Key, keyset_page
from ..scopes import Scope
from ..serializers.desk_shapes import (
    CallIn,
    CallOut,
    CallPage,
    CallRecorded,
    MemoCloseIn,
    MemoIn,
    MemoOut,
    MemoPage,
)
from .base import ApiView

NEWEST_CALLS = (Key("received_at", descending=True), Key("id", descending=True))
DUE_FIRST = (Key("due_at"), Key("id"))
CALLED_BACK_LATEST = (Key("closed_at", descending=True, nullable=True), Key("id", descending=True))


class CallsView(ApiView):
    scope = Scope.CALLS
    permissions_by_method = {"GET": "tickets.work_ticket", "POST": "tickets.intake_ticket"}

    @extend_schema(
        operation_id="calls_list",
        parameters=[OpenApiParameter("cursor", str), OpenApiParameter("page_size", int)],
        responses=CallPage,
        summary="Recent calls",
        description="Staff: your own answered calls, newest first (desk agents and admins: everyone's).",
    )
    def get(self, request: Request) -> Response:
        page = keyset_page(request, selectors.calls_recent(request.user), NEWEST_CALLS)
        return Response({"next": page.next_url, "results": CallOut(page.rows, many=True).data})

    @extend_schema(
        operation_id="calls_record",
        request=CallIn,
        responses={201: CallRecorded, 200: OpenApiResponse(CallRecorded, description="A call_id seen before.")},
        summary="Record an answered call (PH1)",
        description="The phone system's record, exactly as /frontdesk/api/calls/ takes it (README "
        "\"Phone system endpoint\"). Desk agents, or a service account with the `calls` scope.",
    )
    def post(self, request: Request) -> Response:
        # The phone endpoint's own reader: the same strict schema, bounds and codes.
        if (request.content_type or "").split(";")[0].strip().lower() != "application/json":
            raise ApiRefusal(415, UNSUPPORTED_MEDIA_TYPE, _("Send the body as application/json."))
        record = call_record_read(request._request)
        agent = selectors.phone_agent_named(record.agent)
        if agent is None:
            raise refused({"agent": [_("No active user has that username or employee number.")]})
        try:
            call, created = call_record(
                agent=agent,
                rings=record.rings,
                seconds_to_answer=record.seconds_to_answer,
                caller_number=record.caller_number,
                source=CallSource.PHONE_SYSTEM,
                external_id=record.call_id or None,
                received_at=record.received_at,
            )
        except ActionRefused as exc:
            raise refused({exc.field or "__all__": [exc.message]}) from None
        caller = call.caller
        data = {
            "id": call.pk,
            "url": request.build_absolute_uri(reverse("desk:call_detail", args=[call.pk])),
            "answered_in_time": call.answered_in_time,
            "agent": call.agent.username,
            "caller": {
                "id": caller.pk,
                "name": caller.display_name,
                "department": call.caller_department.name if call.caller_department else "",
            }
            if caller is not None
            else None,
        }
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class MemoQuery(serializers.Serializer):
    scope = serializers.ChoiceField(
        choices=[selectors.MemoScope.MINE, selectors.MemoScope.TEAM, selectors.MemoScope.ALL, selectors.MemoScope.DONE],
        required=False,
        default=selectors.MemoScope.MINE,
        help_text="mine (default), team, all (the desk) or done (called back).",
    )


class CallbacksView(ApiView):
    scope = Scope.CALLS
    permissions_by_method = {"GET": "tickets.work_ticket", "POST": "tickets.work_ticket"}

    @extend_schema(
        operation_id="callbacks_list",
        parameters=[MemoQuery, OpenApiParameter("cursor", str), OpenApiParameter("page_size", int)],
        responses=MemoPage,
        summary="Callback memos (PH3)",
        description="Open memos due first; `scope=done` lists the callbacks made, newest first. A scope your "
        "role does not have falls back to `mine`, as on the page.",
    )
    def get(self, request: Request) -> Response:
        query = MemoQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        scope = query.validated_data["scope"]
        if scope not in selectors.memo_scopes(request.user):
            scope = selectors.MemoScope.MINE
        keys = CALLED_BACK_LATEST if scope == selectors.MemoScope.DONE else DUE_FIRST
        page = keyset_page(request, selectors.callback_memos(request.user, scope), keys)
        return Response({"next": page.next_url, "results": MemoOut(page.rows, many=True).data})

    @extend_schema(
        operation_id="callbacks_create",
        request=MemoIn,
        responses={201: MemoOut},
        summary="Promise a callback (PH3)",
        description="Due within the standard's callback time in business time; an absent handler's backup gets it.",
    )
    def post(self, request: Request) -> Response:
        body = MemoIn(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        memo = callback_memo_create(
            actor=request.user,
            handler=chosen(assignable_staff(request.user), d["handler"], field="handler"),
            caller_name=d["caller_name"],
            department=chosen(Department.objects.all(), d["department"], field="department"),
            phone=d["phone"],
            matter=d["matter"],
            caller=chosen(User.objects.filter(is_active=True), d["caller"], field="caller"),
            ticket=chosen(tickets_visible_to(request.user), d["ticket"], field="ticket"),
        )
        return Response(MemoOut(selectors.memo_for(request.user, memo.pk)).data, status=status.HTTP_201_CREATED)


class CallbackCloseView(ApiView):
    scope = Scope.CALLS

    @extend_schema(operation_id="callbacks_close", request=MemoCloseIn, responses=MemoOut, summary="Record the callback")
    def post(self, request: Request, pk: int) -> Response:
        memo = selectors.memo_for(request.user, pk)
        body = MemoCloseIn(data=request.data)
        body.is_valid(raise_exception=True)
        callback_memo_close(memo=memo, actor=request.user, note=body.validated_data["note"])
        return Response(MemoOut(selectors.memo_for(request.user, pk)).data)
