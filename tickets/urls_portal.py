from __future__ import annotations

from django.urls import path

from .views import customer_pages as portal

app_name = "portal"
urlpatterns = [
    path("", portal.ticket_list, name="ticket_list"),
    path("new/", portal.ticket_new, name="ticket_new"),
    path("new/fields/", portal.ticket_new_fields, name="ticket_new_fields"),
    path("tickets/<int:pk>/", portal.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/comment/", portal.ticket_comment, name="ticket_comment"),
    path("tickets/<int:pk>/action/", portal.ticket_action, name="ticket_action"),
]
