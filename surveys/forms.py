"""The survey page's two forms (no login) and the lead's follow-up form.

Scores are checked by the services too (a forged value is refused with the same
message); the forms keep what was typed when anything is refused."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SCORE_MAX, SCORE_MIN, FollowUpOutcome
from .services.answers import COMMENT_MAX
from .services.follow_ups import ACTION_MAX

SCORE_CHOICES = [("", _("No answer"))] + [(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)]
SCORE_ERRORS = {"invalid_choice": _("Choose a score from 1 to 5.")}


class OverallForm(forms.Form):
    """One tap: the pressed button's value is the overall score."""

    overall = forms.CharField(required=False, max_length=10)


class DetailsForm(forms.Form):
    details = forms.CharField(widget=forms.HiddenInput, max_length=500)
    speed = forms.ChoiceField(label=_("Speed"), choices=SCORE_CHOICES, required=False, widget=forms.RadioSelect, error_messages=SCORE_ERRORS)
    kindness = forms.ChoiceField(label=_("Kindness"), choices=SCORE_CHOICES, required=False, widget=forms.RadioSelect, error_messages=SCORE_ERRORS)
    result = forms.ChoiceField(label=_("Result"), choices=SCORE_CHOICES, required=False, widget=forms.RadioSelect, error_messages=SCORE_ERRORS)
    comment = forms.CharField(
        label=_("Anything else you want to tell us?"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FollowUpForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did you follow up?"),
        choices=FollowUpOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you called or visited the customer."),
                        "invalid_choice": _("Choose whether you called or visited the customer.")},
    )
    action = forms.CharField(
        label=_("What was done (the customer is told)"),
        max_length=ACTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what was done for the customer.")},
    )
