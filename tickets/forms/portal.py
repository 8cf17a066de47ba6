"""Forms of the customer portal: reporting a fault, commenting, and the customer's lifecycle actions.

Forms only parse and check the shape of the input; every rule about what may
be filed or changed lives in tickets.services (a refusal from there is shown as
a form error by the view).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from helpdesk.accounts.models import User

from ..models import Asset, AssetType, FaultCategory, SymptomQuestion
from .common import YES_NO_CHOICES, MultipleFileField

OTHER_ASSET = "other"
QUESTION_PREFIX = "q_"
# The hidden input that says which category's questions the page showed; it
# lets the form notice, without JavaScript, that the category changed on submit.
QUESTIONS_FOR = "questions_for"


def _question_field(question: SymptomQuestion) -> forms.Field:
    common: dict[str, Any] = {"label": question.label, "required": question.required}
    if question.answer_type == SymptomQuestion.AnswerType.YES_NO:
        return forms.ChoiceField(choices=YES_NO_CHOICES, widget=forms.RadioSelect, **common)
    if question.answer_type == SymptomQuestion.AnswerType.CHOICE:
        options = [(c, c) for c in question.choice_list]
        # Radios are easier to tap on a phone; a long list reads better as a select.
        widget: forms.Widget = forms.RadioSelect if len(options) <= 5 else forms.Select
        if widget is forms.Select:
            options = [("", "---------")] + options
        return forms.ChoiceField(choices=options, widget=widget, **common)
    return forms.CharField(max_length=500, **common)


class FaultReportForm(forms.Form):
    """장애 신고. The reporter's name and department come from the account (CC2),
    so the form does not ask for them."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. My PC does not turn on")}),
    )
    description = forms.CharField(
        label=_("What happened?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("When it started, what you see on the screen, what you already tried."),
    )
    asset = forms.ChoiceField(label=_("Equipment"))
    asset_other = forms.CharField(
        label=_("Other equipment"),
        max_length=200,
        required=False,
        help_text=_("If the equipment is not in the list: its type, model and where it is."),
    )
    category = forms.ModelChoiceField(
        label=_("Kind of fault"),
        queryset=FaultCategory.objects.none(),
        required=False,
        empty_label=_("I am not sure"),
    )
    contact_phone = PhoneNumberField(
        label=_("Contact phone"),
        region="KR",
        error_messages={"invalid": _("Enter a phone number we can call, such as 010-1234-5678.")},
        help_text=_("The engineer calls or texts this number about the repair."),
    )
    attachments = MultipleFileField(
        label=_("Photos or files"),
        required=False,
        help_text=_("Optional: a photo of the error message helps. You can choose several files."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        source: Mapping[str, Any] = self.data if self.is_bound else self.initial
        self.assets: dict[str, Asset] = {
            str(a.pk): a for a in Asset.objects.filter(owner=user).order_by("tag")
        }
        self.fields["asset"].choices = (
            [("", _("Choose the equipment"))]
            + [(pk, str(a)) for pk, a in self.assets.items()]
            + [(OTHER_ASSET, _("Other equipment (describe it below)"))]
        )
        if not self.is_bound and "asset" not in self.initial and len(self.assets) == 1:
            # Most people have one PC: choose it for them.
            self.initial = {**self.initial, "asset": next(iter(self.assets))}
            source = self.initial
        self.selected_asset: Asset | None = self.assets.get(str(source.get("asset") or ""))
        # htmx reloads the fault kinds and questions in place; without JavaScript
        # the page still works (see clean() and the view's refresh button).
        live = {
            "hx-get": reverse_lazy("portal:ticket_new_fields"),
            "hx-target": "#fault-fields",
            "hx-include": "#id_asset, #fault-fields",
            "hx-trigger": "change",
        }
        self.fields["asset"].widget.attrs.update(live)
        self.fields["category"].widget.attrs.update(live)

        active = list(FaultCategory.objects.filter(active=True))
        category_field = self.fields["category"]
        # Any active category validates, so that a category for another type of
        # equipment reaches the service and gets its clear refusal.
        category_field.queryset = FaultCategory.objects.filter(active=True)
        category_field.choices = self._category_choices(active)
        chosen = str(source.get("category") or "")
        self.category_obj: FaultCategory | None = next((c for c in active if str(c.pk) == chosen), None)
        self.questions: list[SymptomQuestion] = []
        if self.category_obj is not None and not self._fits(self.category_obj):
            if not self.is_bound:
                # The equipment changed (htmx or the no-JS refresh): a stale category goes.
                self.initial = {**self.initial, "category": ""}
            # Bound, it goes on to ticket_create, which refuses it with a clear reason;
            # its questions would only add errors about a category that cannot be used.
            self.category_obj = None
        elif self.category_obj is not None:
            self.questions = list(self.category_obj.questions.all())
        for question in self.questions:
            self.fields[f"{QUESTION_PREFIX}{question.pk}"] = _question_field(question)

    def _fits(self, category: FaultCategory) -> bool:
        return self.selected_asset is None or category.asset_type == self.selected_asset.asset_type

    def _category_choices(self, active: list[FaultCategory]) -> list[Any]:
        empty = [("", self.fields["category"].empty_label)]
        if self.selected_asset is not None:
            return empty + [(c.pk, c.label) for c in active if self._fits(c)]
        # No equipment chosen yet, or "other equipment": every category, grouped by the
        # equipment it is for. Each option names its equipment too: desktops and laptops
        # share most kinds of fault, and no two options should read the same.
        groups: dict[str, list[tuple[int, str]]] = {}
        labels = dict(AssetType.choices)
        for c in active:
            groups.setdefault(c.asset_type, []).append((c.pk, f"{c.label} ({labels.get(c.asset_type, c.asset_type)})"))
        return empty + [(labels.get(t, t), options) for t, options in groups.items()]

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"{QUESTION_PREFIX}{q.pk}"] for q in self.questions]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("asset") == OTHER_ASSET and not (cleaned.get("asset_other") or "").strip():
            self.add_error("asset_other", _("Describe the equipment: its type, model and where it is."))
        category = cleaned.get("category")
        shown = str(self.data.get(QUESTIONS_FOR, ""))
        if category is not None and str(category.pk) != shown and any(q.required for q in self.questions):
            # Without JavaScript the questions of a newly chosen category were
            # never on the page: show them now instead of complaining they are empty.
            for field in self.question_fields:
                self._errors.pop(field.name, None)
            raise forms.ValidationError(
                _("This kind of fault has a few questions (below). Please answer them and send the report again."),
                code="questions_shown",
            )
        return cleaned

    @property
    def asset_obj(self) -> Asset | None:
        return self.assets.get(self.cleaned_data.get("asset", ""))

    def symptom_answers(self) -> list[dict[str, Any]]:
        """MT3: the answers as stored on the ticket, the question as it was asked."""
        answers = []
        for question in self.questions:
            value = self.cleaned_data.get(f"{QUESTION_PREFIX}{question.pk}", "")
            if value in ("", None):
                continue
            answers.append({"question_id": question.pk, "question": question.text, "answer": value})
        return answers


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachments = MultipleFileField(label=_("Photos or files"), required=False)


class ActionForm(forms.Form):
    """One of the customer's lifecycle moves; the service decides whether it is allowed now."""

    action = forms.CharField(max_length=30, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Reason"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
