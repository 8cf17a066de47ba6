from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class PreferredLanguageMiddleware:
    """Korean first: the language cookie, else the user's preference, else Korean.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which
    on company PCs set up in English would show English to Korean staff; the
    charter's users expect Korean unless they choose otherwise.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            user = getattr(request, "user", None)
            language = (
                user.language
                if user is not None and user.is_authenticated and user.language in self.supported
                else settings.LANGUAGE_CODE
            )
        request.LANGUAGE_CODE = language
        # override() restores whatever was active before: a worker thread or a
        # test that chose a language keeps it after the request.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
