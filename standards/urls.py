from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("standards/", views.standards_page, name="standards"),
]
