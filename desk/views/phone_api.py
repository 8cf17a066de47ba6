"""The phone system's endpoint (PH1): answered calls POSTed as JSON with a bearer
token (documented in the README), answered with JSON — refusals included, each
with a stable `code` (desk.phone_schema)."""
from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from helpdesk.core.errors import ActionRefused

from .. import selectors, services
from ..models import CallSource
from ..phone_schema import ApiRefusal, call_record_read, method_not_allowed, refused, token_required


def _token_ok(request: HttpRequest) -> bool:
    expected = getattr(settings, "PHONE_SYSTEM_TOKEN", "") or ""
    header = request.headers.get("Authorization", "")
    scheme, _sep, given = header.partition(" ")
    if not expected or scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


@csrf_exempt
def api_calls(request: HttpRequest) -> JsonResponse:
    """POST an answered call from the phone system (documented in the README)."""
    # Not require_POST: its 405 is an empty page, and every answer here is JSON.
    if request.method != "POST":
        return method_not_allowed()
    # The token first: nothing of an unknown sender's body is read.
    if not _token_ok(request):
        return token_required()
    try:
        record = call_record_read(request)
    except ApiRefusal as refusal:
        return refusal.response()
    agent = selectors.phone_agent_named(record.agent)
    if agent is None:
        return refused({"agent": [_("No active user has that username or employee number.")]}).response()
    try:
        call, created = services.call_record(
            agent=agent,
            rings=record.rings,
            seconds_to_answer=record.seconds_to_answer,
            caller_number=record.caller_number,
            source=CallSource.PHONE_SYSTEM,
            external_id=record.call_id or None,
            received_at=record.received_at,
        )
    except ActionRefused as exc:
        return refused({exc.field or "__all__": [exc.message]}).response()
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
