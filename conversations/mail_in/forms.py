"""The desk's forms for a mail waiting for it: file a ticket from it, or set it aside."""
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helpdesk.accounts.models import Department, User


class FileTicketForm(forms.Form):
    """Who reported it and what it is called; prefilled from the mail and the
    accounts that have its sender's address (mail_prefill)."""

    reporter = forms.ModelChoiceField(
        label=_("Reporter's account"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No account: the name and department below"),
    )
    reporter_department = forms.ModelChoiceField(
        label=_("Reporter's department"), queryset=Department.objects.select_related("division")
    )
    reporter_name = forms.CharField(label=_("Reporter's name"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=200)

    def __init__(self, *args: Any, accounts: list[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accounts = accounts or []
        self.fields["reporter"].queryset = User.objects.filter(pk__in=[u.pk for u in accounts])
        self.fields["reporter"].label_from_instance = lambda u: (
            f"{u.display_name} ({u.department.name})" if u.department_id else u.display_name
        )
        if not accounts:
            self.fields["reporter"].widget = forms.HiddenInput()


class SetAsideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it needs no ticket"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: advertising, a thank-you, the same request already filed."),
    )


def mail_prefill(*, subject_title: str, from_name: str, accounts: list[User]) -> dict[str, Any]:
    """The file-a-ticket form's starting values: the one account with the address
    (its name and department), else the name the mail gave."""
    initial: dict[str, Any] = {"title": subject_title, "reporter_name": from_name}
    if len(accounts) == 1:
        account = accounts[0]
        initial.update(reporter=account.pk, reporter_name=account.display_name, reporter_department=account.department_id)
    return initial
