from __future__ import annotations

from django.urls import path

from .views import staff

app_name = "staff"
urlpatterns = [
    path("", staff.queue, name="queue"),
    path("intake/", staff.intake, name="intake"),
    path("tickets/<int:pk>/", staff.ticket_detail, name="ticket_detail"),
]
