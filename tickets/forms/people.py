"""Choosing a person of staff without listing them all.

A department of 300 engineers made every page that offered "assign to" or
"handler" draw 300 options (the staff query, each person's phone number
parsed, every option rendered): the page grew with the staff, not with the
work. `PersonChoiceField` validates against the whole queryset (one query
for the chosen id), but its widget draws only the person already chosen; the
rest arrive from `staff:people` (tickets.views.people) when the select comes
into view (the ticket's team first) or as the user types a name.
"""
from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.http import urlencode

from helpdesk.accounts.models import User
from helpdesk.core.input_bounds import id_param


def person_label(user: User) -> str:
    return f"{user.display_name} ({user.team.name})" if user.team_id else user.display_name


class PersonSelect(forms.Select):
    """A select holding only the chosen person, with a search box that fills it."""

    template_name = "components/person_select.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.known: list[tuple[str, str]] = []
        self.blank_label = ""
        self.team_id: int | None = None
        self.load_on_view = False

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        # Never the field's queryset: only the blank choice and the person already chosen.
        chosen = next((v for v in value if v not in ("", None)), None)
        if chosen is not None and all(str(chosen) != k for k, _label in self.known):
            # An initial id nobody labelled (the caller did not hand over the loaded person).
            pk = id_param(str(chosen))
            person = User.objects.filter(pk=pk).select_related("team").first() if pk is not None else None
            if person is not None:
                self.known = [(str(person.pk), person_label(person))]
        self.choices = ([("", self.blank_label)] if self.blank_label else []) + self.known
        return super().optgroups(name, value, attrs)

    def use_required_attribute(self, initial: Any) -> bool:
        # Select's own answer reads the first choice, which would run the field's
        # whole queryset; a required picker has no blank choice to tell apart.
        return not self.is_hidden

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        query = {"field": name}
        if self.team_id:
            query["team"] = str(self.team_id)
        if self.blank_label:
            query["blank"] = str(self.blank_label)
        context["widget"]["options_url"] = f"{reverse('staff:people')}?{urlencode(query)}"
        context["widget"]["load_on_view"] = self.load_on_view
        return context


class PersonChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField over staff drawn by `PersonSelect`."""

    widget = PersonSelect

    def __init__(self, *args: Any, blank_label: str = "", load_on_view: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", None)
        super().__init__(*args, **kwargs)
        self.widget.blank_label = blank_label
        self.widget.load_on_view = load_on_view

    def known_set(self, person: User | None) -> None:
        """The person the select shows as chosen (already loaded by the caller)."""
        self.widget.known = [(str(person.pk), person_label(person))] if person is not None else []

    def to_python(self, value: Any) -> User | None:
        person = super().to_python(value)
        if person is not None:
            self.known_set(person)
        return person
