"""Production settings: `check --deploy` is clean, settings are strict, .env.example is complete.

The settings module is read once per process, so production configurations are
tried in a subprocess with their own environment.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys

import environ
import pytest

from helpdesk.settings import env_bool
from tests.helpers.services import IN_CI, ROOT


def production_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="charterdesk.example.com",
    )
    env.update(overrides)
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "security.W" not in output


def test_check_deploy_would_catch_a_weak_secret_key() -> None:
    # Proves the check above can fail: the same command flags a short key.
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(SECRET_KEY="short"))

    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = production_env()
    del env["SECRET_KEY"]

    result = manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_turns_on_https_and_secure_cookies() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = manage("shell", "-v", "0", "-c", code, env=production_env())

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False", "True", "True", "True", "True", "('HTTP_X_FORWARDED_PROTO',", "'https')",
    ]


def test_production_redirects_to_https_except_the_health_probe() -> None:
    code = (
        "from django.test import Client; c = Client(); "
        "r = c.get('/accounts/login/'); print(r.status_code, r.headers.get('Location')); "
        "r = c.get('/healthz'); print(r.status_code)"
    )
    result = manage(
        "shell", "-v", "0", "-c", code, env=production_env(ALLOWED_HOSTS="testserver")
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "301 https://testserver/accounts/login/"
    # Answered (200 or 503 by the state of the sweep), not redirected.
    assert lines[1] in ("200", "503")


def test_production_pages_carry_the_content_and_permissions_policies() -> None:
    code = (
        "import json; from django.test import Client; "
        "r = Client().get('/accounts/login/', secure=True); "
        "print(json.dumps([r.status_code, r.get('Content-Security-Policy'), r.get('Permissions-Policy')]))"
    )
    # Plain static storage: the page renders without a collectstatic manifest.
    env = production_env(
        ALLOWED_HOSTS="testserver", STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    result = manage("shell", "-v", "0", "-c", code, env=env)

    assert result.returncode == 0, result.stderr
    status, csp, permissions = json.loads(result.stdout.strip().splitlines()[-1])
    policy = {name: sources for name, *sources in (part.split() for part in csp.split(";"))}
    assert status == 200
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert "'unsafe-inline'" not in policy["default-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    features = dict(item.split("=", 1) for item in permissions.split(", "))
    assert features["camera"] == features["microphone"] == features["geolocation"] == "()"
    assert features["payment"] == features["usb"] == "()"


@pytest.mark.parametrize("variable", ["PASSWORD_RESET_LIMIT_PER_ADDRESS", "PASSWORD_RESET_LIMIT_PER_EMAIL"])
def test_a_misspelt_reset_limit_stops_the_start_up(variable: str) -> None:
    result = manage("check", env=production_env(**{variable: "3 per hour"}))

    assert result.returncode != 0
    assert f"{variable} must read like 5/h" in result.stderr


def test_a_misspelt_debug_stops_the_start_up() -> None:
    result = manage("check", env=production_env(DEBUG="ture"))

    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("True", True), (" yes ", True), ("1", True), ("on", True),
     ("false", False), ("FALSE", False), ("no", False), ("0", False), ("off", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("CHARTERDESK_TEST_FLAG", raw)

    assert env_bool("CHARTERDESK_TEST_FLAG", not expected) is expected


def test_env_bool_uses_the_default_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CHARTERDESK_TEST_FLAG", raising=False)

    assert env_bool("CHARTERDESK_TEST_FLAG", True) is True
    assert env_bool("CHARTERDESK_TEST_FLAG", False) is False


@pytest.mark.parametrize("raw", ["ture", "flase", "2", "maybe", ""])
def test_env_bool_rejects_anything_else(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("CHARTERDESK_TEST_FLAG", raw)

    with pytest.raises(environ.ImproperlyConfigured, match="CHARTERDESK_TEST_FLAG must be true or false"):
        env_bool("CHARTERDESK_TEST_FLAG", False)


def test_env_example_documents_every_setting_read_from_the_environment() -> None:
    settings_source = (ROOT / "helpdesk" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'(?:\benv\.\w+|\benv_bool)\(\s*"([A-Z][A-Z0-9_]*)"', settings_source))
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))

    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"} <= read  # the regex still works
    assert read - documented == set(), "add these to .env.example"


# --- The services CI provides ------------------------------------------------
# In CI these must run against the real services (never skip); elsewhere they
# run when the environment names the service.


@pytest.mark.services
def test_the_suite_runs_on_postgresql_when_database_url_says_so(db: None) -> None:
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        if IN_CI:
            pytest.fail("CI must run the tests on PostgreSQL (DATABASE_URL=postgres://...)")
        pytest.skip("DATABASE_URL does not name PostgreSQL")

    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("select current_setting('server_version_num')::int")
        assert cursor.fetchone()[0] >= 140000


@pytest.mark.services
def test_redis_answers_when_redis_url_is_set() -> None:
    import redis

    url = os.environ.get("REDIS_URL", "")
    if not url:
        if IN_CI:
            pytest.fail("CI must provide Redis (REDIS_URL)")
        pytest.skip("REDIS_URL is not set")

    client = redis.Redis.from_url(url, socket_connect_timeout=5)
    assert client.ping() is True


@pytest.mark.services
def test_celery_reaches_its_broker() -> None:
    from django.conf import settings

    from helpdesk.celery import app

    if IN_CI and not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail("CI must run with the Redis broker (CELERY_BROKER_URL=redis://...)")

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=5)
        assert connection.connected
