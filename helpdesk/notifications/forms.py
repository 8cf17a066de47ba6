"""The notice settings form: one checkbox per choice the person may make.

Built from the page (`choices.settings_page`), so a locked choice or a channel
not offered has no field at all: a request that sends one anyway changes
nothing. A checkbox reads only "on" (what a browser sends) or nothing; any
other value is an error shown on the page, and nothing is saved.
"""
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import SettingsPage

DIGEST_FIELD = "digest"


class StrictCheckbox(forms.CheckboxInput):
    """The value as sent, so the field can tell a checkbox from something made up
    (Django's own turns any text into True)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class ChoiceField(forms.Field):
    widget = StrictCheckbox
    default_error_messages = {"invalid": _("This choice could not be read; tick or untick it and save again.")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> bool:
        if value in (None, "", False):
            return False
        if value is True or (isinstance(value, str) and value.lower() in ("on", "true", "1")):
            return True
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class NoticeSettingsForm(forms.Form):
    def __init__(self, *args: Any, page: SettingsPage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page = page
        self.cells = {cell.field: cell for cell in page.choosable()}
        self.codes: dict[str, tuple[str, str]] = {}
        for section in page.sections:
            for row in section.rows:
                for cell in row.cells:
                    if cell.field in self.cells:
                        self.codes[cell.field] = (row.kind.code, cell.channel)
        for name, cell in self.cells.items():
            self.fields[name] = ChoiceField(label=cell.label, initial=cell.on)
        if page.digest_offered:
            self.fields[DIGEST_FIELD] = ChoiceField(label=_("One daily digest instead of single e-mails"),
                                                    initial=page.digest_on)

    def chosen(self) -> dict[tuple[str, str], bool]:
        return {self.codes[name]: bool(self.cleaned_data.get(name)) for name in self.cells}

    def digest_choice(self) -> bool | None:
        return bool(self.cleaned_data.get(DIGEST_FIELD)) if DIGEST_FIELD in self.fields else None

    @property
    def digest_checked(self) -> bool:
        return self.checked(DIGEST_FIELD)

    def checked(self, name: str) -> bool:
        """What the box shows: what was sent when the form comes back with an error."""
        if self.is_bound:
            return self.data.get(name) not in (None, "")
        return bool(self.fields[name].initial) if name in self.fields else False

    def sections(self) -> list[dict[str, Any]]:
        """The page as the template draws it: each kind with its boxes, checked
        as saved, or as sent when the form comes back with an error."""
        drawn = []
        for section in self.page.sections:
            rows = []
            for row in section.rows:
                boxes = [
                    {
                        "name": cell.field,
                        "label": cell.label,
                        "checked": self.checked(cell.field) if cell.field in self.fields else cell.on,
                        "disabled": cell.field not in self.fields,
                        "offered": cell.offered,
                        "errors": self.errors.get(cell.field, []) if self.is_bound else [],
                    }
                    for cell in row.cells
                ]
                rows.append(
                    {
                        "kind": row.kind,
                        "slug": row.kind.code.replace(".", "-").replace("_", "-"),
                        "locked": row.locked,
                        "why": row.why,
                        "boxes": boxes,
                    }
                )
            drawn.append({"audience": section.audience, "rows": rows})
        return drawn
