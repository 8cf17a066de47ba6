"""The scoreboard's forms: parse input only; the rules are in the services."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from helpdesk.core.input_bounds import RECORDED

from .periods import last_month

# "2026-11" from <input type="month">; browsers without a month picker show a
# text box, where people also type "2026.11", "2026/11" or "2026-11-01".
MONTH = re.compile(r"^\s*(\d{4})\s*[-./]\s*(\d{1,2})(?:\s*[-./]\s*\d{1,2})?\s*\.?\s*$", re.ASCII)


class ReportMonthForm(forms.Form):
    """Which month's charter report to generate (again)."""

    month = forms.CharField(
        label=pgettext_lazy("monthly report", "Month"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11", "inputmode": "numeric"}),
        error_messages={"required": _("Choose the month to report, such as 2026-11.")},
    )

    def clean_month(self) -> date:
        raw: Any = self.cleaned_data["month"]
        found = MONTH.match(str(raw))
        if found is None:
            raise forms.ValidationError(_("Enter a month such as 2026-11."), code="invalid")
        year, month = int(found.group(1)), int(found.group(2))
        if not 1 <= month <= 12 or year < 1:
            raise forms.ValidationError(_("Enter a month such as 2026-11."), code="invalid")
        first = date(year, month, 1)
        today = timezone.localdate()
        earliest, _today = RECORDED.span(today)
        latest = last_month(today).first
        if first > latest:
            raise forms.ValidationError(
                _("A month can be reported once it has ended: choose %(month)s or earlier."),
                code="not_ended",
                params={"month": f"{latest:%Y-%m}"},
            )
        if first < earliest:
            raise forms.ValidationError(
                _("Choose %(month)s or later."), code="too_early", params={"month": f"{earliest:%Y-%m}"}
            )
        return first
