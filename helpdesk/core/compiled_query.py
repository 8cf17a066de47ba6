"""Queries the ORM compiles once per process, then runs with new values.

Django builds a query's SQL anew on every evaluation. For most queries that is
a fraction of a millisecond; for a query of many correlated subqueries (the
staff ticket page's next step: four EXISTS and three subqueries in one row) the
compiling took ~5 ms of CPU on every view, ten times what PostgreSQL spent
running it, and for an API list of 25 tickets building and compiling the
queryset was a quarter of the answer's time. `CompiledQuery` asks the ORM for
the SQL once, with marker values in place of the arguments, and afterwards only
swaps the arguments in: the queryset stays the one source of truth, and nothing
is written by hand. `CompiledShapes` does the same for a family of querysets
one function builds from a *shape* (which filters are on, the page size…):
each shape is compiled the first time it is asked for.

Arguments are whole values that reach the SQL as parameters of their own: ids
and numbers, and aware datetimes (a page's cursor). `rows` compiles twice with
two sets of markers and checks that the SQL differs only where a marker went;
an argument the query does not use is left out, and one that arrived changed
(marker + 1) refuses (`CompiledShapes` then runs that shape through the ORM).
Values come back as values() gives them: each column passes through the
converters the ORM would apply (a JSON column decoded, SQLite's booleans and
datetimes read).
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

# Far from any id, count or flag a query holds as a constant; the dates are in
# the eleventh century, which no record of ours is.
_MARKER_BASE = -7_319_000_000
_MARKER_MOMENT = datetime(1001, 1, 1, tzinfo=UTC)

# (sql, parameters, per argument [(position, adapt)], [(column, expression)] to convert)
_Compiled = tuple[str, list[Any], list[list[tuple[int, Callable[[Any], Any]]]], list[tuple[int, Any]]]


class MarkerLost(ValueError):
    """An argument did not reach the SQL as a parameter that can be swapped."""


def _marker(i: int, kind: type) -> Any:
    if kind is datetime:
        return _MARKER_MOMENT + timedelta(seconds=i)
    if kind is int:
        return _MARKER_BASE - i
    raise TypeError(f"a compiled query's arguments are ids, numbers or datetimes, not {kind.__name__}")


def _kind(value: Any) -> type:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise TypeError("a compiled query's datetimes are aware")
        return datetime
    if isinstance(value, int) and not isinstance(value, bool):
        return int
    raise TypeError(f"a compiled query's arguments are ids, numbers or datetimes, not {type(value).__name__}")


def _identity(value: Any) -> Any:
    return value


class CompiledQuery:
    """`build(*markers)` returns a values() queryset; `rows(*arguments)` runs it."""

    def __init__(self, build: Callable[..., QuerySet[Any]], arity: int, *, using: str = "default") -> None:
        self._build = build
        self._arity = arity
        self._using = using
        self._lock = threading.Lock()
        self._compiled: dict[tuple[str, tuple[type, ...]], _Compiled | None] = {}

    def _sql(self, markers: list[Any]) -> tuple[str, list[Any], Any]:
        compiler = self._build(*markers).query.get_compiler(self._using)
        sql, params = compiler.as_sql()
        return sql, list(params), compiler

    def _compile(self, key: tuple[str, tuple[type, ...]]) -> _Compiled | None:
        """The SQL for these kinds of arguments, or None for a query that can
        match nothing (the ORM's EmptyResultSet: an empty `__in`, `none()`)."""
        connection = connections[self._using]
        kinds = key[1]
        # Compiled twice, with two sets of markers: whatever differs between the
        # two must be an argument, in a form we can make from the real value; an
        # argument that changes nothing (unused by this shape) is left out.
        first = [_marker(i, kind) for i, kind in enumerate(kinds)]
        second = [_marker(i + len(kinds) + 1000, kind) for i, kind in enumerate(kinds)]
        try:
            sql, params, compiler = self._sql(first)
            other_sql, other_params, _compiler = self._sql(second)
        except EmptyResultSet:
            with self._lock:
                self._compiled[key] = None
            return None
        if sql != other_sql or len(params) != len(other_params):
            raise MarkerLost("an argument changed the SQL itself, not only its parameters")
        places: list[list[tuple[int, Callable[[Any], Any]]]] = [[] for _ in kinds]
        for i, (a, b) in enumerate(zip(params, other_params, strict=True)):
            if a == b:
                continue  # a constant of the query
            # As the marker itself, or as the database adapts it (an id into a
            # text column; SQLite's datetimes as text).
            found = [
                (j, adapt)
                for j, (m, n) in enumerate(zip(first, second, strict=True))
                for adapt in (_identity, str if isinstance(m, int) else connection.ops.adapt_datetimefield_value)
                if a == adapt(m) and b == adapt(n)
            ]
            if not found:
                raise MarkerLost("an argument reached the SQL changed (arithmetic, text): it cannot be swapped in")
            j, adapt = found[0]
            places[j].append((i, adapt))
        # The columns that need converting, with the expression each converter is
        # asked about; the converters themselves are the running connection's.
        expressions = [column[0] for column in compiler.select[: compiler.col_count]]
        converted = [(i, e) for i, (_c, e) in compiler.get_converters(expressions).items()]
        compiled = (sql, params, places, converted)
        with self._lock:
            self._compiled[key] = compiled
        return compiled

    def rows(self, *arguments: Any) -> list[dict[str, Any]]:
        if len(arguments) != self._arity:
            raise TypeError(f"expected {self._arity} arguments, got {len(arguments)}")
        connection = connections[self._using]
        key = (connection.vendor, tuple(_kind(a) for a in arguments))
        compiled = self._compiled[key] if key in self._compiled else self._compile(key)
        if compiled is None:
            return []
        sql, template, places, converted = compiled
        params = list(template)
        for value, where in zip(arguments, places, strict=True):
            for i, adapt in where:
                params[i] = adapt(value)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            columns = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
        if converted and rows:
            converters = [
                (i, expression, connection.ops.get_db_converters(expression) + expression.get_db_converters(connection))
                for i, expression in converted
            ]
            rows = [list(row) for row in rows]
            for row in rows:
                for i, expression, functions in converters:
                    for function in functions:
                        row[i] = function(row[i], expression, connection)
        return [dict(zip(columns, row, strict=True)) for row in rows]


class CompiledShapes:
    """`build(shape, *arguments)` returns a values() queryset; `rows(shape, *arguments)`
    runs the shape's compiled SQL, compiling it the first time. `compiled=False`
    (a filter whose value is not a whole parameter, such as a search text inside
    a LIKE pattern) evaluates `build` through the ORM as it is. The `most`
    shapes asked for last are kept."""

    def __init__(self, build: Callable[..., QuerySet[Any]], *, using: str = "default", most: int = 256) -> None:
        self._build = build
        self._using = using
        self._most = most
        self._lock = threading.Lock()
        self._queries: dict[Hashable, CompiledQuery | None] = {}

    def rows(self, shape: Hashable, *arguments: Any, compiled: bool = True) -> list[dict[str, Any]]:
        if not compiled:
            return list(self._build(shape, *arguments))
        key = (shape, len(arguments))
        with self._lock:
            query = self._queries.pop(key, False)
            if query is False:
                query = CompiledQuery(partial(self._build, shape), len(arguments), using=self._using)
            self._queries[key] = query  # the newest last
            while len(self._queries) > self._most:
                del self._queries[next(iter(self._queries))]
        if query is None:
            return list(self._build(shape, *arguments))
        try:
            return query.rows(*arguments)
        except MarkerLost:
            with self._lock:
                self._queries[key] = None  # this shape goes through the ORM from now on
            return list(self._build(shape, *arguments))

    def compiled_shapes(self) -> int:
        """How many shapes are held compiled (for tests and benchmarks)."""
        return sum(1 for q in self._queries.values() if q is not None)
