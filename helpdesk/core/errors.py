from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django import forms


class ActionRefused(Exception):
    """A service refused a state change; `message` is translated and shown to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def show_on(self, form: forms.Form, rename: Mapping[str, str] | None = None) -> None:
        """Put the refusal on the form, beside the field it concerns when the form
        has it (`rename` maps the service's argument to the form's field name),
        otherwise at the top; the form is drawn again with what was typed."""
        field = (rename or {}).get(self.field or "", self.field)
        form.add_error(field if field in form.fields else None, self.message)
