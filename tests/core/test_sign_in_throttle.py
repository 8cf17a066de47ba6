"""Sign-in throttling (django-axes): after five wrong passwords the right one is
refused too, with a clear Korean page, until the cool-off passes or an admin
unlocks the account."""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(client: Client, username: str, password: str, ip: str = "10.0.0.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_account_with_a_korean_page(customer, settings):
    settings.LANGUAGE_CODE = "ko"
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, customer.username, "wrong").status_code == 200  # the form again, with its error
    locked = attempt(client, customer.username, "wrong")
    assert locked.status_code == 429
    right = attempt(client, customer.username, PASSWORD)
    assert right.status_code == 429 and "로그인" in right.content.decode() and "15분" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_lifts_after_the_cool_off(customer, settings):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            attempt(client, customer.username, "wrong")
        assert attempt(client, customer.username, PASSWORD).status_code == 429
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + timedelta(seconds=1), tick=False):
        assert attempt(client, customer.username, PASSWORD).status_code == 302


def test_the_address_is_locked_too_and_an_admin_unlocks_the_account(customer, other_customer, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, customer.username, "wrong", ip="10.0.0.9")
    # Another account from the same address: refused (password guessing across accounts).
    assert attempt(client, other_customer.username, PASSWORD, ip="10.0.0.9").status_code == 429
    # The admin's unlock of the account and the address lets them in again.
    call_command("axes_reset_username", customer.username)
    call_command("axes_reset_ip", "10.0.0.9")
    assert attempt(Client(), customer.username, PASSWORD, ip="10.0.0.9").status_code == 302


def test_a_success_resets_the_count(customer, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, customer.username, "wrong")
    assert attempt(client, customer.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, customer.username, "wrong")
    assert attempt(client, customer.username, PASSWORD).status_code == 302
    assert reverse("login") == LOGIN
