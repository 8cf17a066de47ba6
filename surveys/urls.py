from __future__ import annotations

from django.urls import path

from .views import answer_pages, follow_up_pages

app_name = "surveys"
urlpatterns = [
    # The signed link's page: no login (IM2).
    path("a/<str:token>/", answer_pages.answer, name="answer"),
    path("a-details/", answer_pages.details, name="details"),
    path("mine/", answer_pages.my_surveys, name="mine"),
    # The follow-up queue of leads and section chiefs (P4).
    path("follow-ups/", follow_up_pages.queue, name="follow_ups"),
    path("follow-ups/<int:pk>/", follow_up_pages.detail, name="follow_up"),
]
