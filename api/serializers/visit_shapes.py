"""Visits in and out: a visit, booking one on a ticket, and its outcome."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from helpdesk.core.input_bounds import PLANNED
from visits.models import VisitOutcome, VisitState

from .common import PersonOut
from .strict import (
    BoundedDateTimeField,
    IdField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictSerializer,
)


class VisitOut(serializers.Serializer):
    id = serializers.IntegerField()
    ticket = serializers.IntegerField(source="ticket_id")
    state = serializers.ChoiceField(choices=VisitState.choices)
    purpose = serializers.CharField()
    engineer = PersonOut()
    companion = PersonOut(allow_null=True)
    proposed_by = serializers.CharField()
    proposed_start = serializers.DateTimeField()
    proposed_end = serializers.DateTimeField()
    agreed_start = serializers.DateTimeField(allow_null=True)
    agreed_end = serializers.DateTimeField(allow_null=True)
    off_hours_requested = serializers.BooleanField()
    checked_in_at = serializers.DateTimeField(allow_null=True)
    checked_out_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField(help_text=_("resolved, follow_up or customer_absent once completed; empty before."))


class VisitPage(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    results = VisitOut(many=True)


class VisitBookIn(StrictSerializer):
    engineer = IdField()
    companion = IdField(required=False, allow_null=True, default=None)
    start = BoundedDateTimeField(bounds=PLANNED)
    end = BoundedDateTimeField(bounds=PLANNED)
    purpose = StrictCharField(max_length=300)
    agreed_by_phone = StrictBooleanField(
        required=False, default=False, help_text=_("The customer already agreed this time by phone: confirmed at once.")
    )
    off_hours_requested = StrictBooleanField(required=False, default=False)


class VisitOutcomeIn(StrictSerializer):
    """How a checked-in visit ended. resolved: signoff_name and signature (a PNG
    data URL); follow_up: reason and the next visit's next_start/next_end;
    customer_absent: note."""

    outcome = StrictChoiceField(choices=VisitOutcome.choices)
    signoff_name = StrictCharField(required=False, allow_blank=True, max_length=100, default="")
    signature = StrictCharField(required=False, allow_blank=True, max_length=2_000_000, default="")
    work_note = StrictCharField(required=False, allow_blank=True, max_length=2000, multiline=True, default="")
    reason = StrictCharField(required=False, allow_blank=True, max_length=2000, multiline=True, default="")
    next_start = BoundedDateTimeField(bounds=PLANNED, required=False, allow_null=True, default=None)
    next_end = BoundedDateTimeField(bounds=PLANNED, required=False, allow_null=True, default=None)
    off_hours_requested = StrictBooleanField(required=False, default=False)
    note = StrictCharField(required=False, allow_blank=True, max_length=1000, multiline=True, default="")
