"""The accounts tests' fixtures: directory sign-in against the real test directory."""
from __future__ import annotations

import importlib.util

import pytest

from helpdesk.accounts.ldap_settings import BACKEND, directory_settings
from tests.helpers.services import IN_CI

# python-ldap is an optional install (requirements-ldap.txt, C headers needed):
# without it the directory tests cannot run here. Under CI=true `make deps`
# installs it, so they always run there (and fail if it is missing).
if importlib.util.find_spec("ldap") is None and not IN_CI:
    collect_ignore = ["test_directory_sign_in.py", "test_ldap_settings.py"]


@pytest.fixture
def directory_on(settings):
    """Turn directory sign-in on with the settings a deployment's variables give;
    `directory_on(uri, **more variables)`. Returns the settings it set."""

    def turn_on(uri: str, **extra: str) -> dict:
        from tests.accounts.ldap_helpers import directory_environment

        values = directory_settings(directory_environment(uri, **extra))
        for name, value in values.items():
            setattr(settings, name, value)
        settings.AUTHENTICATION_BACKENDS = [
            "axes.backends.AxesStandaloneBackend",
            BACKEND,
            "django.contrib.auth.backends.ModelBackend",
        ]
        return values

    return turn_on


@pytest.fixture
def directory(db, directory_on) -> str:
    """Directory sign-in on, against the test directory; its URI."""
    from tests.accounts.ldap_helpers import ldap_required

    uri = ldap_required()
    directory_on(uri)
    return uri
