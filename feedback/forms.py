"""Forms of the feedback pages: they parse what was typed; the services decide."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from helpdesk.accounts.models import Department

from .models import FeedbackChannel, FeedbackKind

BODY_ATTRS = {"rows": 5, "maxlength": 4000}
YES_NO = [("", _("Not decided yet")), ("yes", _("Yes")), ("no", _("No"))]


class CustomerFeedbackForm(forms.Form):
    kind = forms.ChoiceField(label=_("What would you like to tell us?"), choices=FeedbackKind.choices, widget=forms.RadioSelect)
    body = forms.CharField(label=_("Your words"), widget=forms.Textarea(attrs=BODY_ATTRS), required=False)
    ticket = forms.TypedChoiceField(label=_("About a request (optional)"), required=False, coerce=int, empty_value=None)
    employee = forms.TypedChoiceField(
        label=_("Employee (optional for a complaint, needed for a commendation)"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    attachment = forms.FileField(label=_("Attachment (optional)"), required=False)

    def __init__(self, *args, tickets=(), people=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ticket"].choices = [("", _("None"))] + [(t.pk, f"{t.number} {t.title}") for t in tickets]
        self.fields["employee"].choices = [("", _("No one in particular"))] + [
            (p.pk, f"{p.display_name} ({p.team.name if p.team_id else ''})") for p in people
        ]


DESK_CHANNELS = [c for c in FeedbackChannel.choices if c[0] != FeedbackChannel.PORTAL]


class DeskFeedbackForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FeedbackKind.choices, widget=forms.RadioSelect)
    channel = forms.ChoiceField(label=_("Received by"), choices=DESK_CHANNELS)
    customer_no = forms.CharField(
        label=_("Customer's employee number"),
        required=False,
        max_length=20,
        help_text=_("When the customer has an account; otherwise give the name and department."),
    )
    customer_name = forms.CharField(label=_("Customer's name"), required=False, max_length=100)
    customer_department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.order_by("name"), required=False
    )
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=30)
    ticket = forms.CharField(label=_("Request number (optional)"), required=False, max_length=20)
    employee_no = forms.CharField(label=_("Employee number of the person named (optional)"), required=False, max_length=20)
    body = forms.CharField(label=_("What the customer said"), widget=forms.Textarea(attrs=BODY_ATTRS), required=False)
    attachment = forms.FileField(label=_("Scan of the letter (optional)"), required=False)


class ReviewForm(forms.Form):
    review_note = forms.CharField(label=_("Review note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReflectionFields(forms.Form):
    reflected = forms.ChoiceField(label=_("Reflected in the service?"), choices=YES_NO, required=False)
    reflected_what = forms.CharField(label=_("What was changed"), required=False, max_length=300)

    def reflected_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("reflected") or "")


class AnswerForm(ReflectionFields):
    reply = forms.CharField(label=_("Reply to the customer"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class DecideForm(forms.Form):
    upheld = forms.ChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Uphold and assign a service training")), ("no", _("Do not uphold"))],
        widget=forms.RadioSelect,
    )
    training = forms.CharField(label=_("Service training to take"), required=False, max_length=300)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TrainingNoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
