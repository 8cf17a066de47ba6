"""Mail in: every message read from the mail-in mailboxes, and what became of it.

One row per message, written in the same transaction as the ticket or comment
it made (conversations.mail_in.services), and unique by Message-ID: a message
read twice (the poller killed after the commit and before the IMAP flag) finds
its row and is only flagged. The raw message is kept as a file, so whatever the
outcome, nothing that arrived is ever lost.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MailState(models.TextChoices):
    TICKET = "ticket", _("Ticket created")
    COMMENT = "comment", _("Comment added")
    IGNORED = "ignored", _("Ignored")
    REFUSED = "refused", _("Refused")
    WAITING = "waiting", _("Waiting for the desk")
    SET_ASIDE = "set_aside", _("Set aside by the desk")
    FAILED = "failed", _("Failed")


class MailReason(models.TextChoices):
    """Why a message was not simply turned into a ticket or a comment. A code,
    shown in the reader's language; the particulars are in `detail`."""

    AUTO_REPLY = "auto_reply", _("Automatic reply or bulk mail")
    BOUNCE = "bounce", _("Delivery failure report")
    LOOP = "loop", _("One of our own notices")
    OWN_ADDRESS = "own_address", _("Sent from one of our own addresses")
    BAD_TOKEN = "bad_token", _("The reply address is not valid")
    OTHER_SENDER = "other_sender", _("A reply from another address than the one we wrote to")
    NOT_ALLOWED = "not_allowed", _("The sender may not comment on that ticket")
    COMMENT_REFUSED = "comment_refused", _("The ticket did not take the comment")
    TOO_LARGE = "too_large", _("The message is too large")
    UNKNOWN_SENDER = "unknown_sender", _("No user has this address")
    SEVERAL_USERS = "several_users", _("Several users have this address")
    NO_DEPARTMENT = "no_department", _("The sender's account has no department")
    TICKET_REFUSED = "ticket_refused", _("The ticket could not be created")
    SET_ASIDE = "set_aside", _("Set aside by the desk")
    ERROR = "error", _("Processing failed")


def raw_path(instance: InboundMail, filename: str) -> str:
    # By month, so that no folder holds a year's mail.
    received = instance.received_at
    return f"mail_in/{received:%Y/%m}/{filename}"


class InboundMail(models.Model):
    State = MailState
    Reason = MailReason

    mailbox = models.CharField(_("mailbox"), max_length=200, blank=True)
    uid = models.BigIntegerField(_("IMAP UID"), null=True, blank=True)
    # The message's own Message-ID, or "<sha256 of the raw bytes>@raw" when it has
    # none: the key that makes processing happen once.
    message_id = models.CharField(_("Message-ID"), max_length=255)
    from_address = models.CharField(pgettext_lazy("mail", "from"), max_length=254, blank=True)
    from_name = models.CharField(_("sender's name"), max_length=200, blank=True)
    to_address = models.CharField(pgettext_lazy("mail", "to"), max_length=254, blank=True, help_text=_("Our address it was sent to."))
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    text = models.TextField(_("text"), blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    received_at = models.DateTimeField(_("received at"))
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=MailState.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=MailReason.choices, blank=True, default="")
    detail = models.TextField(_("details"), blank=True)
    # [{"name", "size", "content_type", "refused": "<why, translated>" or ""}]
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    raw = models.FileField(_("raw message"), upload_to=raw_path, max_length=200)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_mails",
        verbose_name=_("ticket"),
    )
    comment = models.ForeignKey(
        "tickets.Comment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comment"),
        db_index=False,  # only ever read from the mail's side
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
        db_index=False,  # shown, never searched by
        help_text=_("Who at the desk filed the ticket or set the mail aside."),
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("inbound mail")
        verbose_name_plural = _("inbound mail")
        constraints = [models.UniqueConstraint(fields=["message_id"], name="inmail_message_id_unique")]
        # One index per filter the desk page and the admin offer, each ending in
        # the list's order (newest first).
        indexes = [
            # The desk's page (state = waiting) and the admin's state filter.
            models.Index(fields=["state", "-received_at"], name="inmail_state_idx"),
            models.Index(fields=["reason", "-received_at"], name="inmail_reason_idx"),
            models.Index(fields=["mailbox", "-received_at"], name="inmail_mailbox_idx"),
            models.Index(fields=["from_address", "-received_at"], name="inmail_from_idx"),
            models.Index(fields=["-received_at"], name="inmail_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.subject}"

    @property
    def refused_attachments(self) -> list[dict]:
        return [a for a in self.attachments or [] if a.get("refused")]
