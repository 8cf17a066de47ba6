"""Every refusal the API gives, in the phone endpoint's shape:
`{"code": …, "message": …, "errors": {field: [message]}}` (`__all__` for the
request as a whole), the message in the caller's language. Integrators match
on `code`, which never changes (README "REST API", errors table).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from desk.phone_schema import ALL, ApiRefusal
from helpdesk.core.errors import ActionRefused

# Codes. The phone endpoint's (desk.phone_schema) mean the same here.
MALFORMED_JSON = "malformed_json"
NESTING_TOO_DEEP = "nesting_too_deep"
INVALID_FIELDS = "invalid_fields"
REFUSED = "refused"
TOKEN_REQUIRED = "token_required"
TOKEN_INVALID = "token_invalid"
TOKEN_EXPIRED = "token_expired"
TOKEN_REVOKED = "token_revoked"
FORBIDDEN = "forbidden"
SCOPE_MISSING = "scope_missing"
NOT_FOUND = "not_found"
METHOD_NOT_ALLOWED = "method_not_allowed"
NOT_ACCEPTABLE = "not_acceptable"
BODY_TOO_LARGE = "body_too_large"
UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
TOO_MANY_REQUESTS = "too_many_requests"

CODES = (
    MALFORMED_JSON, NESTING_TOO_DEEP, INVALID_FIELDS, REFUSED, TOKEN_REQUIRED, TOKEN_INVALID, TOKEN_EXPIRED,
    TOKEN_REVOKED, FORBIDDEN, SCOPE_MISSING, NOT_FOUND, METHOD_NOT_ALLOWED, NOT_ACCEPTABLE, BODY_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE, TOO_MANY_REQUESTS,
)


class TokenRefused(exceptions.AuthenticationFailed):
    """401 with the reason's own code: unknown, expired or revoked."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(detail=message, code=code)
        self.refusal_code = code


class ScopeMissing(exceptions.PermissionDenied):
    def __init__(self, scope: str) -> None:
        super().__init__(
            detail=_("This token may not use this part of the API (it lacks the %(scope)s scope).") % {"scope": scope}
        )


def body(code: str, message: str, errors: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "errors": dict(errors) if errors else {ALL: [message]}}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error details as {"field": [...]}, {"items.0.answer": [...]}."""
    if isinstance(detail, Mapping):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = ALL if key in ("non_field_errors", ALL) else str(key)
            for field, messages in _flatten(value, f"{prefix}.{name}" if prefix else name).items():
                out.setdefault(field, []).extend(messages)
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, (Mapping, list)) for item in detail):
            return {prefix or ALL: [str(item) for item in detail]}
        out = {}
        for i, item in enumerate(detail):
            for field, messages in _flatten(item, f"{prefix}.{i}" if prefix else str(i)).items():
                out.setdefault(field, []).extend(messages)
        return out
    return {prefix or ALL: [str(detail)]}


def _response(status_code: int, code: str, message: str, errors: Mapping[str, list[str]] | None = None) -> Response:
    return Response(body(code, message, errors), status=status_code)


def exception_handler(exc: Exception, context: Mapping[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error an API view raises, as the structured body."""
    if isinstance(exc, ApiRefusal):
        return _response(exc.status, exc.code, exc.message, exc.errors)
    if isinstance(exc, ActionRefused):
        return _response(status.HTTP_400_BAD_REQUEST, REFUSED, exc.message, {exc.field or ALL: [exc.message]})
    if isinstance(exc, RequestDataTooBig):
        return _response(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, BODY_TOO_LARGE, _("The body is too large."))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a real server error: Django's 500 handling and logging
    response = _api_exception(exc)
    if getattr(exc, "auth_header", None):
        response["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    return response


def _api_exception(exc: exceptions.APIException) -> Response:
    if isinstance(exc, exceptions.ValidationError):
        return _response(exc.status_code, INVALID_FIELDS, _("Some fields are missing or not valid."), _flatten(exc.detail))
    if isinstance(exc, exceptions.ParseError):
        return _response(exc.status_code, MALFORMED_JSON, _("The body must be a JSON object."))
    if isinstance(exc, TokenRefused):
        return _response(exc.status_code, exc.refusal_code, str(exc.detail))
    if isinstance(exc, exceptions.NotAuthenticated):
        return _response(exc.status_code, TOKEN_REQUIRED, _("Sign in, or send a valid API token: Authorization: Bearer <token>."))
    if isinstance(exc, exceptions.AuthenticationFailed):
        return _response(exc.status_code, TOKEN_INVALID, _("The API token is not valid."))
    if isinstance(exc, ScopeMissing):
        return _response(exc.status_code, SCOPE_MISSING, str(exc.detail))
    if isinstance(exc, exceptions.PermissionDenied):
        return _response(exc.status_code, FORBIDDEN, _("You may not do this."))
    if isinstance(exc, exceptions.NotFound):
        return _response(exc.status_code, NOT_FOUND, _("Not found, or not yours to see."))
    if isinstance(exc, exceptions.MethodNotAllowed):
        return _response(exc.status_code, METHOD_NOT_ALLOWED, _("This method is not accepted here."))
    if isinstance(exc, exceptions.NotAcceptable):
        return _response(exc.status_code, NOT_ACCEPTABLE, _("The API answers in JSON (application/json)."))
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _response(exc.status_code, UNSUPPORTED_MEDIA_TYPE, _("Send the body as application/json."))
    if isinstance(exc, exceptions.Throttled):
        seconds = max(1, int((exc.wait or 1) + 0.999))
        return _response(
            exc.status_code, TOO_MANY_REQUESTS,
            _("Too many requests; try again in %(seconds)s seconds.") % {"seconds": seconds},
        )
    return _response(exc.status_code, str(exc.default_code), str(exc.detail))
