"""Admins see what went out, what failed and why, and can send again; they set
the limits on people's notice choices and the KakaoTalk AlimTalk templates."""
from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .kinds import CUSTOMER, KINDS, kind_choices, kind_get, kinds_of
from .models import KakaoTemplate, NoticePreference, NoticeRule, Notification
from .services import notification_retry_now


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "channel",
        "state",
        "template",
        "recipient",
        "address_display",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "sent_via",
        "error_display",
    )
    # The states include "waiting for the daily digest" and "sent in a daily
    # digest"; the channels KakaoTalk, whose rows say what carried them (sent_via).
    list_filter = ("state", "channel", "sent_via", "template", "customer_facing", "language")
    search_fields = ("key", "recipient__username", "recipient__last_name", "recipient__first_name", "to_email", "to_phone")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient", "ticket", "digest", "kakao_template")
    date_hierarchy = None
    # COUNT(*) over a large outbox on every page is wasted work.
    show_full_result_count = False
    list_per_page = 50
    actions = ["retry_now"]
    readonly_fields = (
        "key",
        "channel",
        "template",
        "context",
        "language",
        "customer_facing",
        "state",
        "attempts",
        "next_attempt_at",
        "claimed_until",
        "sent_at",
        "last_error",
        "subject",
        "body",
        "provider_id",
        "created_at",
        "read_at",
        "digest",
        "kakao_template",
        "sent_via",
    )
    fieldsets = (
        (None, {"fields": ("key", "channel", "template", "state", "recipient", "to_email", "to_phone", "ticket")}),
        (
            _("Delivery"),
            {
                "fields": (
                    "attempts", "next_attempt_at", "claimed_until", "sent_at", "last_error", "provider_id",
                    "sent_via", "kakao_template", "digest",
                )
            },
        ),
        (_("Content"), {"fields": ("language", "customer_facing", "context", "subject", "body", "read_at")}),
        (None, {"fields": ("created_at",)}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Rows come from notify() with their idempotency key, never typed by hand.
        return False

    @admin.display(description=_("address"))
    def address_display(self, obj: Notification) -> str:
        if obj.channel == Notification.Channel.EMAIL:
            return obj.to_email
        if obj.channel in (Notification.Channel.SMS, Notification.Channel.KAKAO):
            return obj.to_phone
        return "—"

    @admin.display(description=_("last error"))
    def error_display(self, obj: Notification) -> str:
        return Truncator(obj.last_error).chars(80)

    @admin.action(description=_("Retry now"), permissions=["change"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = notification_retry_now(notification_ids=queryset.values_list("pk", flat=True), actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d notification queued again.", "%(count)d notifications queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


# --- limits and templates -----------------------------------------------------------


class NoticeRuleForm(forms.ModelForm):
    class Meta:
        model = NoticeRule
        fields = ("kind", "email", "sms", "kakao", "may_turn_off", "reason")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only kinds people may turn off take a rule: the others are always sent by every channel.
        self.fields["kind"] = forms.ChoiceField(
            label=_("kind of notice"), choices=kind_choices(k for k in KINDS if k.may_turn_off)
        )


@admin.register(NoticeRule)
class NoticeRuleAdmin(SimpleHistoryAdmin):
    form = NoticeRuleForm
    list_display = ("kind_display", "email", "sms", "kakao", "may_turn_off", "reason", "updated_at")
    list_display_links = ("kind_display",)

    @admin.display(description=_("kind of notice"), ordering="kind")
    def kind_display(self, obj: NoticeRule) -> str:
        return str(dict(kind_choices()).get(obj.kind, obj.kind))


class KakaoTemplateForm(forms.ModelForm):
    class Meta:
        model = KakaoTemplate
        fields = ("name", "kind", "template", "template_id", "pf_id", "content", "variables", "active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label=_("kind of notice"),
            required=False,
            choices=[("", "—"), *kind_choices(kinds_of(CUSTOMER))],
            help_text=_("AlimTalk reaches customers only."),
        )


@admin.register(KakaoTemplate)
class KakaoTemplateAdmin(SimpleHistoryAdmin):
    form = KakaoTemplateForm
    list_display = ("name", "kind_display", "template", "template_id", "pf_id", "active", "updated_at")
    list_filter = ("active",)
    search_fields = ("name", "template", "template_id", "content")

    @admin.display(description=_("kind of notice"), ordering="kind")
    def kind_display(self, obj: KakaoTemplate) -> str:
        kind = kind_get(obj.kind) if obj.kind else None
        return str(kind.label) if kind else "—"


@admin.register(NoticePreference)
class NoticePreferenceAdmin(SimpleHistoryAdmin):
    """People's own choices, to look at (and their history): they change them on
    their settings page, within the rules above."""

    list_display = ("user", "kind", "channel", "enabled", "updated_at")
    list_filter = ("kind", "channel", "enabled")
    search_fields = ("user__username", "user__last_name", "user__first_name")
    list_select_related = ("user",)
    readonly_fields = ("user", "kind", "channel", "enabled", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
