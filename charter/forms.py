"""Forms of the charter app: parse input only; the rules are in the services."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from helpdesk.core.input_bounds import PLANNED, BoundedDateTimeField


class DelayNoticeForm(forms.Form):
    """MT1: the reason and the new expected date, as the customer will read them."""

    reason = forms.CharField(
        label=_("Reason for the delay"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        # The service refuses a blank reason with the charter's wording.
        required=False,
        help_text=_("The customer receives this text by e-mail and SMS."),
    )
    new_date = BoundedDateTimeField(
        label=_("New expected date"),
        required=False,
        bounds=PLANNED,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Enter a date and time such as 2026-03-04 15:00.")},
    )
