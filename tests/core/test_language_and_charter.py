"""Korean first: the UI language, the switcher, the charter page and the footer (CT1)."""
from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_korean_by_default_even_when_the_browser_asks_for_english():
    response = Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "ko"
    assert '<html lang="ko">' in response.content.decode()


def test_language_cookie_switches_to_english():
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/charter/"})
    assert response.status_code == 302 and response["Location"] == "/charter/"
    assert client.get(reverse("login"))["Content-Language"] == "en"


def test_switcher_saves_a_signed_in_users_preference(customer, client_for):
    client = client_for(customer)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    customer.refresh_from_db()
    assert customer.language == "en"
    # A fresh session without the cookie still gets the saved preference.
    fresh = Client()
    fresh.force_login(customer)
    assert fresh.get(reverse("charter:charter"))["Content-Language"] == "en"


def test_switcher_refuses_unknown_languages_and_offsite_redirects():
    client = Client()
    response = client.post(reverse("set_language"), {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get(reverse("login"))["Content-Language"] == "ko"


def test_charter_page_shows_the_korean_original():
    body = Client().get(reverse("charter:charter")).content.decode()
    assert "고객서비스 헌장" in body
    assert "동일장비에 3회이상 동일 장애발생이 예상되는 경우" in body  # MT5 as published
    assert body.count("<h2") >= 5


def test_charter_page_in_english_shows_the_reading_and_keeps_the_original():
    client = Client()
    client.cookies["django_language"] = "en"
    body = client.get(reverse("charter:charter")).content.decode()
    assert "PC inspection checklist" in body
    assert "고객서비스 헌장" in body  # the original stays available below the reading


def test_ct1_footer_shows_the_service_contacts(settings):
    settings.SERVICE_CONTACT_PHONE = "052-203-0656~7"
    body = Client().get(reverse("login")).content.decode()
    assert "052-203-0656~7" in body and "eservice@hcnc.co.kr" in body and "업무지원팀" in body


def test_anonymous_home_goes_to_login():
    response = Client().get("/")
    assert response.status_code == 302 and reverse("login") in response["Location"]
