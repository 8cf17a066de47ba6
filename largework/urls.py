from __future__ import annotations

from django.urls import include, path

app_name = "largework"
urlpatterns = [
    path("", include("largework.urls_staff")),
    path("", include("largework.urls_review")),
]
