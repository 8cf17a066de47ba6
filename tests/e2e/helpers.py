"""Steps every browser journey takes: signing in through the login form, and
reading where the browser is. The pages themselves are tests/e2e/conftest.py's."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlparse

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


def path_of(page: Page) -> str:
    return urlparse(page.url).path
