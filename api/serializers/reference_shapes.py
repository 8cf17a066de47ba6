"""Reference data out: assets, fault categories, the service standards, and
the lead's dashboard figures."""
from __future__ import annotations

from datetime import time

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tickets.models import AssetType, Kind

from .common import NamedOut, PersonOut


class AssetOut(serializers.Serializer):
    id = serializers.IntegerField()
    tag = serializers.CharField()
    asset_type = serializers.ChoiceField(choices=AssetType.choices)
    model_name = serializers.CharField()
    serial = serializers.CharField()
    owner = PersonOut(allow_null=True)
    department = NamedOut()
    location = serializers.CharField()
    installed_on = serializers.DateField(allow_null=True)


class AssetPage(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    results = AssetOut(many=True)


class CategoryOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField(source="label")
    asset_type = serializers.ChoiceField(choices=AssetType.choices)


class CategoryPage(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    results = CategoryOut(many=True)


class TargetOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    priority = serializers.CharField(help_text=_("Empty: any priority."))
    category = serializers.CharField(allow_null=True, help_text=_("A fault category's code, or null for any."))
    respond_hours = serializers.DecimalField(max_digits=7, decimal_places=2, coerce_to_string=False)
    resolve_hours = serializers.DecimalField(max_digits=7, decimal_places=2, coerce_to_string=False)


class LevelOut(serializers.Serializer):
    level = serializers.IntegerField()
    trigger = serializers.CharField()
    value = serializers.DecimalField(max_digits=7, decimal_places=2, coerce_to_string=False)


class ScoreTargetOut(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.FloatField()


@extend_schema_field({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$", "example": "09:00"})
class ClockField(serializers.Field):
    """A time of day as people write it, 09:00 (JSON Schema's "time" wants a zone offset)."""

    def to_representation(self, value: time) -> str:
        return value.strftime("%H:%M")


class StandardOut(serializers.Serializer):
    number = serializers.IntegerField()
    label = serializers.CharField()
    effective_from = serializers.DateTimeField()
    warning_percent = serializers.IntegerField()
    callback_due_minutes = serializers.IntegerField()
    day_start = ClockField(help_text=_("Seoul time, HH:MM."))
    day_end = ClockField()
    lunch_start = ClockField()
    lunch_end = ClockField()
    targets = TargetOut(many=True)
    levels = LevelOut(many=True)
    score_targets = ScoreTargetOut(many=True)


class EngineerLoadOut(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    open = serializers.IntegerField()
    due_today = serializers.IntegerField()
    overdue = serializers.IntegerField()


class LevelCountOut(serializers.Serializer):
    level = serializers.IntegerField()
    count = serializers.IntegerField()


class FiguresOut(serializers.Serializer):
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    due_soon = serializers.IntegerField()
    warnings = serializers.IntegerField()
    vip = serializers.IntegerField()
    unassigned = serializers.IntegerField()
    escalated = serializers.IntegerField()
    levels = LevelCountOut(many=True)
    repeat_at_risk = serializers.IntegerField()
    repeat_escalated = serializers.IntegerField()
    callbacks_overdue = serializers.IntegerField()
    late_visits = serializers.IntegerField()
    plans_waiting = serializers.IntegerField()
    reports_due = serializers.IntegerField()
    engineers = EngineerLoadOut(many=True)


class TrendOut(serializers.Serializer):
    days = serializers.ListField(child=serializers.DateField())
    opened = serializers.ListField(child=serializers.IntegerField())
    closed = serializers.ListField(child=serializers.IntegerField())
    breached = serializers.ListField(child=serializers.IntegerField())


class DashboardOut(serializers.Serializer):
    teams = NamedOut(many=True, help_text=_("The teams you may see."))
    team = serializers.IntegerField(allow_null=True, help_text=_("The team shown, or null for all of yours."))
    period = serializers.IntegerField()
    notices = serializers.ListField(child=serializers.CharField(), help_text=_("Filters not understood, and what is shown instead."))
    updated_at = serializers.DateTimeField(help_text=_("When the figures were counted (at most a minute or so ago)."))
    figures = FiguresOut()
    trend = TrendOut()
