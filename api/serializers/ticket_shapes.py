"""Tickets in and out: the list row, the detail with its timeline, and the
bodies of filing, commenting and each lifecycle action."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from helpdesk.accounts.models import display_name_of
from helpdesk.accounts.phones import phone_format
from helpdesk.core.input_bounds import PLANNED
from tickets.lifecycle import TRANSITIONS, Status
from tickets.models import AssetType, Channel, Kind, Priority
from tickets.presenters import event_text

from .common import LabelledOut, NamedOut, PersonOut
from .strict import (
    BoundedDateTimeField,
    IdField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictSerializer,
)


class AssetBrief(serializers.Serializer):
    id = serializers.IntegerField()
    tag = serializers.CharField()
    asset_type = serializers.ChoiceField(choices=AssetType.choices)


# What a list row reads, as values() (no model instances: building three per
# row was a third of a list's time): the ticket's own columns, the handler and
# the asset joined. Teams, departments and categories are named from each
# process's copy (api.views.tickets._names_attach puts them in "_team" …).
ROW_COLUMNS = (
    "id", "title", "kind", "channel", "status", "priority", "reporter_name", "reporter_is_vip", "created_at",
    "resolve_by", "resolved_at", "closed_at", "team_id", "assignee_id", "category_id", "asset_id",
    "reporter_department_id", "assignee__first_name", "assignee__last_name", "assignee__username",
    "asset__tag", "asset__asset_type",
)
# The detail's row: a list row's and the ticket's own text and figures.
DETAIL_COLUMNS = (*ROW_COLUMNS, "description", "contact_phone", "asset_other", "requested_by", "escalation_level")


def _moment(value: datetime | None, zone: tzinfo | None = None) -> str | None:
    """As DRF's DateTimeField writes it (ISO 8601 in the current time zone, "Z"
    for UTC), without its per-call field machinery: a list writes a hundred.
    `zone`: the current time zone, when the caller already asked for it."""
    if value is None:
        return None
    text = value.astimezone(zone or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class TicketRow(serializers.Serializer):
    """One ticket in a list: what the queue and the portal's list show."""

    # The fields declare the shape (the OpenAPI schema; this class's docstring
    # is its description there); `to_representation` writes it directly from a
    # values() row, because DRF's field-by-field walk took most of a list's
    # time (25 rows × 18 fields, nested). tests/api/test_schemathesis.py holds
    # the two together: every answer is checked against the schema.

    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    priority = serializers.ChoiceField(choices=Priority.choices)
    reporter_name = serializers.CharField()
    reporter_department = NamedOut()
    reporter_is_vip = serializers.BooleanField()
    team = NamedOut(allow_null=True)
    assignee = PersonOut(allow_null=True, help_text=_("The handler."))
    category = LabelledOut(allow_null=True)
    asset = AssetBrief(allow_null=True)
    created_at = serializers.DateTimeField()
    resolve_by = serializers.DateTimeField(allow_null=True, help_text=_("The deadline (처리기한)."))
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, r: Mapping[str, Any]) -> dict[str, Any]:
        department, team, category = r["_department"], r["_team"], r["_category"]
        zone = timezone.get_current_timezone()
        return {
            "id": r["id"],
            "number": f"#{r['id']}",  # Ticket.number
            "title": r["title"],
            "kind": r["kind"],
            "channel": r["channel"],
            "status": r["status"],
            "priority": r["priority"],
            "reporter_name": r["reporter_name"],
            "reporter_department": {"id": r["reporter_department_id"], "name": department.name if department else ""},
            "reporter_is_vip": r["reporter_is_vip"],
            "team": {"id": r["team_id"], "name": team.name} if team else None,
            "assignee": (
                {
                    "id": r["assignee_id"],
                    "name": display_name_of(r["assignee__last_name"], r["assignee__first_name"], r["assignee__username"]),
                }
                if r["assignee_id"]
                else None
            ),
            "category": {"id": r["category_id"], "name": category.label} if category else None,
            "asset": (
                {"id": r["asset_id"], "tag": r["asset__tag"], "asset_type": r["asset__asset_type"]}
                if r["asset_id"]
                else None
            ),
            "created_at": _moment(r["created_at"], zone),
            "resolve_by": _moment(r["resolve_by"], zone),
            "resolved_at": _moment(r["resolved_at"], zone),
            "closed_at": _moment(r["closed_at"], zone),
        }


class TicketPage(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text=_("The next page, or null on the last one."))
    results = TicketRow(many=True)


class EventOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text=_("The kind of event, for machines."))
    text = serializers.SerializerMethodField(help_text=_("The event as the timeline reads, in the caller's language."))
    at = serializers.DateTimeField(source="created_at")
    actor = PersonOut(allow_null=True)
    is_public = serializers.BooleanField(help_text=_("False for internal notes (staff only)."))
    comment = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_text(self, row: Mapping[str, Any]) -> str:
        return event_text(row["event"])

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_comment(self, row: Mapping[str, Any]) -> str | None:
        return row["comment__body"] if row["comment_id"] else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_note(self, row: Mapping[str, Any]) -> str | None:
        data = row["data"]
        note = data.get("note") if isinstance(data, dict) else None
        return str(note) if note else None

    def to_representation(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """From a tickets.selectors.timeline_rows row, written directly like
        TicketRow's: a long timeline is most of the detail's answer."""
        return {
            "id": row["id"],
            "kind": row["kind"],
            "text": self.get_text(row),
            "at": _moment(row["created_at"]),
            "actor": (
                {
                    "id": row["actor_id"],
                    "name": display_name_of(row["actor__last_name"], row["actor__first_name"], row["actor__username"]),
                }
                if row["actor_id"]
                else None
            ),
            "is_public": row["is_public"],
            "comment": self.get_comment(row),
            "note": self.get_note(row),
        }


event_out = EventOut().to_representation


class AttachmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    is_public = serializers.BooleanField()
    url = serializers.SerializerMethodField(
        help_text=_("Download with a signed-in session (the permission-checked view).")
    )

    def get_url(self, attachment: Any) -> str:
        return reverse("attachment_download", args=[attachment.pk])


class ActionOut(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    needs_note = serializers.BooleanField()


class TicketDetail(TicketRow):
    """A ticket with its timeline, its files and the actions the caller may take now."""

    description = serializers.CharField()
    contact_phone = serializers.CharField(
        read_only=True, help_text=_("As people read it (010-1234-5678); empty when none.")
    )
    asset_other = serializers.CharField()
    requested_by = serializers.DateTimeField(allow_null=True)
    escalation_level = serializers.IntegerField()
    actions = ActionOut(many=True, help_text=_("The lifecycle actions the caller may take now."))
    timeline = EventOut(many=True)
    attachments = AttachmentOut(many=True)

    def to_representation(self, r: Mapping[str, Any]) -> dict[str, Any]:
        # The row's fields (TicketRow writes them directly), then the detail's own.
        return {
            **super().to_representation(r),
            "description": r["description"],
            "contact_phone": phone_format(r["contact_phone"]),
            "asset_other": r["asset_other"],
            "requested_by": _moment(r["requested_by"]),
            "escalation_level": r["escalation_level"],
            "actions": [{"action": a.action, "label": str(a.label), "needs_note": a.needs_note} for a in r["_actions"]],
            "timeline": [event_out(e) for e in r["_timeline"]],
            "attachments": AttachmentOut(r["_attachments"], many=True).data,
        }


# --- Bodies -------------------------------------------------------------------------


class TicketCreateIn(StrictSerializer):
    """File a ticket. As yourself: title, description, contact_phone, asset (one
    of yours) or asset_other, category. The desk (and admins) may file for
    someone else: reporter (an employee's id) or reporter_name with
    reporter_department, and channel, kind, priority, requested_by."""

    title = StrictCharField(max_length=200)
    description = StrictCharField(required=False, allow_blank=True, max_length=10000, multiline=True, default="")
    contact_phone = StrictCharField(required=False, allow_blank=True, max_length=30, default="")
    asset = IdField(required=False, allow_null=True, default=None)
    asset_other = StrictCharField(required=False, allow_blank=True, max_length=200, default="")
    category = IdField(required=False, allow_null=True, default=None)
    # The desk only (tickets.intake_ticket):
    reporter = IdField(required=False, allow_null=True)
    reporter_name = StrictCharField(required=False, allow_blank=True, max_length=100)
    reporter_department = IdField(required=False, allow_null=True)
    channel = StrictChoiceField(choices=[c for c in Channel.choices if c[0] != Channel.WEB], required=False)
    kind = StrictChoiceField(choices=Kind.choices, required=False)
    priority = StrictChoiceField(choices=Priority.choices, required=False)
    requested_by = BoundedDateTimeField(bounds=PLANNED, required=False, allow_null=True)

    DESK_ONLY = ("reporter", "reporter_name", "reporter_department", "channel", "kind", "priority", "requested_by")


class CommentIn(StrictSerializer):
    body = StrictCharField(max_length=10000, multiline=True)
    internal = StrictBooleanField(
        required=False, default=False, help_text=_("Staff only: an internal note the customer does not see.")
    )


class AssignIn(StrictSerializer):
    assignee = IdField(help_text=_("The handler's user id (staff who work tickets)."))


class TransitionIn(StrictSerializer):
    action = StrictChoiceField(choices=sorted({t.action for t in TRANSITIONS}))
    note = StrictCharField(
        required=False, allow_blank=True, max_length=2000, multiline=True, default="",
        help_text=_("Required for the actions that need a reason; the customer sees it in the timeline."),
    )


class PriorityIn(StrictSerializer):
    priority = StrictChoiceField(choices=Priority.choices)


class TeamMoveIn(StrictSerializer):
    team = IdField()
    note = StrictCharField(max_length=2000, multiline=True)

