from __future__ import annotations

from django.urls import path

from . import views

app_name = "charter"
urlpatterns = [
    path("", views.charter_page, name="charter"),
]
