"""The phone system's endpoint (PH1): answered calls POSTed as JSON with a bearer
token (documented in the README), answered with JSON.
"""
from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused

from .. import services
from ..forms import PhoneSystemCallForm
from ..models import CallSource


def _token_ok(request: HttpRequest) -> bool:
    expected = getattr(settings, "PHONE_SYSTEM_TOKEN", "") or ""
    header = request.headers.get("Authorization", "")
    scheme, _sep, given = header.partition(" ")
    if not expected or scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def _json_error(status: int, errors: dict[str, list[str]]) -> JsonResponse:
    return JsonResponse({"errors": errors}, status=status)


def _agent_named(name: str) -> User | None:
    return (
        User.objects.filter(is_active=True)
        .filter(Q(username=name) | Q(employee_no__iexact=name))
        .select_related("team")
        .first()
    )


@csrf_exempt
@require_POST
def api_calls(request: HttpRequest) -> JsonResponse:
    """POST an answered call from the phone system (documented in the README)."""
    if not _token_ok(request):
        response = _json_error(401, {"__all__": [_("A valid phone system token is required.")]})
        response["WWW-Authenticate"] = 'Bearer realm="charterdesk phone system"'
        return response
    try:
        body = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _json_error(400, {"__all__": [_("The body must be a JSON object.")]})
    if not isinstance(body, dict):
        return _json_error(400, {"__all__": [_("The body must be a JSON object.")]})
    form = PhoneSystemCallForm({k: v for k, v in body.items() if v is not None})
    if not form.is_valid():
        return _json_error(400, {k: [e["message"] for e in v] for k, v in form.errors.get_json_data().items()})
    data = form.cleaned_data
    agent = _agent_named(data["agent"])
    if agent is None:
        return _json_error(400, {"agent": [_("No active user has that username or employee number.")]})
    try:
        call, created = services.call_record(
            agent=agent,
            rings=data["rings"],
            seconds_to_answer=data["seconds_to_answer"],
            caller_number=data["caller_number"],
            source=CallSource.PHONE_SYSTEM,
            external_id=data["call_id"] or None,
            received_at=data["received_at"],
        )
    except ActionRefused as exc:
        return _json_error(400, {exc.field or "__all__": [exc.message]})
    caller = call.caller
    return JsonResponse(
        {
            "id": call.pk,
            "url": request.build_absolute_uri(reverse("desk:call_detail", args=[call.pk])),
            "answered_in_time": call.answered_in_time,
            "agent": call.agent.username,
            "caller": {"id": caller.pk, "name": caller.display_name, "department": call.caller_department.name if call.caller_department else ""}
            if caller is not None
            else None,
        },
        status=201 if created else 200,
    )
