from __future__ import annotations

from django.urls import path

from . import views

app_name = "desk"
urlpatterns = [
    path("phone/", views.phone, name="phone"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/caller/", views.call_caller, name="call_caller"),
    path("calls/<int:pk>/ticket/", views.call_ticket_new, name="call_ticket_new"),
    path("calls/<int:pk>/attach/", views.call_attach, name="call_attach"),
    path("calls/<int:pk>/transfer/", views.call_transfer, name="call_transfer"),
    path("calls/<int:pk>/callback/", views.call_callback, name="call_callback"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("callbacks/new/", views.callback_new, name="callback_new"),
    path("callbacks/<int:pk>/", views.callback_detail, name="callback_detail"),
    path("callbacks/<int:pk>/close/", views.callback_close, name="callback_close"),
    path("walk-ins/", views.walk_ins, name="walk_ins"),
    path("walk-ins/<int:pk>/serve/", views.walk_in_serve, name="walk_in_serve"),
    path("directory/", views.directory, name="directory"),
    path("tickets/<int:pk>/", views.ticket_gates, name="ticket_gates"),
    path("tickets/<int:pk>/identity/", views.identity_record, name="identity_record"),
    path("tickets/<int:pk>/symptoms/", views.symptoms_record, name="symptoms_record"),
    path("tickets/<int:pk>/diagnosis/", views.diagnosis_record, name="diagnosis_record"),
    path("tickets/<int:pk>/consent/", views.consent_record, name="consent_record"),
    path("my/tickets/<int:pk>/consent/", views.consent, name="consent"),
    path("api/calls/", views.api_calls, name="api_calls"),
]
