from __future__ import annotations

from django.urls import path

from . import views

# Root-level charter pages: the operator's health probe.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
