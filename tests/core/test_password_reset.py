"""Password reset: the e-mailed link sets a new password once; the request form
is limited per client address and per e-mail address (django-ratelimit), and
neither the pages nor the limits tell whether an address has an account;
django-axes' lockout still stands after a reset."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from helpdesk.core.reset_limits import client_address
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

REQUEST = reverse("password_reset")
NEW_PASSWORD = "Fresh-Harbour-2741"
# The refusal as the page shows it by default (Korean first).
LIMITED = "비밀번호 재설정 요청이 너무 많아"


@pytest.fixture(autouse=True)
def _clean_counts(frozen, settings):
    """The counts live in the cache and in time windows: every test starts from
    nothing, on a clock standing still, with the shipped limits."""
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = "5/h"
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = "3/h"
    settings.SITE_URL = "https://desk.example.co.kr"
    cache.clear()
    yield
    cache.clear()


def ask(client: Client, email: str, ip: str = "10.1.0.1"):
    return client.post(REQUEST, {"email": email}, REMOTE_ADDR=ip)


def link_in(message: mail.EmailMessage) -> str:
    found = re.search(r"https://desk\.example\.co\.kr(/accounts/password-reset/[^/\s]+/[^/\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def sign_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.1.0.200")


def test_the_login_page_offers_the_reset():
    page = Client().get(reverse("login")).content.decode()

    assert f'href="{REQUEST}"' in page


def test_a_reset_from_request_to_sign_in(customer):
    client = Client()

    response = ask(client, customer.email)

    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [customer.email]
    html = message.alternatives[0][0]
    link = link_in(message)
    assert f"https://desk.example.co.kr{link}" in html  # the button, built on SITE_URL, not the Host header

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"] is True
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    assert "_auth_user_id" not in client.session  # no sign-in behind the login form's back
    assert sign_in(Client(), customer.username, PASSWORD).status_code == 200  # the old one is refused
    fresh = Client()
    assert sign_in(fresh, customer.username, NEW_PASSWORD).status_code == 302
    assert fresh.session["_auth_user_id"] == str(customer.pk)


def test_the_link_works_only_once(customer):
    client = Client()
    ask(client, customer.email)
    link = link_in(mail.outbox[0])
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    again = Client().get(link, follow=True)
    retry = client.post(set_password_url, {"new_password1": "Other-Harbour-99", "new_password2": "Other-Harbour-99"})

    assert again.context["validlink"] is False and 'id="reset-link-invalid"' in again.content.decode()
    assert retry.status_code == 200 and retry.context["validlink"] is False
    customer.refresh_from_db()
    assert customer.check_password(NEW_PASSWORD)


def test_a_bad_new_password_keeps_the_link_and_says_why(customer):
    client = Client()
    ask(client, customer.email)
    set_password_url = client.get(link_in(mail.outbox[0]), follow=True).redirect_chain[-1][0]

    response = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": "different"})

    assert response.status_code == 200 and response.context["validlink"] is True
    assert response.context["form"].errors["new_password2"]
    customer.refresh_from_db()
    assert customer.check_password(PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(customer):
    known = ask(Client(), customer.email, ip="10.1.0.2")
    unknown = ask(Client(), "nobody@example.co.kr", ip="10.1.0.3")

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [m.to for m in mail.outbox] == [[customer.email]]


def test_the_mail_is_in_the_accounts_language(customer, other_customer):
    other_customer.language = "en"
    other_customer.save(update_fields=["language"])

    ask(Client(), customer.email, ip="10.1.0.4")
    ask(Client(), other_customer.email, ip="10.1.0.5")

    korean, english = mail.outbox
    assert "서비스지원부 업무지원팀" in korean.body
    assert "Service Support Department" in english.body and "Choose a new password" in english.subject


def test_six_requests_from_one_address_the_sixth_refused(customer):
    client = Client()
    for n in range(5):
        assert ask(client, f"someone{n}@example.co.kr", ip="10.2.0.1").status_code == 302

    refused = ask(client, customer.email, ip="10.2.0.1")

    assert refused.status_code == 429
    page = refused.content.decode()
    assert LIMITED in page and 'id="reset-limited"' in page
    assert f'value="{customer.email}"' in page  # what was typed stays in the form
    assert mail.outbox == []  # nothing sent for the refused one
    # Another address is not held up.
    assert ask(Client(), customer.email, ip="10.2.0.2").status_code == 302
    assert len(mail.outbox) == 1


def test_four_requests_for_one_email_the_fourth_refused_whatever_the_spelling(customer):
    for n in range(3):
        assert ask(Client(), customer.email, ip=f"10.3.0.{n + 1}").status_code == 302
    assert len(mail.outbox) == 3

    refused = ask(Client(), f"  {customer.email.upper()} ", ip="10.3.0.9")

    assert refused.status_code == 429 and LIMITED in refused.content.decode()
    assert len(mail.outbox) == 3


def test_being_limited_does_not_tell_whether_the_address_has_an_account(customer):
    for n in range(3):
        ask(Client(), customer.email, ip=f"10.4.0.{n + 1}")
        ask(Client(), "nobody@example.co.kr", ip=f"10.4.1.{n + 1}")

    known = ask(Client(), customer.email, ip="10.4.2.1")
    unknown = ask(Client(), "nobody@example.co.kr", ip="10.4.2.2")

    def text(response) -> str:
        # The page without its per-request CSRF token and the typed address.
        page = response.content.decode().replace(customer.email, "ADDR").replace("nobody@example.co.kr", "ADDR")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"', "", page)

    assert known.status_code == unknown.status_code == 429
    assert text(known) == text(unknown)


def test_the_limits_lift_when_the_hour_is_over(customer, frozen):
    for n in range(3):
        ask(Client(), customer.email, ip=f"10.5.0.{n + 1}")
    assert ask(Client(), customer.email, ip="10.5.0.9").status_code == 429

    frozen.shift(timedelta(hours=1, seconds=1))

    assert ask(Client(), customer.email, ip="10.5.0.9").status_code == 302
    assert len(mail.outbox) == 4


def test_the_limits_come_from_the_settings(customer, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = "2/h"
    client = Client()
    assert ask(client, "a@example.co.kr", ip="10.6.0.1").status_code == 302
    assert ask(client, "b@example.co.kr", ip="10.6.0.1").status_code == 302

    assert ask(client, "c@example.co.kr", ip="10.6.0.1").status_code == 429


def test_a_bad_address_is_counted_and_answered_with_the_form(customer):
    response = ask(Client(), "not-an-address", ip="10.7.0.1")

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert 'value="not-an-address"' in response.content.decode()


def test_ipv6_counts_per_64_block():
    factory = RequestFactory()
    one = factory.get("/", REMOTE_ADDR="2001:db8:1:2::10")
    same_block = factory.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::1")
    other_block = factory.get("/", REMOTE_ADDR="2001:db8:1:3::10")

    assert client_address(one) == client_address(same_block) == "2001:db8:1:2::"
    assert client_address(other_block) != client_address(one)
    assert client_address(factory.get("/", REMOTE_ADDR="10.8.0.1")) == "10.8.0.1"


def test_a_reset_does_not_lift_a_sign_in_lockout(customer, settings):
    # Five wrong passwords pause sign-in (django-axes); resetting the password
    # does not sign in, and the login form still shows the lockout page.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), customer.username, "wrong")
    client = Client()
    ask(client, customer.email)
    set_password_url = client.get(link_in(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert get_user_model().objects.get(pk=customer.pk).check_password(NEW_PASSWORD)

    locked = sign_in(client, customer.username, NEW_PASSWORD)

    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    assert "registration/locked_out.html" in [t.name for t in locked.templates]
