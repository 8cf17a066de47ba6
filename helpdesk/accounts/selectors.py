"""Reads about people."""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.db.models.functions import Concat

from .models import User
from .phones import phone_parse

LOOKUP_LIMIT = 20


def employee_search(q: str, *, limit: int = LOOKUP_LIMIT) -> QuerySet[User]:
    """Employees matching a caller's phone number, name or employee number.

    A full number matches exactly; four to eight digits match the end of the
    number ("the last four digits"); names match with or without the space
    people put between family and given name.
    """
    q = q.strip()
    if not q:
        return User.objects.none()
    digits = "".join(ch for ch in q if ch.isdigit())
    match = Q(employee_no__iexact=q)
    e164 = phone_parse(q) if len(digits) >= 9 else None
    if e164:
        match |= Q(phone=e164)
    elif 4 <= len(digits) <= 8 and len(digits) == len(q.replace("-", "").replace(" ", "")):
        match |= Q(phone__endswith=digits)
    if not digits:
        compact = q.replace(" ", "")
        match |= Q(full_name__icontains=compact) | Q(username__iexact=q)
    return (
        User.objects.filter(is_active=True)
        .annotate(full_name=Concat("last_name", "first_name"))
        .filter(match)
        .select_related("department", "position")
        .order_by("last_name", "first_name", "pk")[:limit]
    )


def holders_of(perm: str, people: Iterable[User | None]) -> set[int]:
    """The ids of those among `people` who are active and hold `perm` (through
    a role, directly, or as superuser): one query, where `has_perm` on each
    freshly loaded user would cost two apiece."""
    ids = {p.pk for p in people if p is not None}
    if not ids:
        return set()
    return set(User.objects.with_perm(perm).filter(pk__in=ids).values_list("pk", flat=True))
