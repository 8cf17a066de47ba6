"""The team lead's dashboard (issue 6), included from charter/urls.py as
`path("dashboard/", include("charter.urls_dashboard"))` → names `charter:dashboard:…`."""
from __future__ import annotations

from django.urls import path

from .dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="index"),
    path("figures/", views.dashboard_figures, name="figures"),
    path("list/<slug:name>/", views.dashboard_list, name="list"),
    path("tickets/<int:pk>/root-cause/", views.root_cause, name="root_cause"),
]
