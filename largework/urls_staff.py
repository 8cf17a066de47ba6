"""The staff's pages of a plan: open, edit, submit, progress, report (largework.views.staff_pages)."""
from __future__ import annotations

from django.urls import path

from .views import staff_pages as views

urlpatterns = [
    path("tickets/<int:ticket_pk>/plan/", views.plan_open, name="plan_open"),
    path("plans/<int:pk>/", views.plan_page, name="plan"),
]
