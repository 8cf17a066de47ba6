from __future__ import annotations

from django.urls import include, path

from . import views

app_name = "charter"
urlpatterns = [
    path("", views.charter_page, name="charter"),
    path("escalated/", views.escalated_list, name="escalated"),
    path("tickets/<int:pk>/delay-notice/", views.delay_notice_file_view, name="delay_notice_file"),
    path("dashboard/", include("charter.urls_dashboard")),
    path("scoreboard/", include("charter.urls_scoreboard")),
]
