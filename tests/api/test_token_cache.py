"""Tokens and their people kept in the cache between requests (api.token_cache):
the row is read once, and whatever could make the kept copy wrong clears it at
once — revoking, editing or deleting the token, saving or deleting the person."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_revoke
from api.token_cache import token_cached, token_keep
from helpdesk.accounts.models import User

pytestmark = pytest.mark.django_db


def _get(client, secret: str):
    return client.get(reverse("api:tickets"), headers={"Authorization": f"Bearer {secret}"})


def _token_reads(client, secret: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert _get(client, secret).status_code == 200
    return sum('FROM "api_apitoken"' in q["sql"] for q in queries.captured_queries)


def test_the_token_is_read_once_then_kept(org, token_for, client):
    secret = token_for(org.customer)
    assert _token_reads(client, secret) == 1
    assert _token_reads(client, secret) == 0
    assert _token_reads(client, secret) == 0


def test_a_kept_token_revoked_is_refused_at_once(org, token_for, client):
    secret = token_for(org.customer)
    assert _get(client, secret).status_code == 200  # now kept
    api_token_revoke(token=ApiToken.objects.get(user=org.customer), actor=org.customer)
    response = _get(client, secret)
    assert (response.status_code, response.json()["code"]) == (401, "token_revoked")


def test_a_kept_token_deleted_or_shortened_in_the_admin_is_refused_at_once(org, token_for, client, frozen):
    deleted, shortened = token_for(org.customer, name="a"), token_for(org.customer, name="b")
    assert _get(client, deleted).status_code == _get(client, shortened).status_code == 200
    ApiToken.objects.get(name="a").delete()
    token = ApiToken.objects.get(name="b")
    token.expires_at = timezone.now() + timedelta(seconds=10)
    token.save()
    frozen.shift(timedelta(seconds=10))
    assert (_get(client, deleted).status_code, _get(client, deleted).json()["code"]) == (401, "token_invalid")
    assert _get(client, shortened).json()["code"] == "token_expired"


def test_a_person_deactivated_or_changed_is_read_afresh(org, token_for, client):
    secret = token_for(org.customer)
    assert _get(client, secret)["Content-Language"] == "ko"  # kept, with the person's language
    person = User.objects.get(pk=org.customer.pk)
    person.language = "en"
    person.save()
    assert _get(client, secret)["Content-Language"] == "en"
    person.is_active = False
    person.save()
    assert _get(client, secret).status_code == 401


def test_the_copy_a_concurrent_request_kept_before_the_commit_is_cleared_by_it(
    org, token_for, client, django_capture_on_commit_callbacks
):
    secret = token_for(org.customer)
    prefix = secret.split(".")[0]
    old = ApiToken.objects.select_related("user").get(prefix=prefix)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        api_token_revoke(token=old, actor=org.customer)
        # Another request read the row before this commit and keeps it now.
        token_keep(old)
        assert token_cached(prefix) is not None
    assert token_cached(prefix) is None
    assert _get(client, secret).json()["code"] == "token_revoked"


def test_last_use_is_still_written_once_a_minute_from_a_kept_copy(org, frozen, token_for, client):
    secret = token_for(org.customer)
    token = ApiToken.objects.get(user=org.customer)
    _get(client, secret)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first == timezone.now()
    frozen.shift(timedelta(seconds=30))
    with CaptureQueriesContext(connection) as queries:
        _get(client, secret)
    assert not any("UPDATE" in q["sql"] and "api_apitoken" in q["sql"] for q in queries.captured_queries)
    frozen.shift(timedelta(seconds=30))
    _get(client, secret)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first + timedelta(minutes=1)


def test_only_a_person_as_read_is_kept(org, token_for):
    secret = token_for(org.customer)
    token = ApiToken.objects.select_related("user").get(prefix=secret.split(".")[0])
    token.user.has_perm("tickets.file_ticket")  # this request's answer now rides on the person
    with pytest.raises(ValueError, match="_perm_cache"):
        token_keep(token)
