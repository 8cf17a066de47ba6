"""The OpenAPI schema and its Swagger UI page under the Content-Security-Policy:
every file from our own static files (drf-spectacular-sidecar, pinned), no
inline script or style element, the start-up script a file of our origin."""
from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse


def test_the_schema_is_openapi_3_with_the_bearer_scheme_and_the_error_shape(org, api_for):
    schema = api_for(org.customer).get(reverse("api:schema")).json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["bearerToken"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "<prefix>.<secret>",
        "description": "A personal token from /api/tokens/, or a service account's from the admin.",
    }
    listed = schema["paths"]["/api/tickets/"]["get"]["responses"]
    assert {"200", "400", "401", "403", "404", "429"} <= set(listed)
    assert listed["401"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "token_revoked" in schema["components"]["schemas"]["Error"]["properties"]["code"]["enum"]


def test_the_docs_page_is_for_staff_and_keeps_to_the_csp(org, client_for, client):
    assert client.get(reverse("api:docs")).status_code == 302
    assert client_for(org.customer).get(reverse("api:docs")).status_code == 403
    page = client_for(org.engineer).get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert "<style" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts and all(body.strip() == "" and 'src="/' in attrs for attrs, body in scripts), scripts
    for url in re.findall(r'(?:src|href)="(/static/[^"?]+)"', html):
        assert finders.find(url.removeprefix("/static/")), f"{url} is not one of our static files"
    start = client_for(org.engineer).get(reverse("api:docs") + "?script=")
    assert start.status_code == 200 and start["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in start.content.decode()


def test_the_browsable_pages_are_for_staff_everyone_else_reads_json(org, client_for):
    staff = client_for(org.engineer).get(reverse("api:tickets"), headers={"Accept": "text/html"})
    assert staff.status_code == 200 and staff["Content-Type"].startswith("text/html")
    customer = client_for(org.customer).get(reverse("api:tickets"), headers={"Accept": "text/html"})
    assert customer.status_code == 200 and customer["Content-Type"] == "application/json"
    assert customer.json()["results"] == []


def test_a_session_post_needs_its_csrf_token(org):
    http = Client(enforce_csrf_checks=True)
    http.force_login(org.customer)
    response = http.post(reverse("api:tickets"), '{"title": "x", "asset_other": "y"}', content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    http.get(reverse("api:tokens"))  # any page sets the CSRF cookie
    token = http.cookies["csrftoken"].value
    made = http.post(
        reverse("api:tickets"), '{"title": "x", "asset_other": "y"}', content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert made.status_code == 201
