from __future__ import annotations

from django.urls import path

from .views import people_picker, staff_panels
from .views import staff_pages as staff

app_name = "staff"
urlpatterns = [
    path("", staff.queue, name="queue"),
    path("intake/", staff.intake, name="intake"),
    path("people/", people_picker.people_options, name="people"),
    path("tickets/<int:pk>/", staff.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/assign/", staff.ticket_assign_action, name="ticket_assign"),
    path("tickets/<int:pk>/team/", staff.ticket_team_move_action, name="ticket_team_move"),
    path("tickets/<int:pk>/status/", staff.ticket_transition_action, name="ticket_transition"),
    path("tickets/<int:pk>/priority/", staff.ticket_priority_action, name="ticket_priority"),
    path("tickets/<int:pk>/comment/", staff.ticket_comment_action, name="ticket_comment"),
    path("tickets/<int:pk>/panel/<slug:key>/", staff_panels.ticket_panel, name="ticket_panel"),
]
