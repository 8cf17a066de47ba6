from __future__ import annotations

from django.urls import path

from .today import views

# The engineer's day at /today/ (first in the staff menu).
app_name = "today"
urlpatterns = [
    path("", views.today, name="index"),
]
