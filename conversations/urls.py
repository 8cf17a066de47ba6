from __future__ import annotations

from django.urls import path

from . import views

app_name = "conversations"
urlpatterns = [
    path("", views.mail_waiting, name="mail_waiting"),
    path("<int:pk>/", views.mail_detail, name="mail_detail"),
    path("<int:pk>/ticket/", views.mail_file_ticket, name="mail_file_ticket"),
    path("<int:pk>/aside/", views.mail_set_aside, name="mail_set_aside"),
]
