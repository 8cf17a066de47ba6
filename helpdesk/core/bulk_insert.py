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

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.utils import timezone


def _column_values(
    field: models.Field, rows: Sequence[models.Model | dict[str, Any]], now: datetime, *, dicts: bool
) -> list[Any]:
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
        if dicts:
            values = [row.get(name, default) for row in rows]  # type: ignore[union-attr]
        else:
            values = [row.get(name, default) if isinstance(row, dict) else getattr(row, name) for row in rows]
    if isinstance(field, models.JSONField):
        encode = (field.encoder or DjangoJSONEncoder)(ensure_ascii=False).encode  # json.dumps(v, cls=…), one encoder
        # Rows of one notice share their context object: encode it once.
        encoded: dict[int, str] = {}
        out: list[Any] = []
        for v in values:
            if v is None:
                out.append(None)
                continue
            text = encoded.get(id(v))
            if text is None:
                text = encoded[id(v)] = encode(v)
            out.append(text)
        return out
    if isinstance(field, (models.CharField, models.TextField)):
        # TextChoices members and lazy strings become plain text.
        return [None if v is None else str(v) for v in values]
    return values


# One column's values travel as one text, split by PostgreSQL: psycopg2 would
# send a list as ARRAY['a', 'b', …], one constant per value that the server
# parses, coerces and folds one by one (for the sweep's outbox rows, 35 ms of
# planning alone), and an array literal must quote and escape every value
# (JSON is mostly quotes). string_to_array(text, SEP, NULL_MARK) needs
# neither; a column holding either character goes as an array literal instead.
SEP, NULL_MARK = "\x1f", "\x1e"  # ASCII unit and record separators (JSON escapes both)
SPLIT_SQL = "string_to_array(%s, chr(31), chr(30))"


def _element_text(v: Any) -> str:
    """One value as PostgreSQL reads it from text (None is handled by the caller)."""
    if v is True or v is False:
        return "t" if v else "f"
    if isinstance(v, (int, str)):
        return str(v)
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    if isinstance(v, timedelta):
        return f"{v.days} days {v.seconds} seconds {v.microseconds} microseconds"
    if isinstance(v, (list, tuple, dict, set, bytes, bytearray, memoryview)):
        # JSON columns arrive encoded; anything else of this shape is no scalar.
        raise TypeError(f"rows_insert cannot send {type(v).__name__} values")
    return str(v)  # Decimal, float, UUID


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def array_param(values: Sequence[Any], db_type: str) -> tuple[str, str]:
    """(SQL, parameter) giving `values` to a statement as one `db_type[]` array."""
    texts = [v if type(v) is str else NULL_MARK if v is None else _element_text(v) for v in values]
    joined = SEP.join(texts)
    # No value holds the separator (one more piece) or is the NULL mark itself.
    if joined.count(SEP) == len(texts) - 1 and NULL_MARK not in values:
        return f"{SPLIT_SQL}::{db_type}[]", joined
    # Array literal: '{"a \\"b\\"",NULL}'.
    quoted = ["NULL" if v is None else _quoted(t) for t, v in zip(texts, values, strict=True)]
    return f"%s::{db_type}[]", "{" + ",".join(quoted) + "}"


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
    dicts = all(type(row) is dict for row in rows)
    for f in fields:
        values = _column_values(f, rows, now, dicts=dicts)
        first = values[0]
        # A column with one value in every row (the same instant, state, empty
        # text…) goes as one parameter instead of an array: turning arrays into
        # SQL text and parsing them back is most of this statement's cost.
        if all(v is first or v == first for v in values):
            select.append(f"%s::{f.db_type(connection)}")
            constants.append(first)
        else:
            select.append(f"v.c{len(arrays)}")
            cast, param = array_param(values, f.db_type(connection))
            casts.append(cast)
            arrays.append(param)
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
