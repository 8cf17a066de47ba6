"""Forms of the desk. They parse and check the shape of the input; every rule
lives in desk.services, whose refusals the views show on these forms."""
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from helpdesk.accounts.models import Department, User
from helpdesk.core.input_bounds import MAX_ID
from tickets.forms.common import YES_NO_CHOICES
from tickets.forms.people import PersonChoiceField
from tickets.models import SymptomQuestion
from tickets.selectors import assignable_staff

from .models import ConsentHow, IdentityMethod

PHONE_ERROR = _("Enter a phone number we can call, such as 010-1234-5678 or 052-203-0656.")


def _phone_field(label: Any, *, required: bool, help_text: Any = "") -> PhoneNumberField:
    return PhoneNumberField(
        label=label,
        region="KR",
        required=required,
        help_text=help_text,
        error_messages={"invalid": PHONE_ERROR, "required": _("Enter the number to call back.")},
        widget=forms.TextInput(attrs={"placeholder": "010-1234-5678", "inputmode": "tel"}),
    )


def _departments() -> Any:
    return Department.objects.select_related("division")


class HandlerField(PersonChoiceField):
    """Staff with their team, found by name; those away today are marked with their backup (OV5)."""


# --- Phone calls ----------------------------------------------------------------------


class CallStartForm(forms.Form):
    """PH1: the call is answered. Rings or seconds, and who is calling if known."""

    rings = forms.IntegerField(
        label=_("Rings before answering"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("The charter promises an answer before the third ring."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    seconds_to_answer = forms.IntegerField(
        label=_("or seconds to answer"), required=False, min_value=0, max_value=3600,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    caller = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    caller_number = _phone_field(_("Caller's number"), required=False)
    caller_name = forms.CharField(label=_("Caller's name"), required=False, max_length=100)
    caller_department = forms.ModelChoiceField(
        label=_("Caller's department"), required=False, queryset=_departments()
    )

    def __init__(self, *args: Any, caller: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.caller = caller

    def clean_caller(self) -> int | None:
        value = self.cleaned_data.get("caller")
        if value is not None and (self.caller is None or self.caller.pk != value):
            raise forms.ValidationError(_("That employee was not found; look them up again or type the details."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        measured = cleaned.get("rings") is not None or cleaned.get("seconds_to_answer") is not None
        if not measured and not (self.has_error("rings") or self.has_error("seconds_to_answer")):
            self.add_error("rings", _("Enter how many rings, or how many seconds, before you answered."))
        return cleaned


class CallerForm(forms.Form):
    """Who is calling, once the agent knows (CC2)."""

    caller = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    caller_name = forms.CharField(label=_("Caller's name"), required=False, max_length=100)
    caller_department = forms.ModelChoiceField(label=_("Caller's department"), required=False, queryset=_departments())
    caller_number = _phone_field(_("Caller's number"), required=False)


class AttachForm(forms.Form):
    ticket = forms.IntegerField(
        label=_("Ticket number"), min_value=1, max_value=MAX_ID, widget=forms.NumberInput(attrs={"placeholder": "123", "inputmode": "numeric"})
    )


class TransferForm(forms.Form):
    """PH2: the named handler the call goes to, and what it is about."""

    to = HandlerField(label=_("Transfer to"), queryset=User.objects.none())
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = assignable_staff(user)
        self.fields["to"].widget.team_id = user.team_id


class CallbackMemoForm(forms.Form):
    """PH3: the caller's department, name, phone and matter; who calls back."""

    handler = HandlerField(label=_("Handler who calls back"), queryset=User.objects.none())
    caller_name = forms.CharField(label=_("Caller's name"), max_length=100, required=False)
    department = forms.ModelChoiceField(label=_("Caller's department"), required=False, queryset=_departments())
    phone = _phone_field(_("Number to call back"), required=False)
    matter = forms.CharField(
        label=_("Matter"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    caller = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = assignable_staff(user)
        self.fields["handler"].widget.team_id = user.team_id


class CallbackCloseForm(forms.Form):
    note = forms.CharField(
        label=_("What was said on the callback"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Walk-ins ---------------------------------------------------------------------------


class WalkInForm(forms.Form):
    """OV2: the visitor, their department and matter, and the handler they need."""

    visitor = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    visitor_name = forms.CharField(label=_("Visitor's name"), max_length=100, required=False)
    department = forms.ModelChoiceField(label=_("Visitor's department"), required=False, queryset=_departments())
    matter = forms.CharField(label=_("Matter"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    handler = HandlerField(label=_("Handler"), queryset=User.objects.none())
    ticket = forms.IntegerField(
        label=_("Ticket number (if any)"), required=False, min_value=1, max_value=MAX_ID,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = assignable_staff(user)
        self.fields["handler"].widget.team_id = user.team_id


# --- The fault gates ---------------------------------------------------------------------


class IdentityForm(forms.Form):
    """MT3: how the reporter's identity was confirmed."""

    method = forms.ChoiceField(
        label=_("How was it checked?"),
        choices=[c for c in IdentityMethod.choices if c[0] != IdentityMethod.SIGNED_IN],
        widget=forms.RadioSelect,
    )
    employee_no = forms.CharField(
        label=_("Employee number given"), required=False, max_length=20,
        help_text=_("For 'employee number and phone': compared with the registered details."),
    )
    phone = forms.CharField(
        label=_("Phone number given"), required=False, max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "010-1234-5678", "inputmode": "tel"}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


def question_field(question: SymptomQuestion) -> forms.Field:
    """A symptom question as a form field; the agent may leave it for later unless required."""
    common: dict[str, Any] = {"label": question.label, "required": False}
    if question.answer_type == SymptomQuestion.AnswerType.YES_NO:
        return forms.ChoiceField(choices=[("", "—"), *YES_NO_CHOICES], widget=forms.RadioSelect, **common)
    if question.answer_type == SymptomQuestion.AnswerType.CHOICE:
        return forms.ChoiceField(choices=[("", "---------")] + [(c, c) for c in question.choice_list], **common)
    return forms.CharField(max_length=500, **common)


class SymptomForm(forms.Form):
    """MT3: the category's questions, filled in by the agent during the call."""

    def __init__(self, *args: Any, questions: list[SymptomQuestion], answers: list[dict[str, Any]], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        given = {a.get("question_id"): a.get("answer", "") for a in answers or []}
        for question in questions:
            kwargs["initial"].setdefault(f"q_{question.pk}", given.get(question.pk, ""))
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            field = question_field(question)
            if question.required:
                field.label = f"{question.label} *"
            self.fields[f"q_{question.pk}"] = field

    def answers(self) -> dict[int, str]:
        return {q.pk: str(self.cleaned_data.get(f"q_{q.pk}") or "") for q in self.questions}


class DurationUnit:
    MINUTES = "minutes"
    HOURS = "hours"
    CHOICES = [(MINUTES, _("minutes")), (HOURS, _("business hours"))]


class DiagnosisForm(forms.Form):
    """MT4: the findings and the expected duration of the main work."""

    findings = forms.CharField(
        label=_("Diagnosis"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What is wrong and what the repair will be; the customer reads this."),
    )
    duration = forms.DecimalField(
        label=_("Expected duration"), required=False, min_value=0, max_digits=6, decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=DurationUnit.CHOICES, initial=DurationUnit.MINUTES)
    ask_consent = forms.BooleanField(
        label=_("Ask the customer's consent now"), required=False, initial=True,
        help_text=_("They are told the diagnosis and the duration and can agree in the portal."),
    )

    def expected_minutes(self) -> int | None:
        value = self.cleaned_data.get("duration")
        if value is None:
            return None
        minutes = value * 60 if self.cleaned_data.get("unit") == DurationUnit.HOURS else value
        return int(round(minutes))


class ConsentRecordForm(forms.Form):
    """MT4: the customer agreed by phone or in person."""

    given_by = forms.CharField(label=_("Agreed by"), max_length=100, required=False)
    how = forms.ChoiceField(
        label=_("How"),
        choices=[c for c in ConsentHow.choices if c[0] != ConsentHow.PORTAL],
        widget=forms.RadioSelect,
        initial=ConsentHow.PHONE,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
