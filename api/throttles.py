"""Rate limits per token (and per signed-in person on the session): a 429 with
Retry-After. Counts live in the default cache, which must be shared (Redis)
when several web processes serve the API, as for the password-reset limits."""
from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken, TokenKind

SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_RE = re.compile(r"^([1-9]\d*)/([1-9]\d*)?([smhd])$")


def rate_parse(rate: str) -> tuple[int, int]:
    """'600/m' → (600, 60); '100/5m' → (100, 300). Checked at start-up (settings)."""
    match = RATE_RE.match(rate)
    if match is None:
        raise ValueError(f"not a rate: {rate!r}")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * SECONDS[unit]


class TokenRateThrottle(SimpleRateThrottle):
    """One bucket per token (a service account's may have its own rate), one per
    person for the session; the rates are read from settings at each request, so
    an override in a test or a changed environment applies at once."""

    scope = "api"

    def __init__(self) -> None:  # SimpleRateThrottle reads a class-level rate table here; ours is below
        pass

    def allow_request(self, request: Request, view: Any) -> bool:
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is not None and token.kind == TokenKind.SERVICE:
            self.rate = settings.API_RATE_LIMIT_SERVICE
        else:
            self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = rate_parse(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            return f"api-throttle:token:{request.auth.pk}"
        if request.user and request.user.is_authenticated:
            return f"api-throttle:user:{request.user.pk}"
        return None  # anonymous requests are refused (401) before anything is counted
