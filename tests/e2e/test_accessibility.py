"""Accessibility (issue 18, item 8): axe-core in every journey, the keyboard, contrast.

Every journey's pages are checked by axe-core automatically (tests/e2e/conftest.py).
Here: that the check itself works (a broken page is caught, even one left at once),
that axe comes from our own static files, the skip link and the menus from the
keyboard, the Bootstrap colours this product uses against WCAG AA, and a walk
through every menu page of each role so axe sees the pages no journey reaches.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from tests.e2e.helpers import AXE_SCRIPT, axe_check, axe_report, log_in, path_of

pytestmark = pytest.mark.e2e

PACKAGE_JSON = Path(__file__).resolve().parents[2] / "package.json"
# A page that breaks two critical rules: an image with no text, a button with no name.
BROKEN_PAGE = (
    '<!doctype html><html lang="ko"><head><title>검사용</title></head><body><main><h1>검사용</h1>'
    '<img src="/static/icons/favicon.svg"><button type="button"></button></main></body></html>'
)


def _focused(page: Page) -> dict[str, str]:
    return page.evaluate(
        "() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return {tag: e.tagName, id: e.id, cls: e.className, text: e.textContent.trim(),"
        " inMain: String(!!e.closest('main') && e.id !== 'main'), outline: s.outlineStyle, outlineColor: s.outlineColor}; }"
    )


# --- the check itself ---------------------------------------------------------


def test_axe_is_served_from_our_static_files_at_the_pinned_version(phone: Page) -> None:
    pinned = json.loads(PACKAGE_JSON.read_text())["dependencies"]["axe-core"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), "axe-core is pinned to an exact version"

    response = phone.request.get(static(AXE_SCRIPT))

    assert response.status == 200
    assert f"axe v{pinned}" in response.text()[:400]


def test_a_broken_page_is_reported_even_when_left_at_once(pages) -> None:
    page = pages.open("control")
    page.route("**/a11y-control/", lambda route: route.fulfill(body=BROKEN_PAGE, content_type="text/html"))

    # The journey leaves the page as soon as it has loaded, before axe has had
    # time to report. (Left before its load event, under a busy CI machine the
    # page may never have run a script at all: nothing can check such a page.)
    page.goto("/a11y-control/", wait_until="load")
    page.goto(reverse("login"))

    # What the journey would fail with when it ends (tests/e2e/conftest.py, Pages.finish).
    report = axe_report(pages.axe_found)
    assert "control: image-alt [critical]" in report and "control: button-name [critical]" in report
    assert "— img (" in report  # the element, and why
    assert "on /a11y-control/" in report  # the page
    assert "/accounts/login/" not in report  # the login page is clean
    pages.axe_found.clear()  # this journey found them on purpose


def test_axe_check_sees_what_changed_in_the_page(pages, org) -> None:
    desk = pages.open("desk")
    log_in(desk, org.desk_agent.username)
    desk.goto(reverse("desk:phone"))

    # An htmx swap (the caller lookup) leaves an accessible page behind.
    desk.fill("#id_q", org.customer.phone.as_national[-4:])
    expect(desk.locator("#lookup-results li a.btn").first).to_be_visible()
    axe_check(desk)

    # The control: a text box without a label, added after the page loaded.
    desk.evaluate("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')")
    with pytest.raises(AssertionError, match=r"label \[critical\]"):
        axe_check(desk)
    desk.evaluate("() => document.querySelector('main > input').remove()")


# --- the keyboard ---------------------------------------------------------------


def test_the_first_tab_reaches_the_skip_link_and_enter_moves_focus_to_the_content(desktop: Page, lead) -> None:
    log_in(desktop, lead.username)
    desktop.goto(reverse("staff:queue"))  # its filters are the first thing to use in main

    desktop.keyboard.press("Tab")

    focused = _focused(desktop)
    with translation.override("ko"):
        assert "skip-link" in focused["cls"] and focused["text"] == gettext("Skip to content")  # 본문으로 건너뛰기
    box = desktop.locator(".skip-link").bounding_box()
    assert box is not None and box["width"] > 20 and box["height"] > 10  # shown once focused

    desktop.keyboard.press("Enter")

    assert _focused(desktop)["id"] == "main"
    assert desktop.locator(".skip-link").bounding_box()["width"] <= 1  # hidden again
    # The next Tab goes on from the content, not back through the menu bar.
    desktop.keyboard.press("Tab")
    assert _focused(desktop)["inMain"] == "true"


def test_the_menus_open_and_close_from_the_keyboard_with_a_visible_focus(desktop: Page, lead) -> None:
    log_in(desktop, lead.username)
    desktop.goto(reverse("charter:escalated"))
    toggle = desktop.locator("#mainnav .dropdown-toggle", has_text="서비스 품질")
    menu = desktop.locator("#mainnav .dropdown-menu.show")

    # Tab along the menu bar up to the menu's toggle.
    for _ in range(30):
        desktop.keyboard.press("Tab")
        if _focused(desktop)["text"] == "서비스 품질":
            break
    focused = _focused(desktop)
    assert focused["tag"] == "BUTTON" and focused["text"] == "서비스 품질"
    # The focus shows on the blue bar: a solid white outline, not Bootstrap's faint glow.
    assert (focused["outline"], focused["outlineColor"]) == ("solid", "rgb(255, 255, 255)")

    desktop.keyboard.press("Enter")
    expect(menu).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    axe_check(desktop)  # the open menu too
    desktop.keyboard.press("ArrowDown")
    assert "dropdown-item" in _focused(desktop)["cls"]
    assert _focused(desktop)["outline"] == "solid"

    desktop.keyboard.press("Escape")
    expect(menu).to_have_count(0)
    assert _focused(desktop)["text"] == "서비스 품질"

    desktop.keyboard.press("Space")  # a real button: Space works as well as Enter
    expect(menu).to_be_visible()
    desktop.keyboard.press("ArrowDown")
    with desktop.expect_navigation():
        desktop.keyboard.press("Enter")
    assert path_of(desktop) == reverse("charter:scoreboard:board")


# --- colour contrast ---------------------------------------------------------------

# The Bootstrap colours the templates use, each on the backgrounds it appears on.
SAMPLES = """
<section id="contrast-samples" aria-label="samples">
  <p class="text-muted">muted</p> <p class="small text-body-secondary">secondary</p>
  <p><a href="#main">link</a> <button type="button" class="btn btn-link">link button</button></p>
  <div class="bg-light p-2"><span class="text-muted">muted on light</span> <a href="#main">link on light</a></div>
  <p>
    <span class="badge text-bg-primary">primary</span> <span class="badge text-bg-secondary">secondary</span>
    <span class="badge text-bg-success">success</span> <span class="badge text-bg-danger">danger</span>
    <span class="badge text-bg-warning">warning</span> <span class="badge text-bg-info">info</span>
    <span class="badge text-bg-light">light</span> <span class="badge text-bg-dark">dark</span>
  </p>
  %(alerts)s
  <table class="table table-striped table-hover"><tbody>
    <tr><td><a href="#main">row link</a> <span class="text-muted small">muted</span></td></tr>
    <tr><td><a href="#main">row link</a> <span class="text-muted small">muted</span></td></tr>
  </tbody></table>
  <p>
    <a class="btn btn-primary" href="#main">primary</a> <a class="btn btn-outline-primary" href="#main">outline</a>
    <a class="btn btn-outline-secondary" href="#main">outline</a> <a class="btn btn-success" href="#main">success</a>
    <a class="btn btn-danger" href="#main">danger</a> <a class="btn btn-outline-danger" href="#main">outline</a>
  </p>
  <ul class="pagination"><li class="page-item"><a class="page-link" href="#main">2</a></li></ul>
</section>
"""
ALERT_KINDS = ("primary", "secondary", "success", "danger", "warning", "info", "light")


def test_the_bootstrap_colours_used_here_meet_wcag_aa(desktop: Page, lead) -> None:
    log_in(desktop, lead.username)  # the full menu bar, the footer, the badges of a lead's pages
    desktop.goto(reverse("charter:escalated"))
    alerts = "".join(
        f'<div class="alert alert-{kind} small">{kind} <a href="#main">link</a> '
        f'<a class="alert-link" href="#main">alert link</a> <span class="text-muted">muted</span></div>'
        for kind in ALERT_KINDS
    )
    desktop.evaluate("(html) => document.querySelector('main').insertAdjacentHTML('beforeend', html)",
                     SAMPLES % {"alerts": alerts})

    axe_check(desktop)

    # The control: Bootstrap's own link blue on the light footer grey is what axe
    # flagged before charterdesk.css's accessibility section.
    desktop.evaluate(
        "() => document.querySelector('#contrast-samples').insertAdjacentHTML('beforeend',"
        " '<p class=\"bg-light\" id=\"stock-blue\" style=\"color: #0d6efd\">stock blue</p>')"
    )
    with pytest.raises(AssertionError, match=r"color-contrast \[serious\].*#stock-blue"):
        axe_check(desktop)
    desktop.evaluate("() => document.querySelector('#stock-blue').remove()")


# --- every menu page of each role ----------------------------------------------------


MENU_LINKS = ".navbar a[href^='/'], footer a[href^='/']"


@pytest.mark.parametrize(
    ("role", "phone"),
    [("customer", True), ("engineer", True), ("lead", False), ("auditor", False), ("approver", False)],
)
def test_every_menu_page_of_each_role_passes_axe(request, pages, org, work, role: str, phone: bool) -> None:
    """Each page is checked by the journey's automatic axe run as it is left."""
    ticket, visit = work
    person = {"customer": org.customer, "engineer": org.engineer, "lead": org.lead}.get(role) or request.getfixturevalue(role)
    page = pages.open(role, phone=phone)
    log_in(page, person.username)
    paths = list(dict.fromkeys(page.eval_on_selector_all(MENU_LINKS, "links => links.map((a) => a.getAttribute('href'))")))
    if role == "customer":
        paths += [reverse("portal:ticket_detail", args=[ticket.pk]), reverse("visits:customer_visit", args=[visit.pk])]
    if role == "engineer":
        paths += [reverse("staff:ticket_detail", args=[ticket.pk]), reverse("visits:staff_visit", args=[visit.pk])]
    assert len(paths) >= 5, paths

    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"


def test_the_pages_before_signing_in_and_the_not_found_page_pass_axe(phone: Page) -> None:
    for path in (reverse("login"), reverse("password_reset"), reverse("charter:charter"), reverse("standards")):
        response = phone.goto(path)
        assert response is not None and response.status == 200, path
    response = phone.goto("/no-such-page/")
    assert response is not None and response.status == 404
