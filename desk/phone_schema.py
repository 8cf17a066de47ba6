"""The phone system's call record (PH1): its JSON schema, and reading a request
body into a checked record or a refusal with a stable code.

The contract is strict on purpose: a phone system is configured once, and a
field of the wrong type, a typo in a name or a timestamp in the year 9999
should fail loudly at set-up, not be guessed at. Every refusal is JSON
(`ApiRefusal.response`), with a code that never changes and a translated
message, so an integrator's logs say what to fix.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.core.exceptions import RequestDataTooBig
from django.db import models
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from helpdesk.core.times import local_text

from .services.calls import MAX_RINGS_REPORTED, MAX_SECONDS_REPORTED

# A call record is a few hundred bytes; anything near this is not one. (Django's
# own DATA_UPLOAD_MAX_MEMORY_SIZE refusal is caught too, and answered the same.)
MAX_BODY_BYTES = 64 * 1024
# The record is flat (depth 1). Python's json recurses per level and raises
# RecursionError near a thousand, so depth is counted before parsing.
MAX_DEPTH = 16
# A call has been answered: its time is in the past, up to this old, with a few
# minutes allowed for a phone system whose clock runs ahead.
CALL_MAX_AGE = timedelta(days=90)
CLOCK_SKEW = timedelta(minutes=5)

FIELDS = ("agent", "call_id", "caller_number", "rings", "seconds_to_answer", "received_at")
# ISO 8601 as phone systems write it: a date, a time, optional fraction and zone.
# Text without control characters: a NUL cannot be stored in PostgreSQL, and
# no name, id or number holds a tab or a newline. ("not" a search for one: an
# anchored pattern's $ would let a final newline through.)
PLAIN_TEXT = {"not": {"type": "string", "pattern": "[\u0000-\u001f\u007f]"}}
ISO_MOMENT = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$"

CALL_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "An answered call, posted by the phone system",
    "type": "object",
    "additionalProperties": False,
    "required": ["agent"],
    "properties": {
        "agent": {"type": "string", "minLength": 1, "maxLength": 150, **PLAIN_TEXT},
        "call_id": {"type": ["string", "null"], "maxLength": 100, **PLAIN_TEXT},
        "caller_number": {"type": ["string", "null"], "maxLength": 30, **PLAIN_TEXT},
        "rings": {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_RINGS_REPORTED},
        "seconds_to_answer": {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_SECONDS_REPORTED},
        "received_at": {"type": ["string", "null"], "maxLength": 40, "pattern": ISO_MOMENT},
    },
}
Draft202012Validator.check_schema(CALL_SCHEMA)
_VALIDATOR = Draft202012Validator(CALL_SCHEMA)

# Stable codes: integrators match on these, never on the (translated) message.
TOKEN_REQUIRED = "token_required"
METHOD_NOT_ALLOWED = "method_not_allowed"
UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
BODY_TOO_LARGE = "body_too_large"
MALFORMED_JSON = "malformed_json"
NESTING_TOO_DEEP = "nesting_too_deep"
INVALID_FIELDS = "invalid_fields"
REFUSED = "refused"

ALL = "__all__"
# Django's own words (and translations) for a missing or an empty field.
REQUIRED = forms.Field.default_error_messages["required"]
BLANK = models.Field.default_error_messages["blank"]


@dataclass
class ApiRefusal(Exception):
    """A request the endpoint answers with an error: status, code, message and
    the messages per field (`__all__` for the body as a whole)."""

    status: int
    code: str
    message: str
    errors: dict[str, list[str]] = field(default_factory=dict)

    def response(self) -> JsonResponse:
        errors = self.errors or {ALL: [self.message]}
        return JsonResponse({"code": self.code, "message": self.message, "errors": errors}, status=self.status)


@dataclass(frozen=True)
class CallRecord:
    agent: str
    call_id: str
    caller_number: str
    rings: int | None
    seconds_to_answer: int | None
    received_at: datetime | None


def _fields_wrong(errors: dict[str, list[str]]) -> ApiRefusal:
    return ApiRefusal(400, INVALID_FIELDS, _("Some fields are missing or not valid."), errors)


def body_read(request: HttpRequest) -> bytes:
    """The raw body, refused when it is too large to be a call, empty, or not JSON."""
    too_large = ApiRefusal(
        413, BODY_TOO_LARGE, _("The body is larger than %(limit)s bytes.") % {"limit": MAX_BODY_BYTES}
    )
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        raise too_large
    try:
        body = request.body
    except RequestDataTooBig:  # above DATA_UPLOAD_MAX_MEMORY_SIZE: Django refuses to read it
        raise too_large from None
    if len(body) > MAX_BODY_BYTES:
        raise too_large
    if not body:
        # Nothing sent (and so, often, no content type either): an empty record.
        raise ApiRefusal(400, MALFORMED_JSON, _("The body must be a JSON object."))
    if (request.content_type or "").lower() != "application/json":
        raise ApiRefusal(415, UNSUPPORTED_MEDIA_TYPE, _("Send the body as application/json."))
    return body


# What matters to the depth: quotes, backslashes (inside strings) and brackets.
_SPECIAL = re.compile(r'[\\"\[\]{}]')


def json_depth_over(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether arrays/objects nest deeper than `limit` (brackets inside strings
    do not count), without recursing; one pass, linear in the text."""
    depth, in_string, skip = 0, False, -1
    for match in _SPECIAL.finditer(text):
        at, char = match.start(), match.group()
        if at == skip:  # the character after a backslash in a string
            continue
        if in_string:
            if char == "\\":
                skip = at + 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def body_parse(body: bytes) -> Any:
    """JSON from UTF-8 bytes; NaN and Infinity are not JSON, and neither is
    anything nested past MAX_DEPTH."""
    malformed = ApiRefusal(400, MALFORMED_JSON, _("The body must be a JSON object."))
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise malformed from None
    if json_depth_over(text):
        raise ApiRefusal(400, NESTING_TOO_DEEP, _("The body is nested too deeply."))
    try:
        # ValueError covers JSONDecodeError and an integer of thousands of digits.
        return json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise malformed from None


def _message(error: SchemaError) -> str:
    kind = error.validator
    if kind == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        if "integer" in expected:
            return _("Send a whole number (a JSON integer).")
        return _("Send text (a JSON string).")
    if kind == "minLength":
        return str(BLANK)
    if kind == "maxLength":
        return _("Send at most %(limit)s characters.") % {"limit": error.validator_value}
    if kind in ("minimum", "maximum"):
        schema = error.schema if isinstance(error.schema, dict) else {}
        return _("Enter a number between 0 and %(limit)s.") % {"limit": schema.get("maximum", "")}
    if kind == "pattern":
        return _("Send a date and time such as 2026-03-10T10:02:00+09:00.")
    if kind == "not":
        return _("Send text without control characters (tabs, line breaks, NUL).")
    return _("This value is not valid here.")


def schema_errors(body: Any) -> dict[str, list[str]]:
    """Per-field messages for whatever in `body` breaks the schema; {} when none."""
    if not isinstance(body, dict):
        return {ALL: [_("The body must be a JSON object.")]}
    errors: dict[str, list[str]] = {}
    for error in _VALIDATOR.iter_errors(body):
        if error.validator == "required":
            for name in error.validator_value:
                if name not in body:
                    errors.setdefault(name, []).append(str(REQUIRED))
        elif error.validator == "additionalProperties":
            for name in sorted(set(body) - set(FIELDS), key=str)[:10]:
                errors.setdefault(str(name)[:50], []).append(
                    _("Unknown field: a call record has only %(fields)s.") % {"fields": ", ".join(FIELDS)}
                )
        else:
            name = str(error.path[0]) if error.path else ALL
            errors.setdefault(name, []).append(_message(error))
    return errors


def _moment(text: str) -> datetime | None:
    """The call's time, aware; None when the text is not a real moment (2026-02-30)."""
    try:
        moment = parse_datetime(text)
    except ValueError:
        return None
    if moment is None:
        return None
    if timezone.is_naive(moment):
        try:
            moment = timezone.make_aware(moment)
        except (ValueError, OverflowError):
            return None
    return moment


def _received_at(text: str | None, now: datetime) -> datetime | None:
    if not text:
        return None
    first, last = now - CALL_MAX_AGE, now + CLOCK_SKEW
    out_of_range = _("Send a time between %(first)s and %(last)s: when the call was answered.") % {
        "first": local_text(first),
        "last": local_text(last),
    }
    moment = _moment(text)
    if moment is None:
        raise _fields_wrong({"received_at": [_("Send a date and time such as 2026-03-10T10:02:00+09:00.")]})
    # The calendar day as written first: year 1 or 9999 must not be converted.
    if not first.date() - timedelta(days=1) <= moment.date() <= last.date() + timedelta(days=1):
        raise _fields_wrong({"received_at": [out_of_range]})
    if not first <= moment <= last:
        raise _fields_wrong({"received_at": [out_of_range]})
    return moment


def call_record_read(request: HttpRequest, *, now: datetime | None = None) -> CallRecord:
    """The checked call record of a request, or ApiRefusal."""
    body = body_parse(body_read(request))
    errors = schema_errors(body)
    if errors:
        raise _fields_wrong(errors)
    if not body["agent"].strip():
        raise _fields_wrong({"agent": [str(BLANK)]})
    rings, seconds = body.get("rings"), body.get("seconds_to_answer")
    if rings is None and seconds is None:
        raise _fields_wrong({"rings": [_("Send rings or seconds_to_answer.")]})
    return CallRecord(
        agent=body["agent"].strip(),
        call_id=(body.get("call_id") or "").strip(),
        caller_number=(body.get("caller_number") or "").strip(),
        # JSON's 2.0 is an integer to the schema; the record stores ints.
        rings=int(rings) if rings is not None else None,
        seconds_to_answer=int(seconds) if seconds is not None else None,
        received_at=_received_at(body.get("received_at"), now or timezone.now()),
    )


def refused(errors: dict[str, list[str]]) -> ApiRefusal:
    """A well-formed record the desk's rules refuse (an unknown agent, a number
    nobody can call)."""
    return ApiRefusal(400, REFUSED, _("The call was not recorded."), errors)


def method_not_allowed() -> JsonResponse:
    response = ApiRefusal(405, METHOD_NOT_ALLOWED, _("Only POST is accepted here.")).response()
    response["Allow"] = "POST"
    return response


def token_required() -> JsonResponse:
    response = ApiRefusal(401, TOKEN_REQUIRED, _("A valid phone system token is required.")).response()
    response["WWW-Authenticate"] = 'Bearer realm="charterdesk phone system"'
    return response

