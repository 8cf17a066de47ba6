"""API tokens: personal ones people make on /api/tokens/, and service
accounts' ones an admin makes for a system (the phone system).

Only a SHA-256 of the secret is stored. A password hasher (Argon2, PBKDF2) is
slow on purpose so that a guessable password cannot be tried quickly; a token
secret is 32 random bytes (256 bits) that nobody can guess or brute-force, so
slowness would buy nothing and cost ~50 ms of CPU on every API request. The
prefix, stored in clear, finds the row; the secret is compared in constant time.
"""
from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .scopes import ALL_SCOPES


class TokenKind(models.TextChoices):
    PERSONAL = "personal", _("Personal")
    SERVICE = "service", _("Service account")


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=TokenKind.choices, default=TokenKind.PERSONAL)
    # Service accounts only; a personal token has every scope (api.scopes).
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(_("secret (SHA-256)"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    expires_at = models.DateTimeField(_("expires at"))
    # Written at most once a minute (api.services.api_token_touch), not per request.
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["user", "-created_at"], name="api_token_user_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="api_token_expires_after_created"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def granted_scopes(self) -> tuple[str, ...]:
        if self.kind == TokenKind.PERSONAL:
            return ALL_SCOPES
        return tuple(s for s in self.scopes if s in ALL_SCOPES)

    def is_live(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now
