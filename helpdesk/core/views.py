from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from .redirects import safe_next


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.has_perm("tickets.work_ticket"):
        return redirect("staff:queue")
    return redirect("portal:ticket_list")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language switcher: a cookie for everyone, and the preference of a signed-in user."""
    language = request.POST.get("language", "")
    supported = {code for code, _name in settings.LANGUAGES}
    response = redirect(safe_next(request, "/"))
    if language in supported:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=not settings.DEBUG,
        )
        if request.user.is_authenticated and request.user.language != language:
            request.user.language = language
            request.user.save(update_fields=["language"])
    return response
