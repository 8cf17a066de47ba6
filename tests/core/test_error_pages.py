"""Friendly error pages in Korean with the desk's contacts (CT1), and the
favicon and web-app manifest a phone's home screen uses."""
from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import RequestFactory
from django.urls import reverse

from helpdesk.core.views import server_error
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = False
    return settings


def test_a_missing_page_is_a_korean_page_with_the_desks_contacts(production, client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert 'id="error-page"' in html
    assert "페이지를 찾을 수 없습니다" in html
    assert settings.SERVICE_CONTACT_PHONE in html and settings.SERVICE_CONTACT_EMAIL in html


def test_someone_elses_request_gets_the_same_page_as_a_missing_one(production, client_for, customer, org):
    from tests import factories as f

    theirs = f.TicketFactory(reporter=org.other_customer, team=org.team)
    seen = client_for(customer).get(reverse("portal:ticket_detail", args=[theirs.pk]))
    missing = client_for(customer).get(reverse("portal:ticket_detail", args=[theirs.pk + 1000]))

    assert seen.status_code == missing.status_code == 404
    assert "페이지를 찾을 수 없습니다" in seen.content.decode()
    assert theirs.title not in seen.content.decode()


def test_a_page_a_role_may_not_use_says_so_in_korean(production, client_for, customer):
    response = client_for(customer).get(reverse("staff:queue"))

    assert response.status_code == 403
    assert "사용할 권한이 없습니다" in response.content.decode()


def test_a_server_error_is_a_standalone_page_with_the_contacts_in_english_too(production):
    from django.utils import translation

    with translation.override("en"):
        response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert settings.SERVICE_CONTACT_PHONE in html
    assert 'lang="en"' in html


def test_the_server_error_page_is_what_django_uses():
    from helpdesk import urls

    assert urls.handler500 == "helpdesk.core.views.server_error"


def test_every_page_links_a_favicon_and_a_manifest_whose_icons_exist(client):
    html = client.get(reverse("login")).content.decode()
    assert 'rel="manifest"' in html and 'rel="icon"' in html

    manifest = json.loads(open(finders.find("manifest.webmanifest"), encoding="utf-8").read())
    assert manifest["lang"] == "ko" and manifest["start_url"] == "/"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes  # what Android asks for to install
    for icon in manifest["icons"]:
        assert finders.find(icon["src"]), icon["src"]


def test_a_form_sent_without_its_security_token_says_nothing_was_saved(client_for, customer):
    from django.test import Client

    http = Client(enforce_csrf_checks=True)
    http.force_login(customer)
    response = http.post(reverse("portal:ticket_new"), {"title": "모니터가 꺼집니다"})

    assert response.status_code == 403
    html = response.content.decode()
    assert 'id="error-page"' in html
    assert "저장되지 않았습니다" in html
    assert not Ticket.objects.filter(title="모니터가 꺼집니다").exists()
