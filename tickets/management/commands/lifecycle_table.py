"""`manage.py lifecycle_table`: the lifecycle table and the guards on it, as
Markdown, for the README (generated from the code, so the two never disagree)."""
from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tickets.hooks import guards_by_clause
from tickets.lifecycle import lifecycle_table_markdown


def guards_table_markdown() -> str:
    rows = ["| clause | guard | what it refuses |", "|---|---|---|"]
    for g in guards_by_clause():
        summary = " ".join(g.summary.split())
        rows.append(f"| {g.clause} | `{g.check.__module__}.{g.check.__qualname__}` | {summary} |")
    return "\n".join(rows)


class Command(BaseCommand):
    help = "Print the ticket lifecycle table and the guards registered on it (Markdown)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(lifecycle_table_markdown())
        self.stdout.write("")
        self.stdout.write(guards_table_markdown())
