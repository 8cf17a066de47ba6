from __future__ import annotations

from django.urls import include, path

from .views import files

urlpatterns = [
    path("my/", include("tickets.urls_portal")),
    path("desk/", include("tickets.urls_staff")),
    path("attachments/<int:pk>/", files.attachment_download, name="attachment_download"),
]
