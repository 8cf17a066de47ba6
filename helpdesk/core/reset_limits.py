"""How often a password reset may be asked for: per client address and per e-mail address.

A reset request sends an e-mail, so without a limit the form is a way to
flood someone's mailbox or to probe addresses at speed. Both counts live in the
cache (django-ratelimit), which production shares between its web processes
(Redis). Every request counts, whether or not the address belongs to an
account, so being limited says nothing about who has one.
"""
from __future__ import annotations

import ipaddress

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

ADDRESS_GROUP = "password-reset:address"
EMAIL_GROUP = "password-reset:email"


def client_address(request: HttpRequest) -> str:
    """The client's address as django-axes sees it (one rule for both throttles;
    configure a proxy's X-Forwarded-For once, for axes). IPv6 counts per /64,
    the block one household or office is given, so rotating addresses inside
    it does not reset the count."""
    raw = get_client_ip_address(request) or ""
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def email_normalised(raw: str) -> str:
    # The form finds accounts case-insensitively, so the count must not tell
    # Kim@example.com from kim@example.com either.
    return raw.strip().lower()


def password_reset_limited(request: HttpRequest, *, email: str) -> bool:
    """Count this reset request and say whether it is over either limit.

    Both counts go up every time (no short-circuit), so one address trying many
    e-mails, or many addresses one e-mail, each runs into a limit."""
    address = client_address(request)
    over_address = is_ratelimited(
        request,
        group=ADDRESS_GROUP,
        key=lambda _group, _request: address,
        rate=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
        increment=True,
    )
    normalised = email_normalised(email)
    over_email = bool(normalised) and is_ratelimited(
        request,
        group=EMAIL_GROUP,
        key=lambda _group, _request: normalised,
        rate=settings.PASSWORD_RESET_LIMIT_PER_EMAIL,
        increment=True,
    )
    return over_address or over_email
