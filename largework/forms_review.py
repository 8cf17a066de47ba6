"""Forms of the approver's pages: return a plan with a reason, write on its thread.

They only parse the input; the rules (a reason is required, who may write) are
the services' (largework.services.approvals), whose refusal the view shows
beside the field with what was typed kept.
"""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services.approvals import MAX_MESSAGE


class ReturnForm(forms.Form):
    # Not required here: an empty reason is refused by plan_return, in its words.
    reason = forms.CharField(
        label=_("Why is the plan returned?"),
        required=False,
        strip=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The team lead reads this and revises the plan; say what must change."),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your question"),
        required=False,
        strip=False,
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The plan's owner is told and answers here."),
    )
