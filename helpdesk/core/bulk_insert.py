"""One INSERT for many rows of one model, on PostgreSQL.

Django's `bulk_create` prepares every value of every row through the field's
`get_db_prep_save` and sends one placeholder per value; for the deadline
sweep's few thousand rows a batch that preparation cost more than the insert
itself. `rows_insert` sends each column as one array and lets PostgreSQL
`unnest()` them, taking the values straight from unsaved objects or from
dicts keyed by attname. It handles what the sweep and the outbox write: plain
text, numbers, datetimes, booleans and JSON. Callers check
`connection.vendor == "postgresql"` and use `bulk_create` elsewhere.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone


def _column_values(field: models.Field, rows: Sequence[models.Model | dict[str, Any]], now: datetime) -> list[Any]:
    name = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        values: list[Any] = [now] * len(rows)
        for row in rows:
            if isinstance(row, dict):
                row[name] = now
            else:
                setattr(row, name, now)
    else:
        default = field.get_default()
        values = [row.get(name, default) if isinstance(row, dict) else getattr(row, name) for row in rows]
    if isinstance(field, models.JSONField):
        encoder = field.encoder or DjangoJSONEncoder
        # Rows of one notice share their context object: encode it once.
        encoded: dict[int, str] = {}
        out: list[Any] = []
        for v in values:
            if v is None:
                out.append(None)
                continue
            text = encoded.get(id(v))
            if text is None:
                text = encoded[id(v)] = json.dumps(v, cls=encoder, ensure_ascii=False)
            out.append(text)
        return out
    if isinstance(field, (models.CharField, models.TextField)):
        # TextChoices members and lazy strings become plain text.
        return [None if v is None else str(v) for v in values]
    return values


def rows_insert(
    model: type[models.Model],
    rows: Sequence[models.Model | dict[str, Any]],
    *,
    conflict_on: str | None = None,
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Insert rows of one model with one `INSERT … SELECT FROM unnest(…)`
    (PostgreSQL), taking each column's values straight from unsaved objects or
    from dicts keyed by attname (missing keys take the field's default). For
    the sweep's rows: plain text, numbers, datetimes, booleans and JSON. With
    `conflict_on`, rows whose value there exists already are skipped;
    `returning` names columns to give back for the rows inserted."""
    if not rows:
        return []
    meta = model._meta
    quote = connection.ops.quote_name
    now = timezone.now()
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    select: list[str] = []
    constants: list[Any] = []
    arrays: list[list[Any]] = []
    casts: list[str] = []
    for f in fields:
        values = _column_values(f, rows, now)
        first = values[0]
        # A column with one value in every row (the same instant, state, empty
        # text…) goes as one parameter instead of an array: turning arrays into
        # SQL text and parsing them back is most of this statement's cost.
        if all(v is first or v == first for v in values):
            select.append(f"%s::{f.db_type(connection)}")
            constants.append(first)
        else:
            select.append(f"v.c{len(arrays)}")
            casts.append(f"%s::{f.db_type(connection)}[]")
            arrays.append(values)
    if arrays:
        source = f"unnest({', '.join(casts)}) AS v({', '.join(f'c{i}' for i in range(len(arrays)))})"
    else:
        source = "generate_series(1, %s) AS v"
        arrays = [len(rows)]  # type: ignore[list-item]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"SELECT {', '.join(select)} FROM {source}"
    )
    if conflict_on:
        sql += f" ON CONFLICT ({quote(meta.get_field(conflict_on).column)}) DO NOTHING"
    if returning:
        sql += " RETURNING " + ", ".join(quote(meta.get_field(name).column) for name in returning)
    with connection.cursor() as cursor:
        # Placeholders in text order: the constants in the select list, then the arrays.
        cursor.execute(sql, [*constants, *arrays])
        return [tuple(row) for row in cursor.fetchall()] if returning else []
