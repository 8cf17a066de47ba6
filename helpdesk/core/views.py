from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from .context_processors import service_contacts
from .redirects import safe_next

logger = logging.getLogger(__name__)


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


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the friendly page in the visitor's language with the desk's
    contacts. It reads no database and renders no menu, so the failure that
    brought us here cannot fail it too; if even this fails, plain text."""
    try:
        body = render_to_string(
            "500.html", {**service_contacts(request), "LANGUAGE_CODE": get_language()}
        )
    except Exception:  # the last resort must answer whatever happened
        logger.exception("the error page itself failed")
        return HttpResponseServerError("Server error. 서버 오류가 발생했습니다.", content_type="text/plain; charset=utf-8")
    return HttpResponseServerError(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent without its token gets our own page, in
    the visitor's language, saying nothing was saved and what to do."""
    logger.warning("CSRF refused %s: %s", request.path, reason)
    return render(request, "errors/csrf.html", status=403)
