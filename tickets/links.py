"""The one way a notice links to a ticket's page: staff's or the customer's."""
from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

STAFF_PAGE = "staff:ticket_detail"
CUSTOMER_PAGE = "portal:ticket_detail"
_PK_PLACEHOLDER = 987654321


@lru_cache(maxsize=32)
def _path_pattern(name: str, urlconf: str | None, prefix: str) -> tuple[str, str]:
    path = reverse(name, args=[_PK_PLACEHOLDER], urlconf=urlconf)
    head, _sep, tail = path.partition(str(_PK_PLACEHOLDER))
    return head, tail


def ticket_link(pk: int, *, customer: bool = False) -> str:
    """The path of ticket `pk`'s page (the portal's for the customer), as
    reverse() gives it, resolved once per page: a sweep links every notice,
    and reversing costs more than the notice's other context together."""
    # The URLconf in force is part of the key: tests and the bench switch ROOT_URLCONF.
    name = CUSTOMER_PAGE if customer else STAFF_PAGE
    head, tail = _path_pattern(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    return f"{head}{pk}{tail}"
