"""/readyz tells a load balancer whether a web process can serve pages; /healthz
tells monitoring whether deadlines are being kept, and why not (issue 16, item 7).
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from charter import health_checks
from charter.models import SweepRun
from helpdesk.core.beat_lease import beat_heartbeat_record, lease_claim
from helpdesk.core.models import BeatRole
from helpdesk.notifications.models import Notification, NotificationState
from tests.helpers.services import ROOT


def beat(at) -> None:
    SweepRun.objects.update_or_create(pk=1, defaults={"started_at": at, "finished_at": at})


@pytest.fixture
def folder_broker(settings, tmp_path) -> None:
    """The quick start's broker, in a folder that exists (CI runs the suite on Redis)."""
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path)}


def outbox_row(key: str, *, state: str = NotificationState.PENDING, due=None) -> Notification:
    return Notification.objects.create(
        channel=Notification.Channel.EMAIL, template="t", key=key, to_email="a@example.com",
        state=state, next_attempt_at=due,
    )


# --- /readyz -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_readyz_is_200_when_the_database_answers_whatever_the_sweeps_and_the_broker(
    client, settings, monkeypatch
) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens: the broker is down
    monkeypatch.setattr(health_checks, "broker_check", lambda: pytest.fail("readyz must not ask the broker"))
    response = client.get("/readyz")  # and no sweep ever ran
    assert response.status_code == 200
    assert response.json() == {"ok": True, "database": {"ok": True, "vendor": health_checks.connection.vendor}}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_is_down(client, monkeypatch) -> None:
    monkeypatch.setattr(health_checks, "database_check", lambda: {"ok": False, "error": "OperationalError"})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"ok": False, "database": {"ok": False, "error": "OperationalError"}}


@pytest.mark.django_db
def test_readyz_is_one_query(client, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        assert client.get("/readyz").status_code == 200


def test_production_answers_both_probes_over_plain_http() -> None:
    """Load balancers and monitors probe without X-Forwarded-Proto: no HTTPS redirect."""
    code = (
        "from django.test import Client; c = Client(); "
        "print(c.get('/accounts/login/').status_code, c.get('/readyz').status_code, c.get('/healthz').status_code)"
    )
    env = {
        **os.environ, "DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    login, readyz, healthz = result.stdout.split()
    assert login == "301"
    # Answered, not redirected (the in-memory database has no tables: readyz's
    # SELECT 1 works, healthz finds no sweep).
    assert (readyz, healthz) == ("200", "503")


# --- /healthz: the status ------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_is_200_with_a_recent_sweep(client, folder_broker) -> None:
    now = timezone.now()
    beat(now - timedelta(seconds=30))
    with time_machine.travel(now, tick=False):
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and body["failing"] == []
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "transport": "filesystem"}
    assert body["sweep"] == {"last": (now - timedelta(seconds=30)).isoformat(), "age_seconds": 30, "ok": True}
    assert body["outbox"] == {
        "ok": True, "backlog": 0, "backlog_after_minutes": 10, "oldest_due": None, "failed_24h": 0,
    }
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_sweep_never_ran(client, folder_broker) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["sweep"]
    assert response.json()["sweep"] == {"last": None, "age_seconds": None, "ok": False}


@pytest.mark.django_db
def test_healthz_is_503_once_the_sweep_is_older_than_three_minutes(client, folder_broker) -> None:
    now = timezone.now()
    beat(now)
    with time_machine.travel(now + timedelta(seconds=180), tick=False):
        assert client.get("/healthz").status_code == 200
    with time_machine.travel(now + timedelta(seconds=181), tick=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["sweep"]["age_seconds"] == 181
    assert response.json()["failing"] == ["sweep"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, folder_broker, monkeypatch) -> None:
    beat(timezone.now())
    monkeypatch.setattr(health_checks, "database_check", lambda: {"ok": False, "error": "OperationalError"})
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False
    assert response.json()["failing"] == ["database", "sweep", "outbox"]


@pytest.mark.django_db
def test_a_broker_outage_makes_healthz_503_while_readyz_stays_200(client, settings) -> None:
    """Monitoring alerts (no sweep can run), the load balancer keeps every web
    machine (pages still work): the defect of the issue, where one probe did both."""
    beat(timezone.now())
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]
    assert "127.0.0.1" not in response.content.decode()  # never echo the URL (it may hold a password)
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_healthz_reports_a_missing_broker_folder(client, settings, tmp_path) -> None:
    beat(timezone.now())
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "missing"),
        "data_folder_out": str(tmp_path / "missing"),
    }
    body = client.get("/healthz").json()
    assert body["broker"]["ok"] is False and body["failing"] == ["broker"]


def test_broker_check_times_out_on_an_unreachable_redis(settings) -> None:
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    started = time.monotonic()
    result = health_checks.broker_check()
    assert result["ok"] is False and result["transport"] == "redis"
    assert "127.0.0.1" not in str(result)  # never echo the URL (it may hold a password)
    assert time.monotonic() - started < 5


def test_broker_check_reaches_a_running_redis(settings) -> None:
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
    assert health_checks.broker_check() == {"ok": True, "transport": "redis"}


# --- /healthz: the outbox ------------------------------------------------------------------


@pytest.mark.django_db
def test_an_outbox_row_due_ten_minutes_ago_and_unsent_makes_healthz_503(client, folder_broker) -> None:
    now = timezone.now()
    beat(now)
    due = now - timedelta(minutes=10)
    outbox_row("stuck", due=due)
    outbox_row("quiet-hours", state=NotificationState.HELD, due=now + timedelta(hours=8))  # not due yet
    with time_machine.travel(now - timedelta(seconds=1), tick=False):
        assert client.get("/healthz").status_code == 200  # 9:59 ago: the sweep may still take it
    with time_machine.travel(now, tick=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["outbox"]
    assert body["outbox"]["backlog"] == 1 and body["outbox"]["oldest_due"] == due.isoformat()


@pytest.mark.django_db
def test_deliveries_that_failed_in_the_last_day_are_a_warning_not_a_503(client, folder_broker) -> None:
    now = timezone.now()
    beat(now)
    with time_machine.travel(now - timedelta(hours=25), tick=False):
        outbox_row("old-dead", state=NotificationState.DEAD)
    with time_machine.travel(now - timedelta(hours=23), tick=False):
        outbox_row("dead", state=NotificationState.DEAD)
        outbox_row("retrying", state=NotificationState.FAILED, due=now + timedelta(minutes=5))
        outbox_row("sent", state=NotificationState.SENT)
    with time_machine.travel(now, tick=False):
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["outbox"]["failed_24h"] == 2 and body["outbox"]["backlog"] == 0
    assert "failed_deliveries" in body["warnings"]


# --- /healthz: the beats -------------------------------------------------------------------


def heartbeat(ident: str, role: BeatRole, seen) -> None:
    beat_heartbeat_record(ident=ident, host=ident.split(":")[0], pid=int(ident.split(":")[1]), role=role,
                          started_at=seen - timedelta(hours=1), now=seen)


@pytest.mark.django_db
def test_healthz_names_the_beat_that_sends_and_warns_of_a_second_one(client, folder_broker) -> None:
    now = timezone.now()
    beat(now)
    lease_claim(holder="beat1:41:aaaaaa", now=now - timedelta(seconds=5), ttl=timedelta(seconds=30))
    heartbeat("beat1:41:aaaaaa", BeatRole.HOLDER, now - timedelta(seconds=5))
    heartbeat("beat2:42:bbbbbb", BeatRole.STANDBY, now - timedelta(seconds=8))
    heartbeat("beat3:43:cccccc", BeatRole.STANDBY, now - timedelta(seconds=31))  # gone: not alive
    with time_machine.travel(now, tick=False):
        response = client.get("/healthz")
    assert response.status_code == 200  # the lease keeps the sends single
    body = response.json()
    assert body["warnings"] == ["several_beats", "tasks_late"]
    beats = body["beats"]
    assert beats["alive"] == 2 and beats["holder"] == "beat1:41:aaaaaa" and beats["lease_expires_in"] == 25
    assert [(p["host"], p["pid"], p["role"], p["age_seconds"]) for p in beats["processes"]] == [
        ("beat1", 41, "holder", 5),
        ("beat2", 42, "standby", 8),
    ]


@pytest.mark.django_db
def test_healthz_warns_when_no_beat_is_alive(client, folder_broker) -> None:
    now = timezone.now()
    beat(now)
    heartbeat("beat1:41:aaaaaa", BeatRole.HOLDER, now - timedelta(minutes=5))
    with time_machine.travel(now, tick=False):
        body = client.get("/healthz").json()
    assert body["beats"]["alive"] == 0 and body["beats"]["holder"] is None
    assert "no_beat" in body["warnings"]


@pytest.mark.django_db
def test_healthz_reads_are_a_fixed_handful_of_queries(client, folder_broker, django_assert_num_queries) -> None:
    """SELECT 1, the sweep's row, the outbox backlog, the day's first row and its
    failures, the beats alive, the lease and the task runs: eight, whatever the data."""
    now = timezone.now()
    beat(now)
    for n in range(30):
        outbox_row(f"row-{n}", state=NotificationState.DEAD)
        heartbeat(f"beat{n}:{n}:x", BeatRole.STANDBY, now)
    with django_assert_num_queries(8):
        assert client.get("/healthz").status_code == 200
