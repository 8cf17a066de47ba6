"""Who is calling: `Authorization: Bearer <prefix>.<secret>`, or the signed-in
session (with its CSRF check) for the browsable pages and the docs' "try it out".

A token that is malformed, unknown, wrong, revoked or expired, or whose user
is inactive, is a 401 with its own code (api.errors); no request with a bad
token falls through to anonymous. The row comes from the cache when it can
(api.token_cache); every check is made on every request all the same."""
from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from .errors import TOKEN_EXPIRED, TOKEN_INVALID, TOKEN_REVOKED, TokenRefused
from .models import ApiToken
from .selectors import token_by_prefix
from .services import api_token_touch, api_token_touch_due
from .token_cache import token_cached, token_keep
from .token_codec import secret_matches, token_read

REALM = 'Bearer realm="charterdesk api"'


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _sep, given = header.partition(" ")
        if scheme.lower() != "bearer":
            return None  # not ours (Basic, …): the session may still sign the request
        raw = token_read(given)
        if raw is None:
            raise TokenRefused(TOKEN_INVALID, _("The API token is not valid."))
        token = token_cached(raw.prefix)
        fresh = token is None
        if fresh:
            token = token_by_prefix(raw.prefix)
        if token is None or not secret_matches(raw.secret, token.secret_hash):
            raise TokenRefused(TOKEN_INVALID, _("The API token is not valid."))
        now = timezone.now()
        if token.revoked_at is not None:
            raise TokenRefused(TOKEN_REVOKED, _("This API token has been revoked."))
        if token.expires_at <= now:
            raise TokenRefused(TOKEN_EXPIRED, _("This API token has expired; make a new one."))
        if not token.user.is_active:
            raise TokenRefused(TOKEN_INVALID, _("The API token is not valid."))
        due = api_token_touch_due(token=token, now=now)
        if due:
            api_token_touch(token=token, now=now)
            # Kept as noted even when another request wrote the minute's use first,
            # so this copy does not ask again until the next minute.
            token.last_used_at = now
        if fresh or due:
            token_keep(token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return REALM

