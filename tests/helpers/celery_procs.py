"""Real Celery processes for tests: a private redis-server, `celery worker` and
`celery beat` as subprocesses on a database they share with the test.

The database: on PostgreSQL the test database itself (the test must be
transactional so the children see its rows and it sees theirs); on SQLite,
whose test database lives in this process's memory, a file copy of it made
with SQLite's backup API (milliseconds, where a fresh `migrate` takes half a
minute), read by the test through `sqlite3`.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.services import IN_CI, ROOT, database_url

# Runs `celery -A helpdesk <argv>` after applying a test's configuration: the
# app's settings (a short beat schedule, a private filesystem broker) and Django
# settings (a short beat lease). The CLI has options for neither.
BOOT = """
import json, sys
from django.conf import settings
from helpdesk.celery import app
conf = json.loads(sys.argv[1])
for name, value in conf["django"].items():
    setattr(settings, name, value)
app.conf.update(conf["celery"])
app.start(conf["argv"])
"""


@dataclass
class ChildDatabase:
    """The database the children use, and a way for the test to read it."""

    url: str
    path: Path | None = None  # the SQLite file, when not on PostgreSQL

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self.path is None:
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return list(cursor.fetchall())
        with sqlite3.connect(self.path, timeout=20) as db:
            return list(db.execute(sql, params).fetchall())

    def moment(self, sql: str, params: Sequence[Any] = ()) -> datetime | None:
        """The first column of the first row as an aware datetime (SQLite keeps UTC text)."""
        found = self.rows(sql, params)
        if not found or found[0][0] is None:
            return None
        value = found[0][0]
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def child_database(tmp_path: Path) -> ChildDatabase:
    from django.db import connection

    if connection.vendor == "postgresql":
        return ChildDatabase(url=database_url())
    path = tmp_path / "children.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    return ChildDatabase(url=f"sqlite:///{path}", path=path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def redis_server_path() -> str:
    """redis-server, which the test starts and stops itself; CI must have it."""
    found = shutil.which("redis-server")
    if found is None:
        message = "redis-server is not installed (apt-get install redis-server)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    stopped: bool = False  # by the test, on purpose

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def tail(self, lines: int = 60) -> str:
        return f"--- {self.name} ---\n" + "\n".join(self.text().splitlines()[-lines:])

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, sig: int = signal.SIGTERM) -> None:
        self.stopped = True
        if self.popen.poll() is not None:
            return
        self.popen.send_signal(sig)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=20)


@dataclass
class Procs:
    """The children of one test; everything still running is stopped at the end."""

    tmp_path: Path
    env: dict[str, str]
    started: list[Proc] = field(default_factory=list)

    def start(self, name: str, argv: list[str], *, use_env: bool = True) -> Proc:
        log = self.tmp_path / f"{name}.log"
        with log.open("ab") as out:
            popen = subprocess.Popen(
                argv, cwd=ROOT, env=self.env if use_env else None, stdout=out, stderr=subprocess.STDOUT
            )
        proc = Proc(name, popen, log)
        self.started.append(proc)
        return proc

    def redis(self, port: int) -> Proc:
        return self.start(
            "redis",
            [redis_server_path(), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            use_env=False,
        )

    def celery(
        self, name: str, argv: list[str], *, celery_conf: dict[str, Any] | None = None,
        django_conf: dict[str, Any] | None = None,
    ) -> Proc:
        conf = {"argv": argv, "celery": celery_conf or {}, "django": django_conf or {}}
        return self.start(name, [sys.executable, "-c", BOOT, json.dumps(conf)])

    def wait_for(self, what: str, check: Callable[[], bool], seconds: float = 60) -> float:
        """Poll `check` until it holds; fail with every child's log if it does not
        within `seconds` or a child dies. Returns when it held (time.time())."""
        give_up = time.monotonic() + seconds
        while not check():
            dead = [p for p in self.started if not p.stopped and not p.alive()]
            if dead:
                pytest.fail(f"{dead[0].name} exited ({dead[0].popen.returncode}) before {what}\n{self.logs()}")
            if time.monotonic() > give_up:
                pytest.fail(f"not within {seconds:.0f} s: {what}\n{self.logs()}")
            time.sleep(0.2)
        return time.time()

    def logs(self) -> str:
        return "\n".join(p.tail() for p in self.started)

    def stop_all(self) -> None:
        for proc in reversed(self.started):
            proc.stop()


@contextmanager
def celery_children(tmp_path: Path, database: ChildDatabase, **env: str) -> Iterator[Procs]:
    child_env = dict(os.environ)
    child_env.update(
        DATABASE_URL=database.url,
        DJANGO_SETTINGS_MODULE="helpdesk.settings",
        PYTHONUNBUFFERED="1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        SMS_BACKEND="helpdesk.notifications.sms.FileSMSBackend",
        SMS_FILE_PATH=str(tmp_path / "sms.log"),
        **env,
    )
    procs = Procs(tmp_path, child_env)
    try:
        yield procs
    finally:
        procs.stop_all()
