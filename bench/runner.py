"""The benchmark runner: make sure the data set is big enough, run one
scenario, print one JSON object per measured item on stdout.

Scenarios live in a registry (`SCENARIOS`, filled by `@scenario`), one
function per scenario, each yielding result dicts; modules listed in
`SCENARIO_MODULES` are imported to register theirs. A later issue adds a
scenario (say, `sweeps`) by writing bench/sweeps.py with `@scenario("sweeps")`
and naming the module here.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

SCENARIO_MODULES = [
    "bench.pages", "bench.outbox_scenario", "bench.dashboard", "bench.sweep_scenario", "bench.scoreboard_scenario",
    "bench.report_scenario", "bench.mail_in_scenario", "bench.api_items", "bench.http_scenario",
]


@dataclass
class Context:
    """What every scenario gets: the size of the data set and how to measure."""

    tickets: int
    repeat: int
    warmup: int
    items: set[str] | None = None
    size: int | None = None  # a scenario's own size knob (rows, notifications…), if it has one
    log: TextIO = field(default_factory=lambda: sys.stderr)

    def wants(self, item: str) -> bool:
        return self.items is None or item in self.items

    def note(self, message: str) -> None:
        print(message, file=self.log, flush=True)


Scenario = Callable[[Context], Iterator[dict[str, Any]]]
SCENARIOS: dict[str, Scenario] = {}


def scenario(name: str) -> Callable[[Scenario], Scenario]:
    def register(fn: Scenario) -> Scenario:
        SCENARIOS[name] = fn
        return fn

    return register


@dataclass
class Timing:
    median_ms: float
    samples_ms: list[float]

    @property
    def p90_ms(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[max(0, round(0.9 * len(ordered)) - 1)]


def timed(fn: Callable[[], Any], *, repeat: int, warmup: int) -> Timing:
    """Median wall time of `fn` in this process, after warm-up calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return Timing(statistics.median(samples), samples)


def data_ensure(tickets: int, *, seed: int | None, log: TextIO) -> int:
    """Grow the database to `tickets` tickets (demo org first when empty)."""
    from django.core.management import call_command

    from tickets.models import Ticket

    count = Ticket.objects.count()
    if count < tickets:
        options: dict[str, Any] = {"tickets": tickets, "stdout": log, "stderr": log}
        if seed is not None:
            options["seed"] = seed
        call_command("seed_demo", **options)
        count = Ticket.objects.count()
    return count


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def parser_make() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure charterdesk against a data set of a given size (database: DATABASE_URL).",
    )
    parser.add_argument("scenario", help="what to measure; 'list' shows the scenarios")
    parser.add_argument("--tickets", type=int, default=10_000, help="grow the database to at least this many tickets")
    parser.add_argument("--repeat", type=int, default=20, help="measured runs per item (median reported)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured runs first")
    parser.add_argument("--items", default="", help="comma-separated items to run (default: all)")
    parser.add_argument("--seed", type=int, default=None, help="random seed for generated data")
    parser.add_argument("--size", type=int, default=None, help="scenario-specific size, e.g. notifications for 'outbox'")
    return parser


def main(argv: list[str] | None = None, *, out: TextIO | None = None, log: TextIO | None = None) -> int:
    args = parser_make().parse_args(argv)
    out = out or sys.stdout
    log = log or sys.stderr
    _django_setup()
    for module in SCENARIO_MODULES:
        importlib.import_module(module)
    if args.scenario == "list":
        for name in sorted(SCENARIOS):
            print(name, file=out)
        return 0
    run = SCENARIOS.get(args.scenario)
    if run is None:
        print(f"unknown scenario {args.scenario!r}; known: {', '.join(sorted(SCENARIOS))}", file=log)
        return 2
    from django.db import connection

    if connection.vendor != "postgresql":
        print(f"note: measuring on {connection.vendor}; set DATABASE_URL to a PostgreSQL database for real figures",
              file=log)
    count = data_ensure(args.tickets, seed=args.seed, log=log)
    ctx = Context(
        tickets=count,
        repeat=max(1, args.repeat),
        warmup=max(0, args.warmup),
        items={i.strip() for i in args.items.split(",") if i.strip()} or None,
        size=args.size,
        log=log,
    )
    for record in run(ctx):
        line = {"scenario": args.scenario, "item": record.pop("item"), "tickets": count, **record}
        print(json.dumps(line, ensure_ascii=False), file=out, flush=True)
    return 0
