"""/healthz: an operator sees at once whether deadlines are being kept."""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from charter import views
from charter.models import SweepRun


def beat(at) -> None:
    SweepRun.objects.update_or_create(pk=1, defaults={"started_at": at, "finished_at": at})


@pytest.mark.django_db
def test_healthz_is_200_with_a_recent_sweep(client, settings, tmp_path) -> None:
    # The quick start's broker (CI runs the suite on Redis, so set it here).
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path)}
    now = timezone.now()
    beat(now - timedelta(seconds=30))
    with time_machine.travel(now, tick=False):
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "transport": "filesystem"}
    assert body["sweep"]["age_seconds"] == 30
    assert body["sweep"]["last"] == (now - timedelta(seconds=30)).isoformat()
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_sweep_never_ran(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["sweep"] == {"last": None, "age_seconds": None, "ok": False}


@pytest.mark.django_db
def test_healthz_is_503_once_the_sweep_is_older_than_three_minutes(client) -> None:
    now = timezone.now()
    beat(now)
    with time_machine.travel(now + timedelta(seconds=180), tick=False):
        assert client.get("/healthz").status_code == 200
    with time_machine.travel(now + timedelta(seconds=181), tick=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["sweep"]["age_seconds"] == 181


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch) -> None:
    beat(timezone.now())
    monkeypatch.setattr(views, "_database", lambda: {"ok": False, "error": "OperationalError"})
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False


@pytest.mark.django_db
def test_healthz_reports_a_missing_broker_folder(client, settings, tmp_path) -> None:
    beat(timezone.now())
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "missing"),
        "data_folder_out": str(tmp_path / "missing"),
    }
    body = client.get("/healthz").json()
    assert body["broker"]["ok"] is False


def test_broker_check_times_out_on_an_unreachable_redis(settings) -> None:
    import time

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    started = time.monotonic()
    result = views.broker_check()
    assert result["ok"] is False and result["transport"] == "redis"
    assert "127.0.0.1" not in str(result)  # never echo the URL (it may hold a password)
    assert time.monotonic() - started < 5


def test_broker_check_reaches_a_running_redis(settings) -> None:
    import os
    import socket

    from tests.helpers.services import IN_CI

    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        broker = "redis://127.0.0.1:6379/15"
    with socket.socket() as s:
        s.settimeout(0.5)
        if s.connect_ex(("127.0.0.1", 6379)) != 0:
            # CI runs with Redis: a missing one there is a failure, not a skip.
            if IN_CI:
                pytest.fail("no Redis on 127.0.0.1:6379")
            pytest.skip("no Redis on localhost:6379")
    settings.CELERY_BROKER_URL = broker
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    assert views.broker_check() == {"ok": True, "transport": "redis"}
