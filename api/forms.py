"""The personal tokens page's form: a name and how long the token lives."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

LIFETIMES = (30, 90, 180, 365)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What will use it, e.g. \"group portal\" or \"my monitoring script\"."),
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        choices=[(d, _("%(days)s days") % {"days": d}) for d in LIFETIMES],
        initial=90,
    )
