from __future__ import annotations

from django.urls import path

from . import health_pages

# Root-level probes: /readyz for load balancers, /healthz for monitoring.
urlpatterns = [
    path("readyz", health_pages.readyz, name="readyz"),
    path("healthz", health_pages.healthz, name="healthz"),
]
