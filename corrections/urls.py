from __future__ import annotations

from django.urls import path

from .views import correction_pages as views

app_name = "corrections"
urlpatterns = [
    path("", views.correction_list, name="list"),
    path("ticket/<int:pk>/open/", views.correction_open_action, name="open"),
]
