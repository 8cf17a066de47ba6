from __future__ import annotations

from django.urls import path, re_path, register_converter

from .views import desk, docs, reference, tickets, tokens_page, visits
from .views.base import IdConverter, not_found

# Ids in paths are 1 … 2³¹−1 (helpdesk.core.input_bounds.MAX_ID): a longer or
# negative one matches nothing here and gets the API's JSON 404 below, not a
# database error or the site's HTML 404 page.
register_converter(IdConverter, "api_id")

app_name = "api"
urlpatterns = [
    path("tickets/", tickets.TicketListView.as_view(), name="tickets"),
    path("tickets/<api_id:pk>/", tickets.TicketDetailView.as_view(), name="ticket"),
    path("tickets/<api_id:pk>/comments/", tickets.TicketCommentView.as_view(), name="ticket_comment"),
    path("tickets/<api_id:pk>/assign/", tickets.TicketAssignView.as_view(), name="ticket_assign"),
    path("tickets/<api_id:pk>/transition/", tickets.TicketTransitionView.as_view(), name="ticket_transition"),
    path("tickets/<api_id:pk>/priority/", tickets.TicketPriorityView.as_view(), name="ticket_priority"),
    path("tickets/<api_id:pk>/team/", tickets.TicketTeamMoveView.as_view(), name="ticket_team_move"),
    path("tickets/<api_id:pk>/visits/", visits.TicketVisitsView.as_view(), name="ticket_visits"),
    path("visits/", visits.VisitDayView.as_view(), name="visits"),
    path("visits/<api_id:pk>/", visits.VisitDetailView.as_view(), name="visit"),
    path("visits/<api_id:pk>/outcome/", visits.VisitOutcomeView.as_view(), name="visit_outcome"),
    path("calls/", desk.CallsView.as_view(), name="calls"),
    path("callbacks/", desk.CallbacksView.as_view(), name="callbacks"),
    path("callbacks/<api_id:pk>/close/", desk.CallbackCloseView.as_view(), name="callback_close"),
    path("assets/", reference.AssetsView.as_view(), name="assets"),
    path("fault-categories/", reference.FaultCategoriesView.as_view(), name="fault_categories"),
    path("standards/", reference.StandardsView.as_view(), name="standards"),
    path("dashboard/", reference.DashboardView.as_view(), name="dashboard"),
    path("schema/", docs.schema_view, name="schema"),
    path("docs/", docs.docs_view, name="docs"),
    path("tokens/", tokens_page.tokens_page, name="tokens"),
    path("tokens/<api_id:pk>/revoke/", tokens_page.token_revoke, name="token_revoke"),
    # Anything else under /api/ answers in the API's own shape.
    re_path(r"^[\s\S]*$", not_found),  # [\s\S], not ".": a newline in the path is still ours to answer
]
