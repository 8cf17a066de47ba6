"""Small reference tables (teams, departments, fault categories) held in each
process, for lists that name them on every row.

A list of 25 tickets names a team, a department and a category per row. Joined
in, they made PostgreSQL plan a five-table query for milliseconds at a million
tickets; prefetched, they cost three queries per page. These tables hold tens
of rows and change a few times a year, so each process keeps them and asks the
shared cache once per use whether any of them changed (`generation`). Every
save or delete of one of them moves the generation (receivers in the owning
apps call `reference_names_changed`); a row not found reloads at once, and the
copy is also dropped after MAX_AGE in case a change bypassed the model (raw SQL,
`QuerySet.update`).
"""
from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Model

MAX_AGE = 300.0  # seconds

_lock = threading.Lock()
# (database name, model label, fields) -> (generation, loaded at, {pk: instance})
_held: dict[tuple[str, str, tuple[str, ...]], tuple[str, float, dict[int, Model]]] = {}


def _generation_key() -> str:
    return f"reference-names:{connection.settings_dict['NAME']}:generation"


def reference_names_changed(**kwargs: Any) -> None:
    """A receiver for post_save/post_delete of a reference table: every process reloads."""
    cache.set(_generation_key(), uuid.uuid4().hex, None)


def _generation() -> str:
    generation = cache.get(_generation_key())
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(_generation_key(), generation, None)
        generation = cache.get(_generation_key(), generation)
    return generation


def reference_rows(model: type[Model], fields: tuple[str, ...], *, needed: Iterable[int] = ()) -> dict[int, Model]:
    """Every row of `model` with only `fields` loaded, by primary key (one query when
    this process's copy is out of date or lacks a row in `needed`, none otherwise)."""
    # Keyed by the fields too: a copy loaded with others would read a missing one per row.
    key = (connection.settings_dict["NAME"], model._meta.label, fields)
    generation = _generation()
    held = _held.get(key)
    now = time.monotonic()
    if held is not None and held[0] == generation and now - held[1] < MAX_AGE:
        rows = held[2]
        if all(pk in rows for pk in needed):
            return rows
    rows = model._default_manager.only(*fields).in_bulk()
    with _lock:
        _held[key] = (generation, now, rows)
    return rows


def reference_name(rows: list[dict[str, Any]], column: str, key: str, model: type[Model], fields: tuple[str, ...]) -> None:
    """Put the held row that `row[column]` names (or None) in `row[key]`, for values() rows."""
    needed = {r[column] for r in rows} - {None}
    held = reference_rows(model, fields, needed=needed) if needed else {}
    for r in rows:
        r[key] = held.get(r[column])
