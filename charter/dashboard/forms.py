"""The dashboard's filters (team, period) and the root-cause form (MT5).

A filter never fails the page: a value that is not one of the choices falls
back to its default, and the view shows a notice saying so."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpdesk.accounts.models import Team
from helpdesk.core.input_bounds import id_param

from .selectors import DEFAULT_PERIOD, PERIODS, Filters


class FilterForm(forms.Form):
    team = forms.TypedChoiceField(label=gettext_lazy("Team"), required=False, coerce=int, empty_value=None)
    period = forms.TypedChoiceField(
        label=gettext_lazy("Period"), required=False, coerce=int, empty_value=DEFAULT_PERIOD, initial=DEFAULT_PERIOD
    )

    def __init__(self, *args: Any, teams: Sequence[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", gettext_lazy("All my teams"))] + [(str(t.pk), t.name) for t in teams]
        self.fields["period"].choices = [(str(p), gettext_lazy("Last %(days)s days") % {"days": p}) for p in PERIODS]


def filters_parse(data: Mapping[str, Any], teams: Sequence[Team]) -> tuple[Filters, FilterForm, list[str]]:
    """Filters from the query string; anything not understood is reset with a notice."""
    form = FilterForm(data or None, teams=teams)
    notices: list[str] = []
    team: int | None = None
    period = DEFAULT_PERIOD
    if form.is_bound:
        form.is_valid()
        cleaned = getattr(form, "cleaned_data", {})
        if "team" in form.errors:
            notices.append(_("The team filter was not one of your teams; all your teams are shown."))
        else:
            team = cleaned.get("team")
        if "period" in form.errors:
            notices.append(
                _("The period must be one of %(choices)s days; the last %(days)s days are shown.")
                % {"choices": ", ".join(str(p) for p in PERIODS), "days": DEFAULT_PERIOD}
            )
        else:
            period = cleaned.get("period") or DEFAULT_PERIOD
    filters = Filters(team=team, period=period)
    # The form shown again holds what is in force, never the rejected value.
    shown = FilterForm(initial={"team": team or "", "period": period}, teams=teams)
    return filters, shown, notices


def int_param(data: Mapping[str, Any], name: str) -> int | None:
    """A positive whole number from the query string, or None (never an error)."""
    return id_param(data.get(name))


class RootCauseForm(forms.Form):
    """MT5: why it kept failing, what was done, how it is kept from coming back."""

    cause = forms.CharField(
        label=gettext_lazy("Root cause"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )
    action_taken = forms.CharField(
        label=gettext_lazy("Action taken"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )
    prevention = forms.CharField(
        label=gettext_lazy("Prevention"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )
