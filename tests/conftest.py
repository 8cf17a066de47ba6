"""Shared fixtures: the named people every test talks about.

Like healthchecks' alice/bob/charlie, permission tests read as sentences:
"the other customer gets a 404 for the customer's ticket".
"""
from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from tests import factories as f


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Argon2 is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Tests read in English: messages raised by services called directly are in
    English. Pages stay Korean-first (the middleware picks each request's
    language), so page tests assert Korean or ask for English with a cookie."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _sms_locmem(settings):
    # No test prints SMS to the console or sends one anywhere: they land in memory.
    from helpdesk.notifications.sms import LocMemSMSBackend

    settings.SMS_BACKEND = "helpdesk.notifications.sms.LocMemSMSBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    LocMemSMSBackend.outbox.clear()
    yield
    LocMemSMSBackend.outbox.clear()


@pytest.fixture
def org(db) -> f.Org:
    return f.org_make()


@pytest.fixture
def customer(org):
    return org.customer


@pytest.fixture
def other_customer(org):
    return org.other_customer


@pytest.fixture
def engineer(org):
    return org.engineer


@pytest.fixture
def other_engineer(org):
    return org.other_engineer


@pytest.fixture
def lead(org):
    return org.lead


@pytest.fixture
def desk_agent(org):
    return org.desk_agent


@pytest.fixture
def admin_user(org):
    return org.admin


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for():
    return login


@pytest.fixture
def render_panel(rf):
    """The HTML one app's panel adds to a ticket page (tickets.panels), as `user` at `path` sees it."""
    from tickets.panels import panel_render_one

    def render(template: str, ticket, user, *, path: str = "/") -> str:
        from django.contrib.auth.models import AnonymousUser

        request = rf.get(path)
        request.user = user or AnonymousUser()
        return panel_render_one(request, ticket, template=template)

    return render
