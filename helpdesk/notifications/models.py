"""The notification outbox: one row per message per channel.

A row is written in the same transaction as the change that causes it, so a
rolled-back change never notifies anyone and a committed one is never lost.
Delivery and its guarantees are described in `services.py`.
"""
from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .kinds import CUSTOMER, kind_get


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    IN_APP = "in_app", _("In-app")
    # Customers only, in place of the SMS when an AlimTalk template serves the
    # notice (helpdesk.notifications.kakao); falls back to a text message.
    KAKAO = "kakao", _("KakaoTalk")


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
    # A staff e-mail held for the person's daily digest: no next attempt, so
    # neither a worker nor the retry sweep takes it; the digest gathers it.
    DIGEST = "digest", _("Waiting for the daily digest")
    DIGESTED = "digested", _("Sent in a daily digest")


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
    # A digested row points at the digest e-mail that carried it.
    digest = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gathered",
        verbose_name=_("sent in digest"),
    )
    kakao_template = models.ForeignKey(
        "KakaoTemplate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("AlimTalk template"),
    )
    # What actually carried a KakaoTalk row: "kakao", or "sms" when the
    # provider refused the AlimTalk and the text message went instead.
    sent_via = models.CharField(_("sent via"), max_length=10, choices=NotificationChannel.choices, blank=True)

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
            # The daily digest reads only the rows waiting for it, person by person.
            models.Index(fields=["recipient", "created_at"], name="notif_digest_idx", condition=Q(state="digest")),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.channel}, {self.state})"

    @property
    def address(self) -> str:
        if self.channel == NotificationChannel.EMAIL:
            return self.to_email
        if self.channel in (NotificationChannel.SMS, NotificationChannel.KAKAO):
            return self.to_phone
        return str(self.recipient) if self.recipient_id else ""

    @property
    def link(self) -> str:
        return str((self.context or {}).get("link", ""))


# --- what people choose, within what the admins allow --------------------------

ALL_KINDS = "*"
DIGEST_CHANNEL = "digest"


class NoticeRule(models.Model):
    """The admins' limits on one kind of notice (helpdesk.notifications.kinds).

    A kind without a row keeps the code's defaults: every channel of its
    audience offered, turned off only if the kind may be. A channel not offered
    is not used for that kind at all; a kind the admins lock stays on for
    everyone whatever they chose. Kinds the code never lets anyone turn off
    (a delay notice, a deadline warning) take no row.
    """

    kind = models.CharField(_("kind of notice"), max_length=40, unique=True)
    email = models.BooleanField(_("by e-mail"), default=True)
    sms = models.BooleanField(_("by text message"), default=True)
    kakao = models.BooleanField(_("by KakaoTalk"), default=True)
    may_turn_off = models.BooleanField(
        _("people may turn it off"),
        default=True,
        help_text=_("Untick to keep this notice on for everyone, whatever they chose."),
    )
    reason = models.CharField(
        _("why it stays on"),
        max_length=200,
        blank=True,
        help_text=_("Shown beside the locked choice; empty: \"Set by the administrators.\""),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("notice rule")
        verbose_name_plural = _("notice rules")

    def __str__(self) -> str:
        kind = kind_get(self.kind)
        return str(kind.label) if kind else self.kind

    def offers(self, channel: str) -> bool:
        """Whether the kind may go by `channel` (the app is always offered)."""
        if channel in (NotificationChannel.EMAIL, NotificationChannel.SMS, NotificationChannel.KAKAO):
            return bool(getattr(self, channel))
        return True

    def clean(self) -> None:
        kind = kind_get(self.kind)
        if kind is None:
            raise ValidationError({"kind": _("Choose a kind of notice.")})
        if not kind.may_turn_off:
            raise ValidationError(
                {"kind": _("This notice is always sent by every channel; it takes no rule.")}
            )


class NoticePreference(models.Model):
    """One person's choice for one kind of notice and one channel (e-mail, text
    message, KakaoTalk); no row means the default, on. The daily digest is the
    row (kind "*", channel "digest"). Written only by
    `preferences.notice_preferences_save`, with its history (who changed what)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notice_preferences",
        verbose_name=_("person"),
        db_index=False,  # notice_pref_unique leads with it
    )
    kind = models.CharField(_("kind of notice"), max_length=40)
    channel = models.CharField(_("channel"), max_length=10)
    enabled = models.BooleanField(_("on"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["user", "kind", "channel"]
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "channel"], name="notice_pref_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.channel}: {'on' if self.enabled else 'off'}"


VARIABLE = re.compile(r"#\{([^{}#]+)\}")
CONTEXT_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class KakaoTemplate(models.Model):
    """An AlimTalk template registered at SOLAPI and approved by Kakao, and which
    of our notices it carries (README "KakaoTalk notices").

    `content` is the approved text with its `#{변수}` placeholders; `variables`
    maps each placeholder to a key of the notice's context (ticket_number,
    ticket_title, recipient_name, link, subject, body, …). A template for one
    of our templates (e.g. delay_notice) wins over one for the whole kind."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind of notice"), max_length=40, blank=True)
    template = models.CharField(
        _("our template"), max_length=100, blank=True, help_text=_("e.g. delay_notice; wins over the kind.")
    )
    template_id = models.CharField(_("SOLAPI template ID"), max_length=100)
    pf_id = models.CharField(
        _("KakaoTalk channel (pfId)"), max_length=100, blank=True, help_text=_("Empty: SOLAPI_KAKAO_PF_ID.")
    )
    content = models.TextField(
        _("registered text"), help_text=_("Exactly as approved by Kakao, with its #{variables}.")
    )
    variables = models.JSONField(
        _("variables"),
        default=dict,
        blank=True,
        help_text=_('Each #{variable} of the text and the notice\'s value it takes, e.g. {"요청번호": "ticket_number"}.'),
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "template", "name"]
        verbose_name = _("AlimTalk template")
        verbose_name_plural = _("AlimTalk templates")

    def __str__(self) -> str:
        return f"{self.name} ({self.template_id})"

    def placeholders(self) -> list[str]:
        return list(dict.fromkeys(VARIABLE.findall(self.content or "")))

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.kind and not self.template:
            errors["kind"] = _("Choose the kind of notice or our template it carries.")
        kind = kind_get(self.kind) if self.kind else None
        if self.kind and (kind is None or kind.audience != CUSTOMER):
            errors["kind"] = _("AlimTalk reaches customers only: choose a customers' kind of notice.")
        mapping = self.variables
        if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and CONTEXT_KEY.match(v) for k, v in mapping.items()
        ):
            errors["variables"] = _(
                'Write the variables as {"variable": "context key"}; a context key is like ticket_number.'
            )
        else:
            used = set(self.placeholders())
            missing = sorted(used - set(mapping))
            unused = sorted(set(mapping) - used)
            if missing:
                errors["variables"] = _("These variables of the text have no value: %(names)s") % {
                    "names": ", ".join(missing)
                }
            elif unused:
                errors["variables"] = _("These variables are not in the text: %(names)s") % {
                    "names": ", ".join(unused)
                }
        if self.active and not errors:
            twins = KakaoTemplate.objects.filter(active=True).exclude(pk=self.pk)
            if self.template and twins.filter(template=self.template).exists():
                errors["template"] = _("Another active template already carries this one.")
            elif not self.template and self.kind and twins.filter(kind=self.kind, template="").exists():
                errors["kind"] = _("Another active template already carries this kind of notice.")
        if errors:
            raise ValidationError(errors)
