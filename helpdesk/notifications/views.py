"""The user's own in-app notifications: a paginated list, mark one or all read."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from helpdesk.core.redirects import is_safe_target, safe_next

from . import selectors, services

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
