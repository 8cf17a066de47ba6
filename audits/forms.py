"""Forms of the misconduct audits. They only parse; the rules (what is
required, what a decision needs) are the services', whose refusal the view
shows beside the field with what was typed kept."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from helpdesk.core.input_bounds import RECORDED, BoundedDateField

from .models import MAX_ACTION, MAX_FINDINGS, MAX_NAME, MAX_STATEMENT, Decision


class ReportForm(forms.Form):
    # Not required here: an empty report is refused by misconduct_report, in its words.
    accused_name = forms.CharField(
        label=_("Who asked?"),
        required=False,
        max_length=MAX_NAME,
        help_text=_("The employee's name, or how you would recognise them."),
    )
    ticket_number = forms.CharField(
        label=_("Ticket number (if any)"),
        required=False,
        max_length=12,
        help_text=_("The request the employee was working on, e.g. #123."),
    )
    happened_on = BoundedDateField(
        label=_("When did it happen?"),
        required=False,
        bounds=RECORDED,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    statement = forms.CharField(
        label=_("What happened"),
        required=False,
        strip=False,
        max_length=MAX_STATEMENT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What was asked of you (money, a gift, a favour), in return for what work."),
    )


class FindingsForm(forms.Form):
    findings = forms.CharField(
        label=_("Findings"), required=False, strip=False, max_length=MAX_FINDINGS, widget=forms.Textarea(attrs={"rows": 5})
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("", "---------"), *Decision.choices], required=False)
    findings = forms.CharField(
        label=_("Findings"), required=False, strip=False, max_length=MAX_FINDINGS, widget=forms.Textarea(attrs={"rows": 5})
    )
    action_taken = forms.CharField(
        label=_("Action taken against the employee"),
        required=False,
        strip=False,
        max_length=MAX_ACTION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the report is substantiated."),
    )
