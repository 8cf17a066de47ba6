"""Steps every browser journey takes: signing in through the login form,
reading where the browser is, and checking a page with axe-core. The pages
themselves are tests/e2e/conftest.py's."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from django.templatetags.static import static
from django.urls import reverse

from tests.factories import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Chromium's console words for a resource the policies refused and for a policy it cannot read.
POLICY_WORDS = re.compile(r"Content Security Policy|Content-Security-Policy|Permissions[- ]Policy", re.IGNORECASE)


def log_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form (every factory-made person's password unless told otherwise)."""
    page.goto(reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def pick_person(page: Page, select: str, person: Any) -> None:
    """Choose `person` in a person picker (tickets.forms.people): type their name
    in the search box under the select, wait for them among the options, choose."""
    from playwright.sync_api import expect

    page.locator(f"{select} ~ input[type=search]").fill(person.display_name)
    expect(page.locator(f"{select} option[value='{person.pk}']")).to_have_count(1)
    page.locator(select).select_option(str(person.pk))


def path_of(page: Page) -> str:
    return urlparse(page.url).path


# --- Accessibility: axe-core (package.json), served by our own staticfiles ---
# The pages' CSP is script-src 'self', so axe arrives as a <script src> from the
# live server itself, never from a CDN and never inline.
AXE_SCRIPT = "vendor/axe-core/axe.min.js"
# What fails a journey: axe's two highest impacts. Moderate and minor findings
# (e.g. the best-practice "region" rule) are worth reading but not a red build.
AXE_FAILING_IMPACTS = ("serious", "critical")
# axe's results cut down to what a failure message names, in the page, so only
# the failing violations cross to Python.
_AXE_SUMMARY = """(results, failing) => results.violations
  .filter((v) => failing.includes(v.impact))
  .map((v) => ({rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")),
                detail: [...v.nodes[0].any, ...v.nodes[0].all, ...v.nodes[0].none].map((c) => c.message)[0] || ""}))"""
# Added to every document of a journey's pages (tests/e2e/conftest.py): says
# "loading" as the document starts, and once it has loaded, injects axe and
# reports what axe found through the window.__axeReport binding. It runs in
# the page because Playwright cannot evaluate in a document whose navigation
# away is being held, which is where the journey waits for this report.
_AXE_AUTO = """(() => {
  if (window !== window.top || !location.protocol.startsWith("http")) return;
  const doc = Math.random().toString(36).slice(2);
  const report = (data) => window.__axeReport(Object.assign({doc, url: location.href}, data));
  const summary = %(summary)s;
  report({state: "loading"});
  window.__axeAuto = new Promise((resolve) => {
    window.addEventListener("load", () => {
      if (document.contentType !== "text/html") { report({state: "skipped"}); resolve(); return; }
      const script = document.createElement("script");
      script.src = %(src)s;
      script.onerror = () => { report({state: "failed", error: script.src + " did not load"}); resolve(); };
      script.onload = () => axe.run(document, {resultTypes: ["violations"]})
        .then((results) => report({state: "done", violations: summary(results, %(failing)s)}),
              (error) => report({state: "failed", error: String(error)}))
        .finally(resolve);
      document.head.appendChild(script);
    }, {once: true});
  });
})();"""


def axe_init_script() -> str:
    return _AXE_AUTO % {
        "summary": _AXE_SUMMARY,
        "src": json.dumps(static(AXE_SCRIPT)),
        "failing": json.dumps(list(AXE_FAILING_IMPACTS)),
    }


@dataclass(frozen=True)
class AxeViolation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]
    url: str
    # axe's words on the first element, e.g. the contrast ratio and both colours.
    detail: str = ""

    @classmethod
    def from_report(cls, found: dict[str, Any], url: str) -> AxeViolation:
        return cls(rule=found["rule"], impact=found["impact"], help=found["help"],
                   targets=tuple(found["targets"]), url=url, detail=found.get("detail", ""))

    def __str__(self) -> str:
        return (f"{self.rule} [{self.impact}] {self.help} — {shorten_targets(self.targets)} ({self.detail})"
                f" — on {path_and_query(self.url)}")


def shorten_targets(targets: tuple[str, ...], shown: int = 5) -> str:
    more = f" (+{len(targets) - shown} more)" if len(targets) > shown else ""
    return ", ".join(targets[:shown]) + more


def path_and_query(url: str) -> str:
    parts = urlparse(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def axe_report(found: list[tuple[str, AxeViolation]]) -> str:
    """What a journey fails with: one line per page name, rule and set of elements,
    with every page it was found on (the same menu bar fault on ten pages is one fault)."""
    where: dict[tuple[str, str, tuple[str, ...]], tuple[AxeViolation, list[str]]] = {}
    for name, v in found:
        _first, paths = where.setdefault((name, v.rule, v.targets), (v, []))
        if path_and_query(v.url) not in paths:
            paths.append(path_and_query(v.url))
    lines = [
        f"{name}: {v.rule} [{v.impact}] {v.help} — {shorten_targets(v.targets)} ({v.detail}) — on {', '.join(paths)}"
        for (name, _rule, _targets), (v, paths) in where.items()
    ]
    return "axe-core found serious or critical accessibility violations:\n  " + "\n  ".join(lines)


def axe_violations(page: Page) -> list[AxeViolation]:
    """The serious and critical violations in the page's document as it is now
    (after the automatic check of its load, if one is running, has finished:
    axe refuses to run twice at once). HTML documents only."""
    if page.url == "about:blank" or page.evaluate("document.contentType") != "text/html":
        return []
    page.evaluate("() => window.__axeAuto")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(url=static(AXE_SCRIPT))
    found = page.evaluate(
        f"async (failing) => ({_AXE_SUMMARY})(await axe.run(document, {{resultTypes: ['violations']}}), failing)",
        list(AXE_FAILING_IMPACTS),
    )
    return [AxeViolation.from_report(v, page.url) for v in found]


def axe_check(page: Page) -> None:
    """Check the page with axe now, e.g. after an in-page change (a section
    opened, an htmx swap) that the automatic check at load did not see."""
    violations = axe_violations(page)
    assert not violations, "axe-core: " + "; ".join(str(v) for v in violations)
