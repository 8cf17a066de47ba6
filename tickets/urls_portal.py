from __future__ import annotations

from django.urls import path

from .views import portal

app_name = "portal"
urlpatterns = [
    path("", portal.ticket_list, name="ticket_list"),
    path("new/", portal.ticket_new, name="ticket_new"),
    path("tickets/<int:pk>/", portal.ticket_detail, name="ticket_detail"),
]
