"""Visits: the engineer's day, a ticket's visits, booking, and the outcome of a
visit on site — through the visit pages' selectors and services."""
from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from helpdesk.core.input_bounds import CALENDAR
from tickets.lifecycle import STAFF
from tickets.permissions import is_staff
from tickets.selectors import assignable_staff
from visits import selectors, services
from visits.models import Visit, VisitOutcome

from ..lookups import chosen, ticket_lookup
from ..pagination import Key, keyset_page
from ..scopes import Scope
from ..serializers.visit_shapes import VisitBookIn, VisitOut, VisitOutcomeIn, VisitPage
from .base import ApiView

BY_AGREED_START = (Key("agreed_start"), Key("id"))


class DayQuery(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="The day (default today, in Seoul).")

    def validate_date(self, value: date) -> date:
        first, last = CALENDAR.span()
        if not first <= value <= last:
            raise ValidationError(CALENDAR.message())
        return value


class VisitDayView(ApiView):
    scope = Scope.VISITS
    permissions_by_method = {"GET": "tickets.work_ticket"}

    @extend_schema(
        operation_id="visits_day",
        parameters=[DayQuery, OpenApiParameter("cursor", str), OpenApiParameter("page_size", int)],
        responses=VisitPage,
        summary="The engineer's day",
        description="Staff: the visits you go on that day (as engineer or companion), by agreed start.",
    )
    def get(self, request: Request) -> Response:
        query = DayQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("date") or timezone.localdate()
        page = keyset_page(request, selectors.engineer_day(request.user, day), BY_AGREED_START)
        return Response({"next": page.next_url, "results": VisitOut(page.rows, many=True).data})


class TicketVisitsView(ApiView):
    scope = Scope.VISITS

    @extend_schema(operation_id="tickets_visits", responses=VisitOut(many=True), summary="A ticket's visits")
    def get(self, request: Request, pk: int) -> Response:
        ticket, _side = ticket_lookup(request.user, pk)
        return Response(VisitOut(selectors.visits_for_ticket(ticket), many=True).data)

    @extend_schema(
        operation_id="tickets_visits_book",
        request=VisitBookIn,
        responses={201: VisitOut},
        summary="Book a visit",
        description="Staff. Proposed to the customer, or confirmed at once with `agreed_by_phone`. "
        "A time on a closed day or outside working hours needs `off_hours_requested`.",
    )
    def post(self, request: Request, pk: int) -> Response:
        ticket, side = ticket_lookup(request.user, pk)
        if side != STAFF:
            raise Http404
        body = VisitBookIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        staff = assignable_staff(request.user)
        visit = services.visit_book(
            ticket=ticket,
            engineer=chosen(staff, data["engineer"], field="engineer"),
            companion=chosen(staff, data["companion"], field="companion"),
            actor=request.user,
            start=data["start"],
            end=data["end"],
            purpose=data["purpose"],
            agreed_by_phone=data["agreed_by_phone"],
            off_hours_requested=data["off_hours_requested"],
        )
        return Response(VisitOut(visit).data, status=status.HTTP_201_CREATED)


def _visit_for(request: Request, pk: int) -> Visit:
    if is_staff(request.user):
        return selectors.visit_for_staff(request.user, pk)
    return selectors.visit_for_customer(request.user, pk)


class VisitDetailView(ApiView):
    scope = Scope.VISITS

    @extend_schema(operation_id="visits_retrieve", responses=VisitOut, summary="A visit")
    def get(self, request: Request, pk: int) -> Response:
        return Response(VisitOut(_visit_for(request, pk)).data)


class VisitOutcomeView(ApiView):
    scope = Scope.VISITS

    @extend_schema(
        operation_id="visits_outcome",
        request=VisitOutcomeIn,
        responses=VisitOut,
        summary="Record how a visit ended",
        description="Staff on the visit, once checked in and the checklist done: resolved (the customer's "
        "signature), follow_up (the reason and the next visit, which is returned) or customer_absent.",
    )
    def post(self, request: Request, pk: int) -> Response:
        visit = selectors.visit_for_staff(request.user, pk)
        body = VisitOutcomeIn(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        outcome = d["outcome"]
        if outcome == VisitOutcome.RESOLVED:
            result = services.visit_resolve(
                visit=visit, actor=request.user, signoff_name=d["signoff_name"], signature=d["signature"],
                work_note=d["work_note"],
            )
            shown = result.visit
        elif outcome == VisitOutcome.FOLLOW_UP:
            shown = services.visit_follow_up(
                visit=visit, actor=request.user, reason=d["reason"], next_start=d["next_start"],
                next_end=d["next_end"], off_hours_requested=d["off_hours_requested"],
            )
        else:
            shown = services.visit_customer_absent(visit=visit, actor=request.user, note=d["note"])
        return Response(VisitOut(selectors.visit_for_staff(request.user, shown.pk)).data)
