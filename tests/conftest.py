"""Shared fixtures: the named people every test talks about, and what every test needs.

Like healthchecks' alice/bob/charlie, permission tests read as sentences:
"the other customer gets a 404 for the customer's ticket". The organisation
(tests.factories.org_make) holds the customers, engineers, lead, desk agent and
admin; the section chief, the approver and the auditor are made when asked for.

Every test: fast settings, English outside requests, SMS and e-mail in memory,
no broker, a fresh standards cache. On request: the seeded `standard`, a
`frozen` clock (at `frozen_at`), logged-in clients (`client_for`,
`en_client_for`, `en_client`), a panel's HTML. What tests call by name (a clock
instant, a step through the services) is in tests/helpers/ or a folder's
helpers module: no test imports a test module or a conftest
(tests/test_architecture.py).
"""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

from tests import factories as f
from tests.helpers.clients import english, logged_in
from tests.helpers.clock import NOW


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
def sms_outbox(settings) -> Iterator[list[dict[str, str]]]:
    """No test prints SMS to the console or sends one anywhere: they land in
    memory, in this list (and e-mail in django.core.mail.outbox)."""
    from helpdesk.notifications.sms import LocMemSMSBackend

    settings.SMS_BACKEND = "helpdesk.notifications.sms.LocMemSMSBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    LocMemSMSBackend.outbox.clear()
    yield LocMemSMSBackend.outbox
    LocMemSMSBackend.outbox.clear()


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch) -> list[int]:
    """No test queues a task to a broker (the quick start's is a folder,
    var/broker, that a developer's worker reads). The delivery tasks' `.delay`
    records the notification ids in this list instead: outbox rows are what
    tests assert, and `queued` is this list for the tests that look at it. The
    repeat-fault check after a fault's commit is not queued either; the tests
    about it run it themselves. (A test that runs a real worker sends its own
    tasks: tests/charter/test_celery_worker.py.)"""
    queued: list[int] = []
    from charter import tasks as charter_tasks
    from helpdesk.notifications import tasks

    monkeypatch.setattr(tasks.deliver_notification, "delay", lambda pk: queued.append(pk))
    monkeypatch.setattr(tasks.deliver_notifications, "delay", lambda pks: queued.extend(pks))
    monkeypatch.setattr(charter_tasks.repeat_fault_check, "delay", lambda pk: None)
    return queued


@pytest.fixture
def queued(_no_broker) -> list[int]:
    """The notification ids that would have been queued for delivery, in order."""
    return _no_broker


@pytest.fixture(autouse=True)
def _fresh_shared_cache() -> Iterator[None]:
    # Each test starts with an empty cache and no held reference names. Rolled
    # back, a test's rows give their ids to the next test's (SQLite reuses them),
    # and a person written with bulk_create sends no signal to clear what an
    # earlier person with the same id left: permissions, names.
    from django.core.cache import cache

    from helpdesk.core import reference_names

    cache.clear()
    reference_names._held.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_standards_cache() -> Iterator[None]:
    # The standards cache is per process, and every ticket write reads the
    # standard through it; a test must never see another's rows.
    from standards.selectors import standards_changed

    standards_changed()
    yield
    standards_changed()


@pytest.fixture
def standard(db):
    """The default standard the data migration seeds (v1, active)."""
    from standards.selectors import current_standard, standards_changed
    from standards.services import default_standard_seed

    version = current_standard()
    if version is None:  # a transactional test elsewhere may have flushed it
        default_standard_seed()
        standards_changed()
        version = current_standard()
    assert version is not None
    return version


@pytest.fixture
def frozen_at() -> datetime:
    """Where `frozen` stops the clock: tests.helpers.clock.NOW, a Tuesday at
    10:00 in Seoul. A folder whose story starts elsewhere overrides this."""
    return NOW


@pytest.fixture
def frozen(frozen_at: datetime):
    """The clock standing still at `frozen_at` (for every thread); the
    traveller it yields moves it (`frozen.move_to(...)`)."""
    with time_machine.travel(frozen_at, tick=False) as traveller:
        yield traveller


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


@pytest.fixture
def section_chief(org):
    """The maintenance department's section chief (과장), in no team."""
    return f.section_chief_make(org)


@pytest.fixture
def approver(org):
    """The approver, in the IT strategy department: files tickets, holds no staff permission."""
    return f.approver_make(org)


@pytest.fixture
def auditor(org):
    """The auditor, in the audit department: files tickets, holds no staff permission."""
    return f.auditor_make(org)


@pytest.fixture
def client_for():
    """A logged-in client for a person; pages answer in Korean, as in the office."""
    return logged_in


@pytest.fixture
def kept_client_for():
    """Like client_for, but one client per person for the whole test, so that a
    property-based test's examples share it: a new client loads every
    middleware again (whitenoise scans all the static files), ~0.1 s each."""
    made: dict[tuple[int, str], Client] = {}

    def get(user, *, language: str = "") -> Client:
        key = (user.pk, language)
        if key not in made:
            made[key] = logged_in(user, language=language)
        return made[key]

    return get


@pytest.fixture
def en_client(client) -> Client:
    """pytest-django's anonymous client, reading pages in English."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def en_client_for():
    """A logged-in client reading pages in English (pages are Korean-first)."""
    return english


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
