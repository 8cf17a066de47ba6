"""Admins read every mail that came in, what became of it and its raw message;
nothing here is typed by hand (intake writes the rows)."""
from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .mail_in.intake import inbound_mail_retry
from .models import InboundMail, MailState


@admin.register(InboundMail)
class InboundMailAdmin(admin.ModelAdmin):
    list_display = ("received_at", "state", "reason", "from_address", "subject_short", "ticket", "mailbox")
    # Each filter has its index (InboundMail.Meta.indexes).
    list_filter = ("state", "reason", "mailbox")
    date_hierarchy = "received_at"
    search_fields = ("=from_address", "=message_id", "subject")
    list_select_related = ("ticket",)
    show_full_result_count = False
    list_per_page = 50
    actions = ["process_again"]
    readonly_fields = (
        "message_id", "mailbox", "uid", "from_address", "from_name", "to_address", "subject", "size",
        "received_at", "processed_at", "state", "reason", "detail", "attempts", "ticket", "comment",
        "handled_by", "attachments_display", "raw_link", "text",
    )
    fieldsets = (
        (None, {"fields": ("state", "reason", "detail", "ticket", "comment", "handled_by")}),
        (_("Message"), {"fields": ("from_name", "from_address", "to_address", "subject", "text", "attachments_display")}),
        (_("Receipt"), {"fields": ("message_id", "mailbox", "uid", "size", "received_at", "processed_at", "attempts", "raw_link")}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list:
        raw = path("<int:pk>/raw/", self.admin_site.admin_view(self.raw_view), name="conversations_inboundmail_raw")
        return [raw, *super().get_urls()]

    def raw_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The message as it arrived (.eml), for whoever may view these rows."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        mail = get_object_or_404(InboundMail, pk=pk)
        return FileResponse(
            mail.raw.open("rb"), as_attachment=True, filename=f"mail-{mail.pk}.eml", content_type="message/rfc822"
        )

    @admin.display(description=_("subject"))
    def subject_short(self, obj: InboundMail) -> str:
        return Truncator(obj.subject).chars(60)

    @admin.display(description=_("raw message"))
    def raw_link(self, obj: InboundMail) -> str:
        url = reverse("admin:conversations_inboundmail_raw", args=[obj.pk])
        return format_html('<a href="{}">{}</a> ({} bytes)', url, _("Download the message (.eml)"), obj.size)

    @admin.display(description=_("attachments"))
    def attachments_display(self, obj: InboundMail) -> str:
        if not obj.attachments:
            return "—"
        items = format_html_join(
            "",
            "<li>{} ({} bytes){}</li>",
            ((a.get("name"), a.get("size"), f": {a['refused']}" if a.get("refused") else "") for a in obj.attachments),
        )
        return format_html("<ul>{}</ul>", items)

    @admin.action(description=_("Process again (failed mail)"), permissions=["view"])
    def process_again(self, request: HttpRequest, queryset: QuerySet[InboundMail]) -> None:
        done = [inbound_mail_retry(mail=mail) for mail in queryset.filter(state=MailState.FAILED)]
        still = sum(1 for mail in done if mail.state == MailState.FAILED)
        self.message_user(
            request,
            ngettext("%(n)d mail processed again.", "%(n)d mails processed again.", len(done)) % {"n": len(done)},
            messages.WARNING if still else messages.SUCCESS,
        )
