"""What every API view shares: who may call it (signed in, the token's scope,
the role's permission), the caller's language, and the browsable pages for
staff only (anyone else gets JSON)."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from helpdesk.core.input_bounds import MAX_ID
from tickets.permissions import is_staff

from ..models import ApiToken


class ApiView(APIView):
    #: The token scope this view needs (api.scopes); None: any token.
    scope: str | None = None
    #: The permission each method needs, as the page checks it.
    permissions_by_method: dict[str, str] = {}

    def perform_authentication(self, request: Request) -> None:
        try:
            super().perform_authentication(request)
        finally:
            # Also when the token was refused: the 401 is drawn for this caller too.
            self._fit_to_caller(request)

    def _fit_to_caller(self, request: Request) -> None:
        user = getattr(request, "_user", None) or AnonymousUser()
        if isinstance(request.accepted_renderer, BrowsableAPIRenderer) and not is_staff(user):
            # The browsable pages are for staff; everyone else reads plain JSON.
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        if isinstance(getattr(request, "_auth", None), ApiToken) and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            # A token has no session for the middleware to read the person's language
            # from: answer in their saved language (Korean unless they chose English).
            language = user.language or settings.LANGUAGE_CODE
            if language in {code for code, _name in settings.LANGUAGES}:
                translation.activate(language)
                request.LANGUAGE_CODE = language

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
        return response


class IdConverter:
    """`<api_id:pk>`: an id that fits an integer column, or no match."""

    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([])
@throttle_classes([])
def not_found(request: Request) -> Response:
    """An address under /api/ that names nothing: the JSON 404 (no sign-in needed to be told)."""
    raise Http404
