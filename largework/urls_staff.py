"""The staff's pages of a plan: open, edit, submit, progress, report (largework.views.staff_pages)."""
from __future__ import annotations

from django.urls import path

from .views import staff_pages as views

urlpatterns = [
    path("tickets/<int:ticket_pk>/plan/", views.plan_open, name="plan_open"),
    path("plans/<int:pk>/", views.plan_page, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/submit/", views.plan_submit_action, name="plan_submit"),
    path("plans/<int:pk>/messages/", views.plan_message, name="plan_message"),
    path("plans/<int:pk>/report/", views.plan_report, name="plan_report"),
    path("windows/<int:pk>/record/", views.window_record_action, name="window_record"),
    path("windows/<int:pk>/visit/", views.window_visit_action, name="window_visit"),
    # Downloads of the completion report, for anyone who may read the plan (staff, approvers, customers).
    path("plans/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("plans/<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
]
