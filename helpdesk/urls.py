from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    # Early: nothing else lives under api/, and an API call then skips the
    # patterns the page includes (four of them at "") would try first.
    path("api/", include("api.urls")),
    path("", include("helpdesk.core.urls")),
    path("", include("tickets.urls")),
    path("frontdesk/", include("desk.urls")),
    path("frontdesk/mail/", include("conversations.urls")),
    path("charter/", include("charter.urls")),
    path("", include("charter.urls_root")),
    path("today/", include("charter.urls_today")),
    path("", include("standards.urls")),
    path("notifications/", include("helpdesk.notifications.urls")),
    path("visits/", include("visits.urls")),
    path("largework/", include("largework.urls")),
    path("surveys/", include("surveys.urls")),
    path("feedback/", include("feedback.urls")),
    path("corrections/", include("corrections.urls")),
    path("audits/", include("audits.urls")),
]

# The friendly 500 page (400, 403 and 404 use Django's own views with our templates).
handler500 = "helpdesk.core.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
