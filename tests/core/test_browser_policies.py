"""Content-Security-Policy and Permissions-Policy on every page, in this (the
development/test) configuration; tests/test_deploy_settings.py checks production's."""
from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def test_pages_carry_a_strict_script_policy(customer, client_for):
    for response in (Client().get(reverse("login")), client_for(customer).get(reverse("portal:ticket_list"))):
        assert response.status_code == 200
        policy = directives(response["Content-Security-Policy"])

        assert policy["script-src"] == ["'self'"]
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["form-action"] == ["'self'"]
        assert policy["img-src"] == ["'self'", "data:"]
        # Inline style attributes stay allowed; <style> elements only from our files.
        assert policy["style-src-elem"] == ["'self'"]


def test_pages_deny_the_browser_features_nobody_uses(customer, client_for):
    header = client_for(customer).get(reverse("portal:ticket_list"))["Permissions-Policy"]
    features = dict(item.split("=", 1) for item in header.split(", "))

    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature
    assert set(features.values()) == {"()"}  # nothing is granted, not even to ourselves


def test_refusals_carry_the_policies_too(customer, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": customer.username, "password": "wrong"}, REMOTE_ADDR="10.9.0.1")

    locked = client.post(reverse("login"), {"username": customer.username, "password": "wrong"}, REMOTE_ADDR="10.9.0.1")

    assert locked.status_code == 429
    assert "'unsafe-inline'" not in directives(locked["Content-Security-Policy"])["script-src"]
    assert "camera=()" in locked["Permissions-Policy"]


def test_htmx_is_told_not_to_eval_nor_inject_styles():
    page = Client().get(reverse("login")).content.decode()

    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowEval": false}'>""" in page
