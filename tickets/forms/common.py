"""Form pieces the portal and the staff side share."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

YES = "yes"
NO = "no"
# Yes/no answers are stored as "yes"/"no", never as a word in one language.
YES_NO_CHOICES = [(YES, _("Yes")), (NO, _("No"))]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none were chosen)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single_clean = super().clean
        if isinstance(data, (list, tuple)):
            return [single_clean(item, initial) for item in data if item]
        return [single_clean(data, initial)] if data else []


def answer_display(answer: Mapping[str, Any]) -> str:
    """A stored yes/no answer reads in the reader's language; anything else as typed."""
    value = str(answer.get("answer", ""))
    return str(dict(YES_NO_CHOICES).get(value, value))
