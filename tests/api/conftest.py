"""The API's callers: a token for any named person (tests/conftest.py), and a
client that sends it. Each call goes through the full stack, middleware
included, as an integrator's would."""
from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from api.services import api_token_create


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limits count in the cache, which outlives a test: each starts at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token_for() -> Callable[..., str]:
    """A live personal token for `user` (a service account's with `scopes`), as the raw text."""

    def make(user, *, scopes=None, days: int = 30, name: str = "test") -> str:
        _token, raw = api_token_create(
            user=user, actor=user, name=name, expires_at=timezone.now() + timedelta(days=days), scopes=scopes
        )
        return raw.text

    return make


class ApiClient:
    """JSON in, JSON out, with a bearer token (or none)."""

    def __init__(self, token: str | None = None, *, language: str = "") -> None:
        self.http = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        if language:
            self.http.cookies["django_language"] = language

    def get(self, path: str, params: dict | None = None, **headers: str):
        return self.http.get(path, params or {}, headers={**self.headers, **headers})

    def post(self, path: str, body=None, *, raw: bytes | str | None = None, content_type: str = "application/json", **headers: str):
        data = raw if raw is not None else json.dumps(body if body is not None else {})
        return self.http.post(path, data, content_type=content_type, headers={**self.headers, **headers})


@pytest.fixture
def api_for(token_for) -> Callable[..., ApiClient]:
    """A client calling the API as `user` with a fresh personal token (English messages with language="en")."""

    def make(user=None, *, scopes=None, language: str = "") -> ApiClient:
        return ApiClient(token_for(user, scopes=scopes) if user is not None else None, language=language)

    return make
