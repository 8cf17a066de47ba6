"""The user's own in-app notifications: a paginated list, mark one or all read;
and which notices reach them how (the settings page)."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.core.errors import ActionRefused
from helpdesk.core.redirects import is_safe_target, safe_next

from . import selectors, services
from .choices import settings_page
from .forms import NoticeSettingsForm
from .preferences import notice_preferences_save

PAGE_SIZE = 25


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.in_app_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "notifications": page.object_list})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read, then go where the notification points (when it points inside the site)."""
    notification = services.notification_mark_read(user=request.user, notification_id=pk)
    link = notification.link
    return redirect(safe_next(request, link if is_safe_target(request, link) else "notifications:list"))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    services.notification_mark_all_read(user=request.user)
    return redirect("notifications:list")


@login_required
@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The navbar bell alone, for htmx to refresh the count."""
    return render(request, "notifications/_bell.html", {"unread": selectors.unread_count(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    """Everyone signed in chooses how each kind of notice reaches them."""
    page = settings_page(request.user)
    form = NoticeSettingsForm(request.POST if request.method == "POST" else None, page=page)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = notice_preferences_save(
                    user=request.user, actor=request.user, chosen=form.chosen(), digest=form.digest_choice()
                )
            except ActionRefused as refusal:
                refusal.show_on(form)
            else:
                if changed:
                    messages.success(
                        request,
                        ngettext("Saved: %(count)d choice changed.", "Saved: %(count)d choices changed.", changed)
                        % {"count": changed},
                    )
                else:
                    messages.info(request, _("Nothing changed."))
                return redirect("notifications:settings")
        # What was ticked stays ticked beside the message, so nothing is lost.
        status = 400
    context = {"form": form, "page": page, "digest_at": settings.NOTIFY_DIGEST_AT}
    return render(request, "notifications/settings.html", context, status=status)
