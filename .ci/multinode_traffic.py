"""A burst of customers and staff at once, through nginx only, as browsers would
(.ci/multinode runs it against the loopback layout).

Customers (several threads per demo customer) file N fault reports with
unique titles; as each arrives, staff (the desk agent, the team lead, the
section chief) open the work queue, open the ticket, comment once, assign it
once and start the diagnosis once. The lead reloads the dashboard (the replica's
reads) meanwhile. Then it waits, on /healthz, for beat's next deadline sweep to
finish after the burst, and writes a manifest of what it did for
.ci/multinode_check.py to compare with the database.

Every request is bounded (a timeout each, a fixed number of them); any 5xx or
an answer other than the one a browser expects fails the run.
"""
from __future__ import annotations

import argparse
import json
import queue
import re
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

PASSWORD = "charterdesk"  # every demo user's (README, "Demo logins")
CUSTOMERS = ("customer", "customer", "vip", "vip")
STAFF = ("desk", "lead", "chief")
TIMEOUT = 30  # seconds, each request
SWEEP_WAIT = 150  # seconds: beat sends the sweep every 60
PROBE_SOURCE = "127.0.0.2"
FORGED_ADDRESS = "198.51.100.7"


class Form(HTMLParser):
    """The fields of one <form> on a page, as a browser would submit them
    unchanged: the form whose action ends with `action`, or with `form_id`,
    or else the first one without an action (a page posting to itself)."""

    def __init__(self, *, action: str = "", form_id: str = "") -> None:
        super().__init__()
        self.want_action, self.want_id = action, form_id
        self.action = ""
        self.inside = False
        self.done = False
        self.fields: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self.buttons: dict[str, list[str]] = {}
        self._select: str | None = None

    def _wanted(self, a: dict[str, str]) -> bool:
        if self.want_id:
            return a.get("id") == self.want_id
        if self.want_action:
            return a.get("action", "").endswith(self.want_action)
        return "action" not in a

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if not self.done and self._wanted(a):
                self.inside = True
                self.action = a.get("action", "")
            return
        if not self.inside:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "file", "button"):
                self.fields[name] = a.get("value", "")
        elif tag == "button" and name:
            self.buttons.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            self.options[name] = []
        elif tag == "option" and self._select:
            value = a.get("value", "")
            self.options[self._select].append(value)
            if "selected" in a or self._select not in self.fields:
                self.fields[self._select] = value
        elif tag == "textarea" and name:
            self.fields.setdefault(name, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False
            self.done = True


def form_of(html: str, *, action: str = "", form_id: str = "") -> Form:
    parser = Form(action=action, form_id=form_id)
    parser.feed(html)
    if not parser.done:
        raise Failure(f"no form {action or form_id or '(posting to its page)'} on the page")
    return parser


class Failure(Exception):
    pass


@dataclass
class Tally:
    """Every response of the run, counted across threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    requests: int = 0

    def seen(self, method: str, path: str, status: int) -> None:
        with self.lock:
            self.requests += 1
            self.statuses[status] += 1
            if status >= 500:
                self.errors.append(f"{method} {path} -> {status}")

    def failed(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)


class FromAddress(HTTPAdapter):
    """Connections from another loopback address than nginx's own, so the
    client nginx sees (127.0.0.2) differs from the one gunicorn sees (nginx)."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class Browser:
    """One person's browser: its own cookies, the CSRF token from each form,
    a Referer as browsers send it over HTTPS."""

    def __init__(self, base: str, cafile: str, tally: Tally, username: str, *, source: str = "") -> None:
        self.base, self.tally, self.username = base, tally, username
        self.session = requests.Session()
        # Loopback only: no proxy or CA bundle from the environment, our certificate alone.
        self.session.trust_env = False
        self.session.verify = cafile
        if source:
            self.session.mount("https://", FromAddress(source))

    def request(self, method: str, path: str, *, expect: tuple[int, ...], **kwargs: Any) -> requests.Response:
        response = self.session.request(
            method, urljoin(self.base, path), timeout=TIMEOUT, allow_redirects=False, **kwargs
        )
        self.tally.seen(method, path, response.status_code)
        if response.status_code not in expect:
            raise Failure(f"{self.username}: {method} {path} -> {response.status_code}, expected {expect}")
        return response

    def get(self, path: str) -> str:
        return self.request("GET", path, expect=(200,)).text

    def submit(self, page: str, form: Form, data: dict[str, str], *, expect: tuple[int, ...] = (302,)) -> str:
        """POST the form found on `page` with `data` over its fields; the new location."""
        action = form.action or page
        response = self.request(
            "POST", action, expect=expect, data={**form.fields, **data},
            headers={"Referer": urljoin(self.base, page)},
        )
        return urlsplit(response.headers.get("Location", "")).path

    def sign_in(self) -> None:
        page = "/accounts/login/"
        form = form_of(self.get(page))
        landed = self.submit(page, form, {"username": self.username, "password": PASSWORD})
        if "sessionid" not in self.session.cookies:
            raise Failure(f"{self.username}: signed in without a session (landed on {landed})")


@dataclass
class Work:
    pk: int
    title: str
    by: str
    actions: list[str] = field(default_factory=list)


def customer_files(browser: Browser, titles: list[str], inbox: queue.Queue[Work | None], done: list[Work]) -> None:
    browser.sign_in()
    for title in titles:
        page = "/my/new/"
        form = form_of(browser.get(page), form_id="fault-report")
        assets = [v for v in form.options.get("asset", []) if v and v != "other"]
        data = {
            "title": title,
            "description": f"{title}: 다중 서버 점검 중 접수된 요청입니다.",
            "asset": assets[0] if assets else "other",
            "asset_other": "" if assets else "복합기 (3층 복도)",
            "category": "",
            "contact_phone": form.fields.get("contact_phone") or "010-1234-5678",
        }
        location = browser.submit(page, form, data)
        match = re.fullmatch(r"/my/tickets/(\d+)/", location)
        if not match:
            raise Failure(f"{browser.username}: filing {title!r} went to {location!r}")
        browser.get(location)  # the customer reads the new ticket
        work = Work(pk=int(match.group(1)), title=title, by=browser.username)
        done.append(work)
        inbox.put(work)
    browser.get("/my/")


def staff_works(browser: Browser, inbox: queue.Queue[Work | None], handled: list[Work]) -> None:
    browser.sign_in()
    n = 0
    while True:
        work = inbox.get()
        if work is None:
            return
        n += 1
        if n % 5 == 1:
            browser.get("/desk/")
        if browser.username == "lead" and n % 7 == 1:
            browser.get("/charter/dashboard/")
            browser.get("/charter/dashboard/list/open/")
        page = f"/desk/tickets/{work.pk}/"
        html = browser.get(page)
        comment = form_of(html, action="/comment/")
        browser.submit(page, comment, {"body": f"{work.title}: 담당자가 확인했습니다."})
        work.actions.append("comment")
        html = browser.get(page)
        assign = form_of(html, action="/assign/")
        people = [v for v in assign.options.get("assignee", []) if v]
        if not people:
            # The picker's options arrive when it comes into view (htmx, tickets.forms.people):
            # fetch them as the browser does.
            picker = re.search(r'<select name="assignee"[^>]*hx-get="([^"]+)"', html)
            if picker:
                people = re.findall(r'<option value="(\d+)"', browser.get(unescape(picker.group(1))))
        if not people:
            raise Failure(f"{browser.username}: nobody to assign ticket {work.pk} to")
        browser.submit(page, assign, {"assignee": people[0]})
        work.actions.append("assign")
        status = form_of(browser.get(page), action="/status/")
        if "diagnose" not in status.buttons.get("action", []):
            raise Failure(f"{browser.username}: ticket {work.pk} offers no diagnosis ({status.buttons})")
        browser.submit(page, status, {"action": "diagnose", "note": ""})
        work.actions.append("diagnose")
        handled.append(work)


def run_threads(targets: list[tuple[str, Any, tuple[Any, ...]]], tally: Tally) -> list[threading.Thread]:
    threads = []
    for name, target, args in targets:
        def body(target: Any = target, args: tuple[Any, ...] = args, name: str = name) -> None:
            try:
                target(*args)
            except (Failure, requests.RequestException) as exc:
                tally.failed(f"{name}: {exc}")
        thread = threading.Thread(target=body, name=name, daemon=True)
        thread.start()
        threads.append(thread)
    return threads


def address_probe(base: str, cafile: str, tally: Tally, username: str) -> None:
    """One wrong password, from 127.0.0.2, with an X-Forwarded-For the client
    made up: sign-in throttling must count 127.0.0.2, the address nginx saw
    (PROXY_COUNT=1), neither the forged one nor nginx's own."""
    browser = Browser(base, cafile, tally, username, source=PROBE_SOURCE)
    page = "/accounts/login/"
    form = form_of(browser.get(page))
    browser.request(
        "POST", page, expect=(200,),
        data={**form.fields, "username": username, "password": "not-the-password"},
        headers={"Referer": urljoin(base, page), "X-Forwarded-For": FORGED_ADDRESS},
    )


def sweep_finished(browser: Browser) -> datetime | None:
    response = browser.request("GET", "/healthz", expect=(200, 503))
    last = response.json().get("sweep", {}).get("last")
    return datetime.fromisoformat(last) if last else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--cafile", required=True)
    parser.add_argument("--tickets", type=int, default=60)
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--manifest", required=True)
    args = parser.parse_args()

    tally = Tally()
    started = time.monotonic()
    titles = [f"MN-{args.run_id}-{i:03d} 프린터 용지 걸림" for i in range(args.tickets)]
    shares = [titles[i :: len(CUSTOMERS)] for i in range(len(CUSTOMERS))]
    inbox: queue.Queue[Work | None] = queue.Queue()
    filed: list[Work] = []
    handled: list[Work] = []

    customers = run_threads(
        [(f"{u}-{i}", customer_files, (Browser(args.base, args.cafile, tally, u), shares[i], inbox, filed))
         for i, u in enumerate(CUSTOMERS)],
        tally,
    )
    staff = run_threads(
        [(u, staff_works, (Browser(args.base, args.cafile, tally, u), inbox, handled)) for u in STAFF], tally
    )
    for thread in customers:
        thread.join(timeout=300)
    for _ in staff:
        inbox.put(None)
    for thread in staff:
        thread.join(timeout=300)
    burst_seconds = time.monotonic() - started

    # Beat's next deadline sweep, finished after the burst: every new ticket's
    # clock is then on the sweep's books.
    probe = Browser(args.base, args.cafile, tally, "probe")
    burst_end = sweep_finished(probe)
    waited = time.monotonic()
    swept = burst_end
    while time.monotonic() - waited < SWEEP_WAIT:
        swept = sweep_finished(probe)
        if swept is not None and (burst_end is None or swept > burst_end):
            break
        time.sleep(2)
    else:
        tally.failed(f"no deadline sweep finished within {SWEEP_WAIT}s after the burst (last: {swept})")

    # The lead's dashboard once more, last: its reads go through the replica
    # alias, whose session the check then finds still open on a web machine.
    lead = Browser(args.base, args.cafile, tally, "lead")
    try:
        lead.sign_in()
        lead.get("/charter/dashboard/")
        lead.get("/charter/dashboard/list/open/")
    except (Failure, requests.RequestException) as exc:
        tally.failed(f"lead's dashboard: {exc}")

    probe_user = f"mn-probe-{args.run_id}"
    try:
        address_probe(args.base, args.cafile, tally, probe_user)
    except (Failure, requests.RequestException) as exc:
        tally.failed(f"address probe: {exc}")

    manifest = {
        "run_id": args.run_id,
        "address_probe": {"username": probe_user, "source": PROBE_SOURCE, "forged": FORGED_ADDRESS},
        "titles": titles,
        "filed": [w.__dict__ for w in filed],
        "handled": [w.__dict__ for w in handled],
        "requests": tally.requests,
        "statuses": dict(tally.statuses),
        "errors": tally.errors,
        "burst_seconds": round(burst_seconds, 1),
        "sweep_wait_seconds": round(time.monotonic() - waited, 1),
    }
    with open(args.manifest, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False, indent=1)
    print(
        f"traffic: {tally.requests} requests in {burst_seconds:.1f}s through nginx "
        f"({len(CUSTOMERS)} customer and {len(STAFF)} staff browsers at once), "
        f"{len(filed)} tickets filed, {len(handled)} handled, statuses {dict(sorted(tally.statuses.items()))}; "
        f"deadline sweep after the burst came {manifest['sweep_wait_seconds']}s later"
    )
    for error in tally.errors:
        print(f"ERROR: {error}", file=sys.stderr)
    return 1 if tally.errors else 0


if __name__ == "__main__":
    sys.exit(main())
