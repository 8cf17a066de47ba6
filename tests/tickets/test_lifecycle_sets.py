"""The lifecycle table's named sets and `sources_of`, which every app uses
instead of its own copy of a status list."""
from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from tickets.lifecycle import (
    FINAL_STATUSES,
    FINISHED,
    OPEN,
    OPEN_VALUES,
    TRANSITIONS,
    Status,
    sources_of,
)


def test_open_and_finished_split_every_status():
    assert OPEN | FINISHED == set(Status) and not OPEN & FINISHED
    assert FINISHED == {Status.RESOLVED, Status.CLOSED, Status.CANCELLED}
    assert FINAL_STATUSES < FINISHED
    assert list(OPEN_VALUES) == sorted(s.value for s in OPEN)


def test_sources_of_reads_the_table_row():
    assert sources_of("resolve") == {Status.DIAGNOSING, Status.IN_PROGRESS}
    assert sources_of("start_work") == {Status.DIAGNOSING, Status.AWAITING_CONSENT}
    for t in TRANSITIONS:
        assert sources_of(t.action) == t.sources


def test_lifecycle_table_command_prints_the_table_and_the_guards_by_clause(db):
    out = StringIO()
    call_command("lifecycle_table", stdout=out)
    text = out.getvalue()
    assert "| `resolve` | diagnosing, in_progress | resolved | staff | yes |" in text
    lines = [line for line in text.splitlines() if line.startswith(("| MT", "| BS"))]
    assert [line.split("|")[1].strip() for line in lines] == ["BS2", "BS3", "MT3", "MT4", "MT5"]
    assert "desk.services.gate_guards.identity_guard" in lines[2]
