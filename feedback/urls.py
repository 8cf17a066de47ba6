from __future__ import annotations

from django.urls import path

from .views import customer_pages, record_pages, staff_pages

app_name = "feedback"
urlpatterns = [
    path("new/", customer_pages.feedback_new, name="my_new"),
    path("mine/", customer_pages.feedback_mine, name="my_list"),
    path("mine/<int:pk>/", customer_pages.feedback_mine_detail, name="my_detail"),
    path("desk/new/", staff_pages.desk_new, name="desk_new"),
    path("queue/", staff_pages.queue, name="queue"),
    path("queue/<int:pk>/", staff_pages.staff_detail, name="staff_detail"),
    path("queue/<int:pk>/review/", staff_pages.staff_review, name="staff_review"),
    path("queue/<int:pk>/answer/", staff_pages.staff_answer, name="staff_answer"),
    path("queue/<int:pk>/reflect/", staff_pages.staff_reflect, name="staff_reflect"),
    path("queue/<int:pk>/decide/", staff_pages.staff_decide, name="staff_decide"),
    path("files/<int:pk>/", staff_pages.attachment_download, name="attachment"),
    path("me/", record_pages.record_me, name="me"),
    path("team/", record_pages.record_team, name="team"),
    path("trainings/<int:pk>/done/", record_pages.training_done, name="training_done"),
    path("trainings/<int:pk>/confirm/", record_pages.training_confirmed, name="training_confirm"),
]
