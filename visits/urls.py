from __future__ import annotations

from django.urls import path

from . import views

app_name = "visits"
urlpatterns = [
    path("", views.index, name="index"),
    # Staff: the engineer's day, booking, and the visit card with its actions.
    path("day/", views.day, name="day"),
    path("ticket/<int:ticket_pk>/book/", views.book, name="book"),
    path("work/<int:pk>/", views.staff_visit, name="staff_visit"),
    path("work/<int:pk>/confirm/", views.staff_confirm, name="staff_confirm"),
    path("work/<int:pk>/propose/", views.staff_propose, name="staff_propose"),
    path("work/<int:pk>/companion/", views.staff_companion, name="staff_companion"),
    path("work/<int:pk>/cancel/", views.staff_cancel, name="staff_cancel"),
    path("work/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("work/<int:pk>/late/", views.late_notice, name="late_notice"),
    path("work/<int:pk>/checklist/", views.checklist, name="checklist"),
    path("work/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("work/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("work/<int:pk>/absent/", views.absent, name="absent"),
    path("work/<int:pk>/request/", views.new_request, name="new_request"),
    path("work/<int:pk>/files/", views.files, name="files"),
    path("files/<int:pk>/", views.file_download, name="file_download"),
    path("<int:pk>/signature.png", views.signature, name="signature"),
    # The customer's own visit (the ticket's reporter only; anyone else gets a 404).
    path("<int:pk>/", views.customer_visit, name="customer_visit"),
    path("<int:pk>/confirm/", views.customer_confirm, name="customer_confirm"),
    path("<int:pk>/propose/", views.customer_propose, name="customer_propose"),
    path("<int:pk>/cancel/", views.customer_cancel, name="customer_cancel"),
    path("<int:pk>/rebook/", views.customer_rebook, name="customer_rebook"),
]
