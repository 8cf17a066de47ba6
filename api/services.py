"""Every write to API tokens: issue one (the secret is returned once and never
stored), revoke one, and note its use."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from helpdesk.core.times import local_text

from .models import ApiToken, TokenKind
from .scopes import ALL_SCOPES
from .token_codec import RawToken, secret_hash, token_make

# last_used_at is written at most this often per token, not on every request.
TOUCH_EVERY = timedelta(minutes=1)


def max_lifetime() -> timedelta:
    return timedelta(days=settings.API_TOKEN_MAX_DAYS)


def token_terms_check(
    *, user: User, name: str, expires_at: datetime | None, scopes: Iterable[str] | None, now: datetime
) -> tuple[str, str, list[str]]:
    """The rules a new token keeps (the admin's form checks them too): a name,
    an active user, an expiry within API_TOKEN_MAX_DAYS, known scopes for a
    service account. Returns (name, kind, scopes)."""
    name = (name or "").strip()
    if not name:
        raise ActionRefused(_("Give the token a name, so you know later what uses it."), field="name")
    if not user.is_active:
        raise ActionRefused(_("%(name)s is not an active user.") % {"name": user.display_name}, field="user")
    latest = now + max_lifetime()
    if expires_at is None:
        raise ActionRefused(_("Choose when the token expires."), field="expires_at")
    if not now < expires_at <= latest:
        raise ActionRefused(
            _("Choose an expiry after now and no later than %(latest)s.") % {"latest": local_text(latest)},
            field="expires_at",
        )
    if scopes is None:
        return name, TokenKind.PERSONAL, []
    chosen = sorted(set(scopes))
    if not chosen or any(s not in ALL_SCOPES for s in chosen):
        raise ActionRefused(
            _("Choose at least one scope among %(scopes)s.") % {"scopes": ", ".join(ALL_SCOPES)}, field="scopes"
        )
    return name, TokenKind.SERVICE, chosen


@transaction.atomic
def api_token_create(
    *,
    user: User,
    actor: User,
    name: str,
    expires_at: datetime | None,
    scopes: Iterable[str] | None = None,
    now: datetime | None = None,
) -> tuple[ApiToken, RawToken]:
    """Issue a token for `user`: personal (every scope; `scopes` None) when
    people make their own, a service account's with the scopes an admin
    chose. Returns the row and the raw token, which is shown once."""
    now = now or timezone.now()
    name, kind, chosen = token_terms_check(user=user, name=name, expires_at=expires_at, scopes=scopes, now=now)
    raw = token_make()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        kind=kind,
        scopes=chosen,
        prefix=raw.prefix,
        secret_hash=secret_hash(raw.secret),
        created_at=now,
        created_by=actor,
        expires_at=expires_at,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User, now: datetime | None = None) -> ApiToken:
    """Revoke a token: the next request with it is refused (401)."""
    now = now or timezone.now()
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ActionRefused(_("This token was already revoked at %(at)s.") % {"at": local_text(token.revoked_at)})
    token.revoked_at = now
    token.save(update_fields=["revoked_at"])
    return token


def api_token_touch_due(*, token: ApiToken, now: datetime) -> bool:
    """Whether this use should be written down (the last one noted is a minute old)."""
    return token.last_used_at is None or token.last_used_at <= now - TOUCH_EVERY


def api_token_touch(*, token: ApiToken, now: datetime) -> bool:
    """Note that the token was used, at most once a minute: one conditional
    UPDATE, so concurrent requests never write twice and most write nothing."""
    if not api_token_touch_due(token=token, now=now):
        return False
    written = ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_EVERY), pk=token.pk
    ).update(last_used_at=now)
    if written:
        token.last_used_at = now
    return bool(written)
