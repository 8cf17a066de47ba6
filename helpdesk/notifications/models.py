"""The notification outbox: one row per message per channel.

A row is written in the same transaction as the change that causes it, so a
rolled-back change never notifies anyone and a committed one is never lost.
Delivery and its guarantees are described in `services.py`.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    IN_APP = "in_app", _("In-app")


class NotificationState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (will retry)")
    DEAD = "dead", _("Gave up")
    HELD = "held", _("Held (quiet hours)")
    # No longer true before it went out (e.g. "please agree" once the customer
    # agreed by phone): never sent, never retried.
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The states a sweep may pick up once next_attempt_at has come.
WAITING_STATES = (NotificationState.PENDING, NotificationState.FAILED, NotificationState.HELD)


class Notification(models.Model):
    Channel = NotificationChannel
    State = NotificationState

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
        db_index=False,  # notif_recipient_idx leads with it
        help_text=_("Empty for customers reached at the desk who have no account."),
    )
    to_email = models.EmailField(_("e-mail address"), blank=True)
    to_phone = models.CharField(_("phone number"), max_length=30, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=NotificationChannel.choices)
    template = models.CharField(_("template"), max_length=100)
    # Ids and strings only: the row is rendered later, maybe by another process,
    # in the recipient's language, so it must not hold model instances.
    context = models.JSONField(_("context"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=5, default="ko")
    customer_facing = models.BooleanField(
        _("to a customer"), default=False, help_text=_("Customer SMS waits out the quiet hours.")
    )
    # Unique through Meta.constraints rather than unique=True, which on
    # PostgreSQL also builds a varchar_pattern_ops index for LIKE: the key is
    # only ever matched whole, and every outbox insert would pay for it.
    key = models.CharField(_("idempotency key"), max_length=255)
    state = models.CharField(
        _("state"), max_length=10, choices=NotificationState.choices, default=NotificationState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Set while the row waits to be sent (pending, failed, held), empty once sent or given up.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # A lease, not a lock: a worker that dies mid-delivery leaves a row in
    # 'sending' that the sweep takes back once this moment has passed.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("text sent"), blank=True)
    provider_id = models.CharField(_("provider message id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("ticket"),
        db_index=False,  # notif_ticket_idx leads with it
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["key"], name="notif_key_unique")]
        indexes = [
            # The retry sweep reads only rows still to send whose moment has come.
            # Sent and dead rows (nearly all of the table) have no next attempt,
            # so they are not in the index; "IS NOT NULL" rather than a state
            # list because both SQLite and PostgreSQL see that `<= now` implies
            # it and use the index.
            models.Index(
                fields=["next_attempt_at"],
                name="notif_due_idx",
                condition=Q(next_attempt_at__isnull=False),
            ),
            # Leases of crashed workers, taken back by the sweep.
            models.Index(fields=["claimed_until"], name="notif_sending_idx", condition=Q(state="sending")),
            # The bell: one index-only count per page.
            models.Index(
                fields=["recipient"],
                name="notif_unread_idx",
                condition=Q(channel="in_app", state="sent", read_at__isnull=True),
            ),
            models.Index(fields=["recipient", "channel", "-created_at"], name="notif_recipient_idx"),
            models.Index(fields=["ticket", "-created_at"], name="notif_ticket_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.channel}, {self.state})"

    @property
    def address(self) -> str:
        if self.channel == NotificationChannel.EMAIL:
            return self.to_email
        if self.channel == NotificationChannel.SMS:
            return self.to_phone
        return str(self.recipient) if self.recipient_id else ""

    @property
    def link(self) -> str:
        return str((self.context or {}).get("link", ""))
