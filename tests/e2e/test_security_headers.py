"""The main pages under the Content-Security-Policy and Permissions-Policy, in a
real browser: nothing refused, and what used inline script still works.

A page that breaks the policy keeps loading; the browser only says so in its
console and with a `securitypolicyviolation` event. Both are listened to here
(the event through a script Playwright adds to every document, which the
policy does not govern), and every journey must end with neither heard.
The first test proves the listening works: it breaks the policy on purpose.
"""
from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.e2e.helpers import POLICY_WORDS, log_in, path_of

pytestmark = pytest.mark.e2e

WATCH = """
window.__policyViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__policyViolations.push(
    `${e.effectiveDirective} refused ${e.blockedURI || "inline"} at ${e.sourceFile || location.pathname}:${e.lineNumber}`
  );
});
"""


class Watched:
    """One person's page, and every policy complaint it heard."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.heard: list[str] = []
        page.add_init_script(WATCH)
        page.on("console", self._console)

    def _console(self, message) -> None:
        if POLICY_WORDS.search(message.text):
            self.heard.append(f"console {message.type}: {message.text}")

    def collect(self) -> None:
        """Take the violations the current document recorded (a new document starts a new list)."""
        self.heard += self.page.evaluate("window.__policyViolations || []")

    def open(self, path: str) -> None:
        response = self.page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert "camera=()" in response.headers["permissions-policy"]
        self.collect()


def watched(pages, name: str, *, phone: bool = False) -> Watched:
    return Watched(pages.open(name, phone=phone))


def test_the_watch_hears_a_violation(pages) -> None:
    # The control: inline script injected into a served page is refused, and heard.
    me = watched(pages, "control")
    me.open(reverse("login"))

    me.page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true';"
        " document.body.appendChild(s); }"
    )
    me.page.wait_for_function("window.__policyViolations.length > 0")
    me.collect()

    assert me.page.evaluate("window.__ran === undefined")
    assert any("script-src" in h for h in me.heard), me.heard
    # Every journey's pages also fail on what the console says (tests/e2e/conftest.py):
    # this one heard it on purpose.
    assert any(POLICY_WORDS.search(problem) for problem in pages.problems), pages.problems
    pages.problems.clear()


def test_a_customer_goes_through_the_main_pages_unrefused(pages, org, work) -> None:
    ticket, visit = work
    me = watched(pages, "customer", phone=True)

    me.open(reverse("password_reset"))
    me.open(reverse("login"))
    with me.page.expect_navigation():
        me.page.click("#forgot-password")
    assert path_of(me.page) == reverse("password_reset")
    log_in(me.page, org.customer.username)
    me.collect()
    for path in (
        reverse("portal:ticket_list"),
        reverse("portal:ticket_detail", args=[ticket.pk]),
        reverse("portal:ticket_new"),
        reverse("visits:customer_visit", args=[visit.pk]),
        reverse("charter:charter"),
    ):
        me.open(path)

    # The language switch, no longer an inline onchange: choosing sends the form.
    me.page.click(".navbar-toggler")  # on a phone the menu is folded (Bootstrap's collapse)
    select = me.page.locator("select[name=language]")
    expect(select).to_be_visible()
    with me.page.expect_navigation():
        select.select_option("en")
    assert me.page.locator("html").get_attribute("lang") == "en"
    assert path_of(me.page) == reverse("charter:charter")
    me.collect()

    assert me.heard == []


def test_staff_go_through_the_main_pages_unrefused(pages, org, work) -> None:
    ticket, visit = work

    engineer = watched(pages, "engineer", phone=True)
    log_in(engineer.page, org.engineer.username)
    engineer.collect()
    for path in (
        reverse("staff:queue"),
        reverse("staff:ticket_detail", args=[ticket.pk]),
        reverse("visits:day"),
        reverse("visits:staff_visit", args=[visit.pk]),
    ):
        engineer.open(path)
    expect(engineer.page.locator("main")).to_contain_text("모니터 점검")

    agent = watched(pages, "desk")
    log_in(agent.page, org.desk_agent.username)
    for path in (reverse("desk:phone"), reverse("staff:intake"), reverse("desk:walk_ins"), reverse("desk:directory")):
        agent.open(path)
    # The staff menu's dropdown (Bootstrap and Popper, which position it with inline styles).
    agent.page.locator("#mainnav .dropdown-toggle").first.click()  # the service desk's menu
    expect(agent.page.locator("#mainnav .dropdown-menu.show")).to_be_visible()
    agent.collect()

    lead = watched(pages, "lead")
    log_in(lead.page, org.lead.username)
    lead.open(reverse("charter:dashboard:index"))
    # Chart.js from our static files draws the trend from json_script data.
    expect(lead.page.locator("canvas.trend-chart")).to_have_attribute("data-drawn", re.compile(r"\d+"))
    lead.open(reverse("charter:escalated"))
    lead.collect()

    assert engineer.heard == agent.heard == lead.heard == []
