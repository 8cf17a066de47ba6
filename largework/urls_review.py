"""The approver's and the customer's pages (largework.views.review_pages)."""
from __future__ import annotations

from django.urls import path

from .views import review_pages as views

urlpatterns = [
    path("approvals/", views.approval_queue, name="approvals"),
    path("approvals/<int:pk>/", views.approval_page, name="approval"),
    path("my/<int:pk>/", views.customer_plan, name="customer_plan"),
]
