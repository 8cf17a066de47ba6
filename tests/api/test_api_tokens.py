"""API tokens: made and revoked by their owner on /api/tokens/ (the secret shown
once, only its SHA-256 stored), refused with their own code when revoked,
expired, unknown or malformed (401), touched at most once a minute, limited
to their scopes when they are a service account's, and rate-limited (429
with Retry-After)."""
from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken, TokenKind
from api.services import api_token_create, api_token_revoke
from helpdesk.accounts.models import User
from helpdesk.accounts.roles import Role
from helpdesk.core.errors import ActionRefused


def test_the_secret_is_shown_once_and_only_its_sha256_is_kept(org, client_for, api_for):
    page = client_for(org.customer).post(reverse("api:tokens"), {"name": "그룹 포털", "days": "90"})
    assert page.status_code == 201
    secret = page.context["made"]["secret"]
    assert secret in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    token = ApiToken.objects.get(user=org.customer)
    prefix, raw = secret.split(".")
    assert token.prefix == prefix and token.kind == TokenKind.PERSONAL
    assert token.secret_hash == hashlib.sha256(raw.encode()).hexdigest() and raw not in token.secret_hash
    assert timedelta(days=89) < token.expires_at - timezone.now() <= timedelta(days=90)
    # Shown once: the list afterwards names it by prefix only.
    again = client_for(org.customer).get(reverse("api:tokens")).content.decode()
    assert prefix in again and raw not in again
    # And it works.
    response = api_for(None)
    response.headers = {"Authorization": f"Bearer {secret}"}
    assert response.get(reverse("api:tickets")).status_code == 200


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Bearer 0123456789ab.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "token_invalid"),  # unknown
        ("Bearer nonsense", "token_invalid"),  # malformed
        ("Bearer ", "token_invalid"),
    ],
)
def test_unknown_or_malformed_tokens_are_401_with_the_structured_error(org, client, header, code):
    response = client.get(reverse("api:tickets"), headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["code"] == code
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_no_credentials_is_401_token_required(client):
    response = client.get(reverse("api:tickets"))
    assert response.status_code == 401 and response.json()["code"] == "token_required"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_wrong_secret_for_a_real_prefix_is_refused(org, token_for, client):
    prefix, _secret = token_for(org.customer).split(".")
    response = client.get(reverse("api:tickets"), headers={"Authorization": f"Bearer {prefix}.{'b' * 43}"})
    assert response.status_code == 401 and response.json()["code"] == "token_invalid"


def test_revoked_and_expired_tokens_are_401_with_their_own_code(org, frozen, token_for, client):
    revoked = token_for(org.customer, name="old")
    api_token_revoke(token=ApiToken.objects.get(name="old"), actor=org.customer)
    expiring = token_for(org.customer, days=1, name="short")
    response = client.get(reverse("api:tickets"), headers={"Authorization": f"Bearer {revoked}"})
    assert (response.status_code, response.json()["code"]) == (401, "token_revoked")
    assert client.get(reverse("api:tickets"), headers={"Authorization": f"Bearer {expiring}"}).status_code == 200
    frozen.shift(timedelta(days=1))  # exactly at its expiry: no longer valid
    response = client.get(reverse("api:tickets"), headers={"Authorization": f"Bearer {expiring}"})
    assert (response.status_code, response.json()["code"]) == (401, "token_expired")


def test_an_inactive_users_token_is_refused(org, token_for, client):
    secret = token_for(org.customer)
    User.objects.filter(pk=org.customer.pk).update(is_active=False)
    assert client.get(reverse("api:tickets"), headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(org, frozen, token_for, client):
    headers = {"Authorization": f"Bearer {token_for(org.customer)}"}
    token = ApiToken.objects.get(user=org.customer)
    assert token.last_used_at is None
    client.get(reverse("api:tickets"), headers=headers)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first == timezone.now()
    frozen.shift(timedelta(seconds=59))
    client.get(reverse("api:tickets"), headers=headers)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first  # not a second write
    frozen.shift(timedelta(seconds=1))
    client.get(reverse("api:tickets"), headers=headers)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first + timedelta(minutes=1)


def test_a_token_lives_at_most_a_year_and_needs_a_name(org, frozen):
    now = timezone.now()
    with pytest.raises(ActionRefused) as refused:
        api_token_create(user=org.customer, actor=org.customer, name="x", expires_at=now + timedelta(days=366))
    assert refused.value.field == "expires_at"
    with pytest.raises(ActionRefused):
        api_token_create(user=org.customer, actor=org.customer, name="x", expires_at=now)
    with pytest.raises(ActionRefused) as refused:
        api_token_create(user=org.customer, actor=org.customer, name="  ", expires_at=now + timedelta(days=1))
    assert refused.value.field == "name"
    with pytest.raises(ActionRefused) as refused:
        api_token_create(
            user=org.customer, actor=org.admin, name="x", expires_at=now + timedelta(days=1), scopes=["everything"]
        )
    assert refused.value.field == "scopes"


def test_people_revoke_their_own_tokens_and_nobody_elses(org, client_for, token_for, api_for):
    secret = token_for(org.customer, name="포털")
    token = ApiToken.objects.get(name="포털")
    assert client_for(org.other_customer).post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    assert client_for(org.admin).post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    response = client_for(org.customer).post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("api:tokens")
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    page = client_for(org.customer).get(reverse("api:tokens"))
    assert "폐기됨" in page.content.decode() or "revoked" in page.content.decode()
    caller = api_for(None)
    caller.headers = {"Authorization": f"Bearer {secret}"}
    assert caller.get(reverse("api:tickets")).json()["code"] == "token_revoked"


def test_the_tokens_page_refuses_a_lifetime_it_does_not_offer(org, en_client_for):
    response = en_client_for(org.customer).post(reverse("api:tokens"), {"name": "x", "days": "9999"})
    assert response.status_code == 400
    assert response.context["form"].errors["days"]
    assert not ApiToken.objects.exists()


def test_the_user_menu_links_the_tokens_page(org, client_for):
    page = client_for(org.customer).get(reverse("portal:ticket_list")).content.decode()
    assert f'href="{reverse("api:tokens")}"' in page


def test_a_service_accounts_token_reaches_only_its_scopes(org, token_for, api_for, frozen):
    """The phone system: a system user in the desk agent's role, its token scoped to calls.
    It may post calls and nothing else, even what its role could read."""
    phone_system = User.objects.create(username="phone-system")
    phone_system.groups.add(Group.objects.get(name=Role.DESK_AGENT))
    caller = api_for(phone_system, scopes=["calls"], language="en")
    recorded = caller.post(reverse("api:calls"), {"agent": "desk", "rings": 1, "call_id": "pbx-1"})
    assert recorded.status_code == 201, recorded.content
    refused = caller.get(reverse("api:tickets"))
    assert refused.status_code == 403
    assert refused.json()["code"] == "scope_missing" and "tickets" in refused.json()["message"]
    assert caller.get(reverse("api:assets")).json()["code"] == "scope_missing"


def test_the_admin_makes_a_service_token_and_shows_it_once(org, client_for):
    system = User.objects.create(username="monitoring")
    admin = client_for(org.admin)
    expires = (timezone.localtime() + timedelta(days=30)).strftime("%Y-%m-%d")
    response = admin.post(
        reverse("admin:api_apitoken_add"),
        {"user": system.pk, "name": "감시 시스템", "scopes": ["tickets", "reference"],
         "expires_at_0": expires, "expires_at_1": "09:00:00"},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=system)
    assert token.kind == TokenKind.SERVICE and token.scopes == ["reference", "tickets"] and token.created_by == org.admin
    shown = [str(m) for m in response.context["messages"]]
    assert any(token.prefix + "." in m for m in shown), shown
    # Too long a life is refused on the form, nothing made.
    too_far = (timezone.localtime() + timedelta(days=400)).strftime("%Y-%m-%d")
    again = admin.post(
        reverse("admin:api_apitoken_add"),
        {"user": system.pk, "name": "x", "scopes": ["calls"], "expires_at_0": too_far, "expires_at_1": "09:00:00"},
    )
    assert again.status_code == 200 and ApiToken.objects.count() == 1


def test_the_command_makes_the_phone_systems_account_and_prints_the_token(org, capsys):
    call_command("api_service_account", "phone-system", "--scopes", "calls", "--days", "365")
    printed = capsys.readouterr().out.strip()
    user = User.objects.get(username="phone-system")
    assert not user.has_usable_password() and user.has_perm("tickets.intake_ticket")
    token = ApiToken.objects.get(user=user)
    assert token.scopes == ["calls"] and printed.startswith(token.prefix + ".")


def test_too_many_requests_is_429_with_retry_after(org, settings, token_for, client, frozen):
    settings.API_RATE_LIMIT = "3/m"
    headers = {"Authorization": f"Bearer {token_for(org.customer)}"}
    assert [client.get(reverse("api:tickets"), headers=headers).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(reverse("api:tickets"), headers=headers)
    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_requests"
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Another token has its own count.
    assert client.get(reverse("api:tickets"), headers={"Authorization": f"Bearer {token_for(org.other_customer)}"}).status_code == 200
    frozen.shift(timedelta(seconds=61))
    assert client.get(reverse("api:tickets"), headers=headers).status_code == 200


def test_service_accounts_have_their_own_rate(org, settings, token_for, client):
    settings.API_RATE_LIMIT = "1/m"
    settings.API_RATE_LIMIT_SERVICE = "5/m"
    system = User.objects.create(username="portal")
    headers = {"Authorization": f"Bearer {token_for(system, scopes=['tickets'])}"}
    assert [client.get(reverse("api:tickets"), headers=headers).status_code for _ in range(5)] == [200] * 5
    assert client.get(reverse("api:tickets"), headers=headers).status_code == 429
