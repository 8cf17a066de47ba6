"""Input as strict as the phone endpoint's: a field of the wrong JSON type is
refused, not coerced ("2" is not a number, 1 is not true, 12 is not text), an
unknown field is refused by name, text holds no control characters, and every
date is bounded (helpdesk.core.input_bounds) — so bad input is a 400 with a
message beside the field, never a guess or a 500."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from desk.phone_schema import ALL
from helpdesk.core.input_bounds import MAX_ID, DateBounds

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f]")


class StrictCharField(serializers.CharField):
    """Text only; no control characters (a multi-line field keeps line breaks and tabs)."""

    default_error_messages = {
        "invalid": gettext_lazy("Send text (a JSON string)."),
        "control": gettext_lazy("Send text without control characters (tabs, line breaks, NUL)."),
    }

    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        self.multiline = multiline
        kwargs.setdefault("trim_whitespace", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        if (CONTROL if self.multiline else CONTROL_LINE).search(data):
            self.fail("control")
        return super().to_internal_value(data)


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {"invalid": gettext_lazy("Send a whole number (a JSON integer).")}

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class IdField(StrictIntegerField):
    """An object's id: 1 … 2³¹−1, like ids in the pages' query strings."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": gettext_lazy("Send true or false (a JSON boolean).")}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictChoiceField(serializers.ChoiceField):
    default_error_messages = {
        "invalid_choice": gettext_lazy("Send one of: %(choices)s."),
    }

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str) or data not in self.choices:
            self.fail("invalid_choice", choices=", ".join(str(c) for c in self.choices))
        return data


class BoundedDateTimeField(serializers.DateTimeField):
    """An ISO 8601 moment (Seoul time when it names no zone) whose calendar day
    falls within `bounds` — the pages' own ranges."""

    default_error_messages = {
        "invalid": gettext_lazy("Send a date and time such as 2026-03-10T10:02:00+09:00."),
    }

    def __init__(self, *, bounds: DateBounds, **kwargs: Any) -> None:
        self.bounds = bounds
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> datetime:
        if not isinstance(value, str) or len(value) > 40:
            self.fail("invalid")
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None:
            self.fail("invalid")
        # The day as written, before any zone conversion (year 1 or 9999 must not be converted).
        if not self.bounds.span()[0] <= moment.date() <= self.bounds.span()[1]:
            raise serializers.ValidationError(self.bounds.message())
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment


class StrictSerializer(serializers.Serializer):
    """A JSON object with only the fields declared: anything else is named and refused."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise serializers.ValidationError({ALL: [_("The body must be a JSON object.")]})
        unknown = sorted(set(data) - set(self.fields), key=str)[:10]
        if unknown:
            allowed = ", ".join(name for name, f in self.fields.items() if not f.read_only)
            raise serializers.ValidationError(
                {
                    str(name)[:50]: [_("Unknown field: this request takes only %(fields)s.") % {"fields": allowed}]
                    for name in unknown
                }
            )
        return super().to_internal_value(data)
