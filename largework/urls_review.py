"""The approver's and the customer's pages (largework.views.review_pages)."""
from __future__ import annotations

from django.urls import path

from .views import review_pages as views

urlpatterns = [
    path("approvals/", views.approval_queue, name="approvals"),
    path("approvals/<int:pk>/", views.approval_page, name="approval"),
    path("approvals/<int:pk>/approve/", views.approval_approve, name="approval_approve"),
    path("approvals/<int:pk>/return/", views.approval_return, name="approval_return"),
    path("approvals/<int:pk>/message/", views.approval_message, name="approval_message"),
    path("my/<int:pk>/", views.customer_plan, name="customer_plan"),
    path("reports/files/<int:pk>/", views.report_file, name="report_file"),
]
