"""The OpenAPI schema (any signed-in caller or token) and its Swagger UI page
(signed-in staff). The page is drf-spectacular's CSP-friendly split view: the
HTML and its start-up script are two requests to our own origin, and Swagger
UI's files come from drf-spectacular-sidecar through our static files, so the
Content-Security-Policy (script-src 'self', no inline <style>) holds."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

# JSON (application/vnd.oai.openapi+json): errors too are JSON in the API's shape.
schema_view = SpectacularJSONAPIView.as_view()

docs_view = login_required(
    permission_required("tickets.work_ticket", raise_exception=True)(
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html")
    )
)
