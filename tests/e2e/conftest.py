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
- Every HTML document a journey's pages load is checked with axe-core (from
  node_modules, served by the live server) once it has loaded; a page is not
  let go of until axe has reported on it, and a serious or critical violation
  fails the journey, naming the rule, the elements and the page.
  `axe_check(page)` (helpers.py) checks again after an in-page change.
- On failure a full-page screenshot of every open page goes to test-artifacts/.
- No Chromium: in CI (CI=true) the journeys fail; elsewhere they are skipped.
"""
from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, Any

import pytest
import time_machine

from tests.e2e.helpers import POLICY_WORDS, AxeViolation, axe_init_script, axe_report
from tests.helpers.clock import SEOUL
from tests.helpers.services import IN_CI

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # the browser fixture skips (or, in CI, fails) with the reason
    PlaywrightError = Exception  # type: ignore[assignment,misc]

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Response, Route

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
# How long a page waits, before it is let go, for axe's report on the document
# it is leaving (axe takes a tenth to a fifth of a second on our pages).
AXE_WAIT_S = 10
# Playwright's words for a page or context that closed while it waited: nothing
# left to check, nothing wrong.
GONE = re.compile(r"Execution context was destroyed|has been closed|Target closed|detached", re.IGNORECASE)

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
        self.axe_found: list[tuple[str, AxeViolation]] = []
        # The document of each page that axe has not yet reported on.
        self.axe_loading: dict[Page, str] = {}

    def open(self, name: str, *, phone: bool = False, locale: str = "ko-KR") -> Page:
        """A new page with its own cookies, i.e. another person at another device."""
        context = self.browser.new_context(
            base_url=self.base_url, locale=locale, timezone_id="Asia/Seoul",
            # Bootstrap drops its transitions then, so axe never measures a colour halfway through one.
            reduced_motion="reduce",
            **(PHONE if phone else DESKTOP),
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        page = context.new_page()
        page.on("pageerror", lambda exc: self.problems.append(f"{name}: JavaScript error: {exc}"))
        page.on("response", lambda response: self._check(name, response))
        page.on("console", lambda message: self._policy(name, message.text))
        # Every document is checked with axe-core once it has loaded (see helpers.axe_init_script).
        context.expose_binding("__axeReport", lambda source, data: self._axe_heard(name, source, data))
        context.add_init_script(axe_init_script())
        context.route("**/*", lambda route: self._before_request(name, route))
        self.opened.append((name, context, page))
        return page

    def _axe_heard(self, name: str, source: dict[str, Any], data: dict[str, Any]) -> None:
        """What the axe script added to every document (helpers.axe_init_script) reports."""
        page = source["page"]
        if data["state"] == "loading":
            self.axe_loading[page] = data["doc"]
            return
        if self.axe_loading.get(page) == data["doc"]:
            del self.axe_loading[page]
        if data["state"] == "failed":
            self.problems.append(f"{name}: axe-core could not check {data['url']}: {data.get('error')}")
        for found in data.get("violations", []):
            self.axe_found.append((name, AxeViolation.from_report(found, data["url"])))

    def _axe_finished(self, name: str, page: Page) -> None:
        """Wait until axe has reported on the page's current document."""
        deadline = monotonic() + AXE_WAIT_S
        while page in self.axe_loading and monotonic() < deadline:
            page.wait_for_timeout(25)
        if page in self.axe_loading:
            del self.axe_loading[page]
            self.problems.append(f"{name}: axe-core had not finished on {page.url} after {AXE_WAIT_S} s")

    def _before_request(self, name: str, route: Route) -> None:
        """A new document is about to replace the page's current one: hold the
        navigation until axe has reported on the current one. A journey often
        moves on (fills, clicks, leaves) before axe is done; without this wait
        the pages it leaves quickly, the login page first of all, would never
        be checked."""
        try:
            request = route.request
            if request.is_navigation_request() and request.frame.parent_frame is None:
                self._axe_finished(name, request.frame.page)
        except PlaywrightError as exc:  # raised here it would only be logged, and the request held for ever
            if not GONE.search(str(exc)):
                self.problems.append(f"{name}: waiting for axe-core before {route.request.url}: {exc}")
        finally:
            try:
                route.fallback()
            except PlaywrightError:  # the page or its context closed meanwhile
                pass

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
            if not failed:
                # The last document of each page: the journey may end before axe has reported on it.
                for name, _context, page in self.opened:
                    if not page.is_closed():
                        page.wait_for_load_state("load")
                        self._axe_finished(name, page)
            if failed or self.problems or self.axe_found:
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
        if self.axe_found:
            pytest.fail(axe_report(self.axe_found), pytrace=False)


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
    thread too), so a journey never straddles midnight; yields today's date.
    On a weekend or Korean holiday, the next business day's: visits keep to
    business days, so a journey that books one must not run on a Sunday."""
    from standards.business_calendar import default_calendar

    today = datetime.now(SEOUL).date()
    calendar = default_calendar()
    while not calendar.is_business_day(today):
        today += timedelta(days=1)
    with time_machine.travel(datetime.combine(today, time(10, 0), tzinfo=SEOUL), tick=True):
        yield today


@pytest.fixture
def work(org: Any, morning: date) -> tuple[Any, Any]:
    """A customer's ticket in the engineer's hands and a visit to it this afternoon:
    something on the lists of the journeys that go through the main pages."""
    from standards.selectors import standards_changed
    from standards.services import default_standard_seed
    from tests import factories as f
    from tickets.lifecycle import Status
    from visits.services.booking import visit_book

    default_standard_seed()  # a flushed database has lost what the data migration seeded
    standards_changed()
    ticket = f.TicketFactory(
        reporter=org.customer, team=org.team, asset=org.asset, category=org.category, assignee=org.engineer,
        status=Status.ASSIGNED, contact_phone="010-5555-1234", title="모니터 화면 깜빡임",
    )
    visit = visit_book(
        ticket=ticket, engineer=org.engineer, actor=org.desk_agent, purpose="모니터 점검", agreed_by_phone=True,
        start=datetime.combine(morning, time(14, 0), tzinfo=SEOUL),
        end=datetime.combine(morning, time(15, 0), tzinfo=SEOUL),
    )
    return ticket, visit


@pytest.fixture
def phone(pages: Pages) -> Page:
    """A phone-sized page, as customers and engineers on site use the product."""
    return pages.open("phone", phone=True)


@pytest.fixture
def desktop(pages: Pages) -> Page:
    """A desktop-sized page, as desk agents and team leads use the product."""
    return pages.open("desktop")
