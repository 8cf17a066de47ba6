from __future__ import annotations

from django.urls import include, path

urlpatterns = [
    path("my/", include("tickets.urls_portal")),
    path("desk/", include("tickets.urls_staff")),
]
