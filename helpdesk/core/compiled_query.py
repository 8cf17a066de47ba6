"""A query the ORM compiles once per process, then runs with new values.

Django builds a query's SQL anew on every evaluation. For most queries that is
a fraction of a millisecond; for a query of many correlated subqueries (the
staff ticket page's next step: four EXISTS and three subqueries in one row) the
compiling took ~5 ms of CPU on every view, ten times what PostgreSQL spent
running it. `CompiledQuery` asks the ORM for the SQL once, with marker values
in place of the arguments, and afterwards only swaps the arguments in: the
queryset stays the one source of truth, and nothing is written by hand.

Only whole-value arguments (ids, numbers) can be markers: each must reach the
SQL as one parameter, which `rows` checks when it compiles.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# Far from any id, count or flag a query holds as a constant.
_MARKER_BASE = -7_319_000_000


class CompiledQuery:
    """`build(*markers)` returns a values() queryset; `rows(*arguments)` runs it."""

    def __init__(self, build: Callable[..., QuerySet[Any]], arity: int, *, using: str = "default") -> None:
        self._build = build
        self._arity = arity
        self._using = using
        self._lock = threading.Lock()
        self._compiled: dict[str, tuple[str, list[Any], list[list[int]]]] = {}

    def _compile(self, vendor: str) -> tuple[str, list[Any], list[list[int]]]:
        markers = [_MARKER_BASE - i for i in range(self._arity)]
        sql, params = self._build(*markers).query.get_compiler(self._using).as_sql()
        params = list(params)
        positions = [[i for i, p in enumerate(params) if p == marker] for marker in markers]
        if not all(positions):
            raise ValueError("every argument must reach the SQL as a parameter of its own")
        with self._lock:
            self._compiled[vendor] = (sql, params, positions)
        return sql, params, positions

    def rows(self, *arguments: Any) -> list[dict[str, Any]]:
        if len(arguments) != self._arity:
            raise TypeError(f"expected {self._arity} arguments, got {len(arguments)}")
        connection = connections[self._using]
        compiled = self._compiled.get(connection.vendor) or self._compile(connection.vendor)
        sql, template, positions = compiled
        params = list(template)
        for value, places in zip(arguments, positions, strict=True):
            for i in places:
                params[i] = value
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            columns = [column[0] for column in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
