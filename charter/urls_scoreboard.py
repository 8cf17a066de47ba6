"""The charter scoreboard (IM1), included from charter/urls.py as
`path("scoreboard/", include("charter.urls_scoreboard"))` → names `charter:scoreboard:…`."""
from __future__ import annotations

from django.urls import path

from .scoreboard import views

app_name = "scoreboard"
urlpatterns = [
    path("", views.board, name="board"),
    path("rows/<slug:key>/", views.measure_list, name="list"),
    path("reports/", views.report_list, name="reports"),
    path("reports/generate/", views.report_generate, name="report_generate"),
    path("reports/<int:pk>/<str:fmt>/", views.report_file, name="report_file"),
]
