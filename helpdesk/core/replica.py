"""The read replica: which database the reporting reads run on, and the router
that keeps every write on the primary.

`DATABASE_REPLICA_URL` (settings) adds a `replica` alias; without it there is
one database and everything below answers "default". Only reads that can live
with a replica's lag of a second or two go there: the team lead's dashboard
(its figures are up to a minute old by design) asks through `reporting_alias()`.
Everything else reads and writes the primary as before, so a user never misses
their own change.
"""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"


def reporting_alias() -> str:
    """The alias for reporting reads: the replica when one is configured, else the primary."""
    return REPLICA if REPLICA in settings.DATABASES else DEFAULT_DB_ALIAS


class PrimaryWritesRouter:
    """Writes always go to the primary, even for an object that was read from
    the replica (Django's default would write it back where it came from, and
    a replica is read-only). Reads go where the query says (`.using(...)`), the
    primary when it says nothing. Migrations run on the primary only: the
    replica receives the schema by replication."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        # None: Django's default, the object's own database or else the primary.
        return None

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # One database, two doors: a ticket read from the replica may point at
        # a user read from the primary.
        databases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in databases and obj2._state.db in databases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db != REPLICA
