"""Logged-in test clients. Tests usually ask for the root conftest's `client_for`
or `en_client_for` fixtures; module-level helpers call these directly."""
from __future__ import annotations

from django.conf import settings
from django.test import Client

from helpdesk.accounts.permission_cache import CachedPermissionBackend


def logged_in(user, *, language: str = "") -> Client:
    """A client signed in as `user`; pages answer in Korean (the office's
    language) unless `language` sets the language cookie."""
    client = Client()
    client.force_login(user)
    # As in steady use, the person's permissions are already in the cache
    # (helpdesk.accounts.permission_cache; signing in saved them, which cleared
    # it): a page's first request costs the queries of every later one.
    CachedPermissionBackend().get_all_permissions(type(user).objects.get(pk=user.pk))
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def english(user) -> Client:
    """Signed in as `user`, reading pages in English: assertions read the
    English msgids whatever the Korean catalogue says later."""
    return logged_in(user, language="en")
