"""The charter scoreboard (IM1), included from charter/urls.py as
`path("scoreboard/", include("charter.urls_scoreboard"))` → names `charter:scoreboard:…`."""
from __future__ import annotations

from django.urls import path

from .scoreboard import views

app_name = "scoreboard"
urlpatterns = [
    path("", views.board, name="board"),
    path("rows/<slug:key>/", views.measure_list, name="list"),
]
