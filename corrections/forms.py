"""The correction form on the staff ticket page. It only parses; what is
required is the service's rule (corrections.services.correction_open)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_REASON, MAX_WRONG


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        max_length=MAX_REASON,
        help_text=_("The customer sees this on the ticket."),
    )
    what_was_wrong = forms.CharField(
        label=_("What was wrong"),
        required=False,
        strip=False,
        max_length=MAX_WRONG,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For staff only: what in the finished work was wrong."),
    )
