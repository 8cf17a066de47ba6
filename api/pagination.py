"""Keyset ("cursor") pagination for every list: the next page starts after the
last row of this one, so page 1,000 costs what page 1 costs and no list ever
counts its rows (an offset or a count over a team's 190,000 open tickets is
what made the queue slow, README "Figures").

The cursor is the last row's ordering values, base64 JSON, opaque to clients.
Orderings may mix directions and put NULLs last (the open queue: deadline
first, NULL deadline last, then arrival), and must end in a unique column."""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
CURSOR_PARAM = "cursor"
SIZE_PARAM = "page_size"
MAX_CURSOR_LENGTH = 1000


@dataclass(frozen=True)
class Key:
    """One column of the ordering."""

    field: str
    descending: bool = False
    nulls_last: bool = False  # only for nullable columns; NULLs come after every value
    nullable: bool = False


def _encode(values: list[Any]) -> str:
    def plain(v: Any) -> Any:
        return v.isoformat() if isinstance(v, (datetime, date)) else v

    text = json.dumps([plain(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _bad_cursor() -> ValidationError:
    return ValidationError({CURSOR_PARAM: [_("This cursor is not valid; start again from the first page.")]})


def _decode(cursor: str, keys: tuple[Key, ...], model: type[Model]) -> list[Any]:
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise _bad_cursor()
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        values = json.loads(text)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise _bad_cursor() from None
    if not isinstance(values, list) or len(values) != len(keys):
        raise _bad_cursor()
    out = []
    for key, value in zip(keys, values, strict=True):
        if value is None:
            if not key.nullable:
                raise _bad_cursor()
            out.append(None)
            continue
        internal = model._meta.get_field(key.field).get_internal_type()
        if internal == "DateTimeField":
            moment = parse_datetime(value) if isinstance(value, str) else None
            if moment is None or moment.tzinfo is None:
                raise _bad_cursor()
            out.append(moment)
        elif internal in ("AutoField", "BigAutoField", "IntegerField", "PositiveIntegerField"):
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
                raise _bad_cursor()
            out.append(value)
        else:
            # Text as the database can hold it (PostgreSQL refuses NUL) and no longer than a column.
            if not isinstance(value, str) or "\x00" in value or len(value) > 300:
                raise _bad_cursor()
            out.append(value)
    return out


def _after(keys: tuple[Key, ...], values: list[Any]) -> Q:
    """Rows strictly after `values` in the ordering `keys`."""
    key, value = keys[0], values[0]
    rest = keys[1:]
    if value is None:
        # Among NULLs (last): only ties on this key can follow.
        same = Q(**{f"{key.field}__isnull": True})
        return same & _after(rest, values[1:]) if rest else Q(pk__in=[])
    beyond = Q(**{f"{key.field}__{'lt' if key.descending else 'gt'}": value})
    if key.nulls_last:
        beyond |= Q(**{f"{key.field}__isnull": True})
    if not rest:
        return beyond
    return beyond | (Q(**{key.field: value}) & _after(rest, values[1:]))


def _bound(key: Key, value: Any) -> Q:
    """The first key's range, implied by _after but stated on its own so the
    database starts its index scan at the cursor instead of filtering rows."""
    if value is None:
        return Q(**{f"{key.field}__isnull": True})
    near = Q(**{f"{key.field}__{'lte' if key.descending else 'gte'}": value})
    return near | Q(**{f"{key.field}__isnull": True}) if key.nulls_last else near


@dataclass
class Page:
    rows: list[Any]
    next_url: str | None


def page_size(request: Request) -> int:
    raw = request.query_params.get(SIZE_PARAM)
    if raw is None:
        return DEFAULT_PAGE_SIZE
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise ValidationError({SIZE_PARAM: [_("Send a whole number from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE}]})
    return int(raw)


def cursor_values(request: Request, keys: tuple[Key, ...], model: type[Model]) -> list[Any] | None:
    """The ordering values the request's cursor names (None on the first page); a bad one is a 400."""
    cursor = request.query_params.get(CURSOR_PARAM)
    return _decode(cursor, keys, model) if cursor else None


def after_cursor(keys: tuple[Key, ...], values: list[Any]) -> Q:
    """The rows after the cursor's `values`, with the first key's range stated for the index."""
    return _bound(keys[0], values[0]) & _after(keys, values)


def page_from_rows(request: Request, rows: list[Any], size: int, keys: tuple[Key, ...]) -> Page:
    """A page from the `size + 1` rows read after the cursor: the extra row says there is a next page."""
    next_url = None
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        token = _encode([last[key.field] if isinstance(last, dict) else getattr(last, key.field) for key in keys])
        next_url = replace_query_param(request.build_absolute_uri(), CURSOR_PARAM, token)
    return Page(rows=rows, next_url=next_url)


def keyset_page(request: Request, queryset: QuerySet[Any], keys: tuple[Key, ...]) -> Page:
    """One page of `queryset` (which must already be ordered by `keys`) and the next page's URL."""
    size = page_size(request)
    values = cursor_values(request, keys, queryset.model)
    if values is not None:
        queryset = queryset.filter(after_cursor(keys, values))
    return page_from_rows(request, list(queryset[: size + 1]), size, keys)
