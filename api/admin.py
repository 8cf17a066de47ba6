"""Service accounts' tokens (the phone system's, a monitoring system's): an
admin picks the system's user, the scopes and the expiry; the secret is shown
once, in the message after saving. People's own tokens are listed here too, to
be revoked when someone leaves."""
from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused

from .models import ApiToken
from .scopes import Scope
from .services import api_token_create, api_token_revoke, token_terms_check


class ServiceTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scopes", "expires_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(is_active=True).order_by("username")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("user") and not self.errors:
            try:
                token_terms_check(
                    user=cleaned["user"], name=cleaned.get("name", ""), expires_at=cleaned.get("expires_at"),
                    scopes=cleaned.get("scopes"), now=timezone.now(),
                )
            except ActionRefused as exc:
                exc.show_on(self)
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "kind", "prefix", "scopes", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("kind",)
    search_fields = ("name", "prefix", "user__username")
    actions = ["revoke"]
    form = ServiceTokenForm

    def get_readonly_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        # A token never changes once made: revoke it and make another.
        return ("user", "name", "kind", "scopes", "prefix", "created_at", "created_by", "expires_at",
                "last_used_at", "revoked_at")

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> list[str]:
        if obj is None:
            return ["user", "name", "scopes", "expires_at"]
        return list(self.get_readonly_fields(request, obj))

    def save_model(self, request: HttpRequest, obj: ApiToken, form: forms.ModelForm, change: bool) -> None:
        if change:
            return
        token, raw = api_token_create(
            user=form.cleaned_data["user"], actor=request.user, name=form.cleaned_data["name"],
            expires_at=form.cleaned_data["expires_at"], scopes=form.cleaned_data["scopes"],
        )
        for field in ApiToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(token, field.attname))
        obj._state.adding = False
        messages.warning(
            request,
            _("The token for %(name)s is %(token)s — copy it now: it is shown only this once.")
            % {"name": token.user.username, "token": raw.text},
        )

    @admin.action(description=gettext_lazy("Revoke the chosen tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, actor=request.user)
