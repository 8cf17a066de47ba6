"""The quick start's SQLite takes writes from web, worker and beat at once
without "database is locked" (issue 16, item 6).

What `make run` starts, as separate processes on a throwaway SQLite database
and filesystem broker: the threaded dev server, a worker with two pool
processes, and beat. Customers and staff post comments through the web server
from several threads while the worker delivers the notifications those
comments queue and runs the sweeps beat sends, so all three write at the same
moments. Immediate transactions (`transaction_mode`), WAL and the busy timeout
in settings are what make the writers wait for each other instead of failing.

No service is needed: this runs everywhere, CI included. It takes about a
minute, most of it migrating and seeding the demo.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests

from tests.helpers.services import ROOT
from tickets.lifecycle import FINAL_STATUSES

PASSWORD = "charterdesk"
DRIVE_SECONDS = 25
MARK = "동시 쓰기 점검"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def quick_start_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "CACHE_URL")}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp / 'quick.sqlite3'}",
        CELERY_BROKER_DIR=str(tmp / "broker"),
        CELERY_BEAT_SCHEDULE_FILENAME=str(tmp / "beat-schedule"),
        SMS_FILE_PATH=str(tmp / "sms.log"),
        DEBUG="true",
        PYTHONUNBUFFERED="1",
        DJANGO_SETTINGS_MODULE="helpdesk.settings",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)


def signed_in(base: str, username: str) -> requests.Session:
    http = requests.Session()
    http.get(f"{base}/accounts/login/", timeout=30).raise_for_status()
    response = http.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": http.cookies["csrftoken"]},
        timeout=30,
        allow_redirects=False,
    )
    assert response.status_code == 302, f"{username} could not sign in: {response.status_code}"
    return http


def ticket_ids(http: requests.Session, url: str, pattern: str, database: Path) -> list[int]:
    """Up to five tickets the person's list links to that are still open (a
    finished ticket takes no comment from its customer)."""
    listed = {int(pk) for pk in re.findall(pattern, http.get(url, timeout=30).text)}
    with sqlite3.connect(database) as db:
        final = sorted(s.value for s in FINAL_STATUSES)
        marks = ", ".join("?" * len(final))
        finished = {pk for (pk,) in db.execute(f"SELECT id FROM tickets_ticket WHERE status IN ({marks})", final)}
    return sorted(listed - finished)[:5]


@pytest.fixture
def quick_start(tmp_path):
    """Web, worker and beat on a seeded SQLite database; yields (base URL, env, logs)."""
    env = quick_start_env(tmp_path)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo")
    port = free_port()
    commands = {
        "web": [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        "worker": [sys.executable, "-m", "celery", "-A", "helpdesk", "worker", "-l", "info", "--concurrency", "2"],
        "beat": [sys.executable, "-m", "celery", "-A", "helpdesk", "beat", "-l", "info"],
    }
    logs = {name: tmp_path / f"{name}.log" for name in commands}
    processes = {
        name: subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=logs[name].open("w"), stderr=subprocess.STDOUT, start_new_session=True
        )
        for name, command in commands.items()
    }
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                ready = requests.get(f"{base}/accounts/login/", timeout=5).status_code == 200
            except requests.ConnectionError:
                ready = False
            if ready and "ready." in logs["worker"].read_text():
                break
            time.sleep(1)
        else:
            pytest.fail("the quick start did not come up:\n" + "\n".join(p.read_text()[-2000:] for p in logs.values()))
        yield base, env, logs
    finally:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def test_web_worker_and_beat_write_to_sqlite_at_once(quick_start, tmp_path):
    base, env, logs = quick_start
    people = {
        "customer": ("/my/", r"/my/tickets/(\d+)/", "/my/tickets/{}/comment/", {}),
        "vip": ("/my/", r"/my/tickets/(\d+)/", "/my/tickets/{}/comment/", {}),
        "engineer": ("/desk/", r"/desk/tickets/(\d+)/", "/desk/tickets/{}/comment/", {}),
        "lead": ("/desk/", r"/desk/tickets/(\d+)/", "/desk/tickets/{}/comment/", {}),
        "chief": ("/desk/", r"/desk/tickets/(\d+)/", "/desk/tickets/{}/comment/", {}),
    }
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    errors: list[str] = []

    def person(username: str) -> None:
        list_url, pattern, comment_url, extra = people[username]
        try:
            http = signed_in(base, username)
            tickets = ticket_ids(http, base + list_url, pattern, tmp_path / "quick.sqlite3")
            assert tickets, f"{username} sees no ticket"
            stop = time.monotonic() + DRIVE_SECONDS
            n = 0
            while time.monotonic() < stop:
                n += 1
                response = http.post(
                    base + comment_url.format(tickets[n % len(tickets)]),
                    data={"body": f"{MARK} {username} {n}", "csrfmiddlewaretoken": http.cookies["csrftoken"], **extra},
                    timeout=60,
                    allow_redirects=False,
                )
                with lock:
                    statuses[response.status_code] += 1

        except Exception as exc:  # reported below, with the thread's name
            with lock:
                errors.append(f"{username}: {exc!r}")

    started = time.time()
    threads = [threading.Thread(target=person, args=(name,)) for name in people for _copy in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(5)  # the worker delivers the last comments' notifications

    assert not errors, errors
    assert set(statuses) == {302}, statuses
    posted = statuses[302]
    assert posted > 50, statuses

    database = sqlite3.connect(tmp_path / "quick.sqlite3")
    try:
        stored = database.execute("SELECT count(*) FROM tickets_comment WHERE body LIKE ?", (f"{MARK}%",)).fetchone()[0]
        # The worker wrote while the web did: notifications of these comments were sent.
        delivered = database.execute(
            "SELECT count(*) FROM notifications_notification WHERE state = 'sent' AND sent_at >= datetime(?, 'unixepoch')",
            (started,),
        ).fetchone()[0]
        swept = database.execute("SELECT count(*) FROM core_taskrun").fetchone()[0]
    finally:
        database.close()
    assert stored == posted  # every comment answered 302 is stored, once
    assert delivered > 0
    assert swept > 0  # beat's tasks ran through the worker

    for name, log in logs.items():
        text = log.read_text()
        assert "database is locked" not in text, f"{name}:\n{text[-3000:]}"
        assert "Traceback" not in text, f"{name}:\n{text[-3000:]}"
