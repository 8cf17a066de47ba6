"""Phone calls and callback memos in and out. A call is posted exactly as the
phone system posts it to /frontdesk/api/calls/ (desk.phone_schema.CALL_SCHEMA)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from desk.services.calls import MAX_RINGS_REPORTED, MAX_SECONDS_REPORTED
from helpdesk.accounts.phones import phone_format

from .common import NamedOut, PersonOut
from .strict import IdField, StrictCharField, StrictIntegerField, StrictSerializer


class CallIn(StrictSerializer):
    """Documents the body; it is read by desk.phone_schema.call_record_read, the
    phone endpoint's own reader, so both take exactly the same records."""

    agent = StrictCharField(max_length=150, help_text=_("The answering agent's username or employee number."))
    rings = StrictIntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_RINGS_REPORTED)
    seconds_to_answer = StrictIntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_SECONDS_REPORTED
    )
    caller_number = StrictCharField(required=False, allow_null=True, allow_blank=True, max_length=30)
    call_id = StrictCharField(
        required=False, allow_null=True, allow_blank=True, max_length=100,
        help_text=_("The phone system's id: posting it again records nothing new (200)."),
    )
    received_at = StrictCharField(
        required=False, allow_null=True, max_length=40,
        help_text=_("ISO 8601; Seoul time without a zone. Within the last 90 days, at most 5 minutes ahead."),
    )


class CallerOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    department = serializers.CharField()


class CallRecorded(serializers.Serializer):
    """The phone endpoint's answer, unchanged."""

    id = serializers.IntegerField()
    url = serializers.CharField()
    answered_in_time = serializers.BooleanField()
    agent = serializers.CharField()
    caller = CallerOut(allow_null=True)


class CallOut(serializers.Serializer):
    id = serializers.IntegerField()
    received_at = serializers.DateTimeField()
    agent = PersonOut()
    rings = serializers.IntegerField(allow_null=True)
    seconds_to_answer = serializers.IntegerField(allow_null=True)
    answered_in_time = serializers.BooleanField()
    source = serializers.CharField()
    caller = PersonOut(allow_null=True)
    caller_name = serializers.CharField()
    caller_department = NamedOut(allow_null=True)
    ticket = serializers.IntegerField(source="ticket_id", allow_null=True)


class CallPage(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    results = CallOut(many=True)


class MemoOut(serializers.Serializer):
    id = serializers.IntegerField()
    caller_name = serializers.CharField()
    department = NamedOut()
    phone = serializers.SerializerMethodField()
    matter = serializers.CharField()
    for_handler = PersonOut(help_text=_("Who calls back (the backup when the handler asked for is away)."))
    asked_for = PersonOut(allow_null=True)
    taken_by = PersonOut()
    taken_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    closed_by = PersonOut(allow_null=True)
    callback_note = serializers.CharField()
    ticket = serializers.IntegerField(source="ticket_id", allow_null=True)

    def get_phone(self, memo: object) -> str:
        return phone_format(memo.phone)  # type: ignore[attr-defined]


class MemoPage(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    results = MemoOut(many=True)


class MemoIn(StrictSerializer):
    handler = IdField(help_text=_("Who should call back (staff)."))
    caller_name = StrictCharField(max_length=100)
    department = IdField(help_text=_("The caller's department."))
    phone = StrictCharField(max_length=30)
    matter = StrictCharField(max_length=5000, multiline=True)
    caller = IdField(required=False, allow_null=True, default=None, help_text=_("The caller's account, if known."))
    ticket = IdField(required=False, allow_null=True, default=None, help_text=_("A ticket you may see."))


class MemoCloseIn(StrictSerializer):
    note = StrictCharField(max_length=5000, multiline=True, help_text=_("What was said on the callback."))
