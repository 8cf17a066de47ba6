"""The `http` scenario: throughput over real HTTP, as a deployment serves it.

The `pages` scenario times one request at a time in-process; this one starts
gunicorn (2 workers, DEBUG off, persistent database connections, the hashed
and compressed static files of `collectstatic`) on the data set the bench
points at, and drives the staff queue and the staff ticket page with 16
concurrent signed-in clients for 30 seconds (`--size` seconds), each on its
own keep-alive connection on loopback, each request waiting for the last
(a bounded client: the offered load is what the server can take). It prints
requests per second, p50 and p99 of the answer times and the number of
errors (anything but a 200), over all and per page:

    python -m bench http --tickets 1000000 --size 30

The clients are signed in by sessions written straight into the session
store (no password is needed); `X-Forwarded-Proto: https` stands in for the
TLS proxy in front of gunicorn, as deploy/nginx.conf sends it.
"""
from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from helpdesk.accounts.models import User

from .pages import Page, staff_queue, ticket_page
from .runner import Context, scenario

CLIENTS = 16
WORKERS = 2
DEFAULT_SECONDS = 30
ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _session_cookie(user: User) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _server_env(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "false",
            "CONN_MAX_AGE": env.get("CONN_MAX_AGE", "60"),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECRET_KEY": env.get("SECRET_KEY") or "bench-only-secret-key-" + "x" * 40,
            "LOG_LEVEL": "WARNING",
        }
    )
    if not env.get("CACHE_URL") and env.get("REDIS_URL", "").startswith("redis://"):
        # As a deployment of several web processes must (README "Configuration"):
        # one shared cache, so every worker hears of changed permissions and names.
        env["CACHE_URL"] = "rediscache://" + env["REDIS_URL"].removeprefix("redis://")
    return env


def _wait_up(port: int, proc: subprocess.Popen[bytes], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status in (200, 503):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within a minute")


class _Client(threading.Thread):
    """One signed-in browser on a keep-alive connection, alternating the pages."""

    def __init__(self, port: int, pages: list[tuple[str, str, str]], stop_at: float) -> None:
        super().__init__(daemon=True)
        self.port, self.pages, self.stop_at = port, pages, stop_at
        self.samples: list[tuple[str, float, int]] = []

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        i = 0
        while time.monotonic() < self.stop_at:
            name, path, cookie = self.pages[i % len(self.pages)]
            i += 1
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.samples.append((name, (time.perf_counter() - started) * 1000, status))
        conn.close()


def _summary(samples: list[tuple[str, float, int]], seconds: float) -> dict[str, Any]:
    times = sorted(ms for _n, ms, _s in samples)
    if not times:
        return {"requests": 0, "rps": 0.0, "p50_ms": None, "p99_ms": None, "errors": 0}
    return {
        "requests": len(times),
        "rps": round(len(times) / seconds, 1),
        "p50_ms": round(statistics.median(times), 1),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1),
        "errors": sum(1 for _n, _ms, status in samples if status != 200),
    }


@scenario("http")
def http_load(ctx: Context) -> Iterator[dict[str, Any]]:
    seconds = ctx.size or DEFAULT_SECONDS
    found: list[tuple[str, Page]] = []
    for name, make in (("staff_queue", staff_queue), ("ticket_page", ticket_page)):
        page = make()
        if page is None or page.user is None:
            ctx.note(f"http: {name} skipped (nothing to measure in this data set)")
            continue
        found.append((name, page))
    if not found:
        return
    pages = [(name, page.url, _session_cookie(page.user)) for name, page in found]  # type: ignore[arg-type]

    port = _free_port()
    env = _server_env(port)
    ctx.note("http: collectstatic (the hashed, compressed files production serves)")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    command = [
        sys.executable, "-m", "gunicorn", "helpdesk.wsgi:application",
        "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        _wait_up(port, server)
        # Warm each worker's connection and template caches before measuring.
        warm = _Client(port, pages, time.monotonic() + 3)
        warm.run()
        ctx.note(f"http: {CLIENTS} clients for {seconds} s against gunicorn ({WORKERS} workers) on port {port}")
        stop_at = time.monotonic() + seconds
        clients = [_Client(port, pages, stop_at) for _ in range(CLIENTS)]
        started = time.monotonic()
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    samples = [s for client in clients for s in client.samples]
    common = {"clients": CLIENTS, "workers": WORKERS, "seconds": round(elapsed, 1)}
    yield {"item": "http_mixed", **common, **_summary(samples, elapsed)}
    for name, _page in found:
        yield {"item": f"http_{name}", **common, **_summary([s for s in samples if s[0] == name], elapsed)}
