"""Settings of the multi-machine layout (issue 16, README "Production"):
attachments on shared S3-compatible storage, a read replica for reporting,
and the client's real address behind nginx for sign-in throttling.

The settings module is read once per process, so each configuration is tried
in a child process with its own environment; the storage-agnostic download is
tried here, with a storage that has no files on disk at all.
"""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories as f
from tests.helpers.clients import logged_in
from tests.helpers.services import ROOT
from tickets.models import Attachment
from tickets.services import comment_add

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def settings_read(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in `manage.py shell` under production settings plus `env`."""
    child = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    for name in ("MEDIA_STORAGE", "DATABASE_REPLICA_URL", "PROXY_COUNT"):
        child.pop(name, None)
    child.update(DEBUG="false", SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="charterdesk.example.com")
    child.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
        cwd=ROOT, env=child, capture_output=True, text=True, timeout=120,
    )


# Reading a setting is what loads the settings module (`shell` alone does not).
STARTED = "from django.conf import settings; print(settings.DEBUG)"


def settings_json(code: str, **env: str) -> object:
    result = settings_read(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- Attachments on shared storage ------------------------------------------------------------

STORAGE_OF_ATTACHMENTS = (
    "import json; from tickets.models import Attachment; "
    "s = Attachment._meta.get_field('file').storage; "
    "print(json.dumps({'name': s.__class__.__module__ + '.' + s.__class__.__name__, "
    "'bucket': getattr(s, 'bucket_name', None), 'endpoint': getattr(s, 'endpoint_url', None), "
    "'overwrite': getattr(s, 'file_overwrite', None), 'acl': getattr(s, 'default_acl', 'n/a'), "
    "'key': getattr(s, 'access_key', None), 'style': getattr(s, 'addressing_style', None), "
    "'location': getattr(s, 'location', None)}))"
)


def test_local_disk_is_the_default_storage() -> None:
    found = settings_json(STORAGE_OF_ATTACHMENTS)

    assert found["name"] == "django.core.files.storage.filesystem.FileSystemStorage"


def test_media_storage_s3_puts_attachments_in_the_bucket() -> None:
    found = settings_json(
        STORAGE_OF_ATTACHMENTS,
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="charterdesk-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.internal:9000",
        AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY="secret-example",
        AWS_S3_ADDRESSING_STYLE="path",
        AWS_LOCATION="desk",
    )

    assert found["name"] == "storages.backends.s3.S3Storage"
    assert found["bucket"] == "charterdesk-media"
    assert found["endpoint"] == "https://s3.example.internal:9000"
    assert found["key"] == "AKIDEXAMPLE"
    assert found["style"] == "path"
    assert found["location"] == "desk"
    # Two uploads never overwrite each other, and no ACL makes a file public.
    assert found["overwrite"] is False
    assert found["acl"] is None


def test_media_storage_s3_without_a_bucket_stops_the_start_up() -> None:
    result = settings_read(STARTED, MEDIA_STORAGE="s3")

    assert result.returncode != 0
    assert "AWS_STORAGE_BUCKET_NAME" in result.stderr


def test_an_unknown_media_storage_stops_the_start_up() -> None:
    result = settings_read(STARTED, MEDIA_STORAGE="ftp")

    assert result.returncode != 0
    assert "MEDIA_STORAGE must be local or s3" in result.stderr


@pytest.mark.django_db
def test_attachments_are_served_from_a_storage_without_files_on_disk(org, settings) -> None:
    # The permission-checked view opens the file through the storage (as S3
    # needs), never by its path: this storage, like S3's, has none.
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "tests.helpers.pathless_storage.PathlessStorage"}}
    ticket_ = f.TicketFactory(reporter=org.customer, team=org.team)
    comment_add(ticket=ticket_, author=org.customer, body="", attachments=[SimpleUploadedFile("화면.png", PNG)])
    attachment = Attachment.objects.get()
    with pytest.raises(NotImplementedError):
        attachment.file.path  # noqa: B018 - the storage really has no files on disk

    response = logged_in(org.customer).get(reverse("attachment_download", args=[attachment.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert "attachment" in response.headers["Content-Disposition"]
    # Someone else still gets nothing.
    other = logged_in(org.other_customer).get(reverse("attachment_download", args=[attachment.pk]))
    assert other.status_code == 404


# --- The read replica ---------------------------------------------------------------------------

REPLICA_OF = (
    "import json; from django.conf import settings as s; from helpdesk.core.replica import reporting_alias; "
    "r = s.DATABASES.get('replica', {}); "
    "print(json.dumps({'alias': reporting_alias(), 'engine': r.get('ENGINE'), 'host': r.get('HOST'), "
    "'name': r.get('NAME'), 'test': r.get('TEST'), 'routers': list(getattr(s, 'DATABASE_ROUTERS', []))}))"
)


def test_without_a_replica_url_there_is_one_database() -> None:
    found = settings_json(REPLICA_OF)

    assert found["alias"] == "default"
    assert found["engine"] is None and found["routers"] == []


def test_database_replica_url_adds_the_replica_for_reporting_reads() -> None:
    found = settings_json(REPLICA_OF, DATABASE_REPLICA_URL="postgres://reader:pw@db-replica.internal:5432/charterdesk")

    assert found["alias"] == "replica"
    assert found["engine"] == "django.db.backends.postgresql"
    assert (found["host"], found["name"]) == ("db-replica.internal", "charterdesk")
    # Tests never create it: it mirrors the default test database.
    assert found["test"]["MIRROR"] == "default"
    assert found["routers"] == ["helpdesk.core.replica.PrimaryWritesRouter"]


# --- The client's address behind nginx -------------------------------------------------------

CLIENT_ADDRESSES = (
    "import json; from django.test import RequestFactory; from axes.helpers import get_client_ip_address; "
    "rf = RequestFactory(); "
    "cases = {'direct': {'REMOTE_ADDR': '203.0.113.9'}, "
    "'nginx': {'REMOTE_ADDR': '10.0.0.2', 'HTTP_X_FORWARDED_FOR': '203.0.113.9'}, "
    "'forged': {'REMOTE_ADDR': '10.0.0.2', 'HTTP_X_FORWARDED_FOR': '198.51.100.1, 203.0.113.9'}, "
    "'lb_and_nginx': {'REMOTE_ADDR': '10.0.0.2', 'HTTP_X_FORWARDED_FOR': '198.51.100.1, 203.0.113.9, 10.0.0.1'}}; "
    "print(json.dumps({k: get_client_ip_address(rf.get('/', **m)) for k, m in cases.items()}))"
)


def test_by_default_a_forwarded_for_header_is_not_believed() -> None:
    found = settings_json(CLIENT_ADDRESSES)

    # Nobody stands in front: whatever a client writes in the header is ignored.
    assert found == {"direct": "203.0.113.9", "nginx": "10.0.0.2", "forged": "10.0.0.2", "lb_and_nginx": "10.0.0.2"}


def test_behind_nginx_the_client_address_is_the_one_nginx_saw() -> None:
    found = settings_json(CLIENT_ADDRESSES, PROXY_COUNT="1")

    assert found["nginx"] == "203.0.113.9"
    # A client's own X-Forwarded-For entry in front does not become its address.
    assert found["forged"] == "203.0.113.9"
    # Without the header (a probe straight to gunicorn): the connection's address.
    assert found["direct"] == "203.0.113.9"


def test_behind_a_load_balancer_and_nginx_the_count_reaches_one_further() -> None:
    found = settings_json(CLIENT_ADDRESSES, PROXY_COUNT="2")

    assert found["lb_and_nginx"] == "203.0.113.9"


def test_a_negative_proxy_count_stops_the_start_up() -> None:
    result = settings_read(STARTED, PROXY_COUNT="-1")

    assert result.returncode != 0
    assert "PROXY_COUNT must be 0 or more" in result.stderr


def test_check_deploy_stays_clean_with_the_whole_layout_configured() -> None:
    child = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    child.update(
        DEBUG="false", SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="charterdesk.example.com",
        MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="charterdesk-media", PROXY_COUNT="1",
        DATABASE_REPLICA_URL="postgres://reader@db-replica.internal:5432/charterdesk",
        CACHE_URL="rediscache://127.0.0.1:6379/14",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=child, capture_output=True, text=True, timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
