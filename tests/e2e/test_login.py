"""Smoke journey: the login page in a Korean browser, on a phone and on a desktop."""
from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.e2e.helpers import log_in, path_of
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def test_login_page_renders_in_korean_with_its_assets(phone: Page) -> None:
    response = phone.goto(reverse("login"))

    assert response is not None and response.status == 200
    assert "charterdesk" in phone.title()
    # Korean first: the page is Korean whatever else the browser would accept.
    assert phone.locator("html").get_attribute("lang") == "ko"
    # Bootstrap really arrived from node_modules via staticfiles: its styles apply.
    button = phone.locator("main form button[type=submit]")
    assert button.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(13, 110, 253)"  # .btn-primary
    assert phone.evaluate("typeof window.bootstrap") == "object"
    assert phone.evaluate("typeof window.htmx") == "object"


def test_customer_logs_in_on_a_phone_and_lands_on_their_requests(phone: Page, customer) -> None:
    log_in(phone, customer.username, PASSWORD)

    assert path_of(phone) == reverse("portal:ticket_list")


def test_engineer_logs_in_on_a_desktop_and_lands_on_the_work_queue(desktop: Page, engineer) -> None:
    log_in(desktop, engineer.username, PASSWORD)

    assert path_of(desktop) == reverse("staff:queue")


def test_wrong_password_stays_on_the_login_page_keeping_the_username(phone: Page, customer) -> None:
    log_in(phone, customer.username, "not-the-password")

    assert path_of(phone) == reverse("login")
    assert phone.locator("#id_username").input_value() == customer.username
    assert phone.locator("#id_password").input_value() == ""
    assert phone.locator("main .alert-danger").count() == 1


def test_an_english_browser_still_gets_korean(pages, customer) -> None:
    page = pages.open("desktop-en", locale="en-US")

    page.goto(reverse("login"))

    assert page.evaluate("navigator.language") == "en-US"
    assert page.locator("html").get_attribute("lang") == "ko"
