"""Admins see what went out, what failed and why, and can send again."""
from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Notification
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
        "error_display",
    )
    list_filter = ("state", "channel", "template", "customer_facing", "language")
    search_fields = ("key", "recipient__username", "recipient__last_name", "recipient__first_name", "to_email", "to_phone")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient", "ticket")
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
    )
    fieldsets = (
        (None, {"fields": ("key", "channel", "template", "state", "recipient", "to_email", "to_phone", "ticket")}),
        (_("Delivery"), {"fields": ("attempts", "next_attempt_at", "claimed_until", "sent_at", "last_error", "provider_id")}),
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
        if obj.channel == Notification.Channel.SMS:
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
