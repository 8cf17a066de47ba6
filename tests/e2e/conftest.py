"""Browser journeys: Playwright's sync API driving Debian's Chromium against live_server.

- `phone` and `desktop` are fresh pages (own cookies) in a Korean browser
  (ko-KR, Asia/Seoul) whose relative URLs resolve against the live server,
  so `phone.goto("/accounts/login/")` works. `pages.open(name, phone=...,
  locale=...)` opens more, for journeys with two people at once.
- Static files (Bootstrap, htmx from node_modules) are served by pytest-django's
  live server through staticfiles' finders, as in StaticLiveServerTestCase.
- A journey fails if the page threw a JavaScript error or a /static/ asset did
  not load: a page that looks right in the HTML but is broken in the browser
  is exactly what these tests are for.
- On failure a full-page screenshot of every open page goes to test-artifacts/.
- No Chromium: in CI (CI=true) the journeys fail; elsewhere they are skipped.
"""
from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import time_machine

from tests.e2e.helpers import POLICY_WORDS
from tests.helpers.clock import SEOUL
from tests.helpers.services import IN_CI

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Response

# Playwright's sync API keeps an asyncio loop running in this thread, and Django
# refuses ORM calls from a thread with a running loop. The tests are synchronous
# (the loop only drives the browser), so the guard is switched off here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# The flags keep Chromium off the network except for the live server: this
# machine has no route out, and background fetches would only add noise.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36"
    ),
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
DEFAULT_TIMEOUT_MS = 10_000

_reports = pytest.StashKey[dict[str, pytest.TestReport]]()


def _unavailable(reason: str) -> None:
    # CI must prove the journeys ran; a laptop without Chromium just skips them.
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: browser journeys must run)", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


def _failed(request: pytest.FixtureRequest) -> bool:
    reports = request.node.stash.get(_reports, {})
    return any(r.failed for r in reports.values())


class Pages:
    """The browser pages one test opened: watched for problems, photographed on failure."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.opened: list[tuple[str, BrowserContext, Page]] = []
        self.problems: list[str] = []

    def open(self, name: str, *, phone: bool = False, locale: str = "ko-KR") -> Page:
        """A new page with its own cookies, i.e. another person at another device."""
        context = self.browser.new_context(
            base_url=self.base_url, locale=locale, timezone_id="Asia/Seoul", **(PHONE if phone else DESKTOP)
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        page = context.new_page()
        page.on("pageerror", lambda exc: self.problems.append(f"{name}: JavaScript error: {exc}"))
        page.on("response", lambda response: self._check(name, response))
        page.on("console", lambda message: self._policy(name, message.text))
        self.opened.append((name, context, page))
        return page

    def _check(self, name: str, response: Response) -> None:
        if "/static/" in response.url and response.status >= 400:
            self.problems.append(f"{name}: {response.url} answered {response.status}")

    def _policy(self, name: str, text: str) -> None:
        # Every journey runs under the Content-Security-Policy and the
        # Permissions-Policy: Chromium's console is where a refusal shows.
        if POLICY_WORDS.search(text):
            self.problems.append(f"{name}: {text}")

    def finish(self, *, failed: bool, nodeid: str) -> None:
        try:
            if failed or self.problems:
                ARTIFACTS.mkdir(exist_ok=True)
                stem = re.sub(r"[^\w.-]+", "_", nodeid)
                for name, _context, page in self.opened:
                    try:
                        page.screenshot(path=str(ARTIFACTS / f"{stem}-{name}.png"), full_page=True)
                    except Exception as exc:  # a crashed page must not hide the test's own failure
                        print(f"no screenshot of {name}: {exc}", file=sys.stderr)
        finally:
            for _name, context, _page in self.opened:
                context.close()
        assert not self.problems, "the browser reported: " + "; ".join(self.problems)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module; stopping Playwright afterwards ends its event
    loop, so tests that run later in the same worker see a plain thread again."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -r requirements-dev.txt)")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def pages(browser: Browser, live_server: Any, transactional_db: None, request: pytest.FixtureRequest) -> Iterator[Pages]:
    """live_server runs in another thread, so the test data must be committed:
    transactional_db (which also lets SQLite's in-memory database be shared).

    A transactional test before this one flushed the tables and post_migrate
    rebuilt the content types under new ids; clear the cached ones and sync the
    role groups again so every journey starts with the roles' permissions."""
    from django.contrib.contenttypes.models import ContentType

    from helpdesk.accounts.roles import roles_sync

    ContentType.objects.clear_cache()
    roles_sync()
    opened = Pages(browser, live_server.url)
    yield opened
    opened.finish(failed=_failed(request), nodeid=request.node.nodeid)


@pytest.fixture
def morning() -> Iterator[date]:
    """The clock moved to 10:00 Seoul time today, ticking (for the live server's
    thread too), so a journey never straddles midnight; yields today's date."""
    today = datetime.now(SEOUL).date()
    with time_machine.travel(datetime.combine(today, time(10, 0), tzinfo=SEOUL), tick=True):
        yield today


@pytest.fixture
def phone(pages: Pages) -> Page:
    """A phone-sized page, as customers and engineers on site use the product."""
    return pages.open("phone", phone=True)


@pytest.fixture
def desktop(pages: Pages) -> Page:
    """A desktop-sized page, as desk agents and team leads use the product."""
    return pages.open("desktop")
