"""Request bodies: JSON only, read with the phone endpoint's checks
(desk.phone_schema.body_parse: UTF-8, no NaN or Infinity, nesting counted
before parsing) and a size limit, so no body can make the parser fail."""
from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.parsers import BaseParser

from desk.phone_schema import BODY_TOO_LARGE, MALFORMED_JSON, ApiRefusal, body_parse

# A ticket or a comment is a few KiB; a visit's signature (a PNG data URL) up to
# a few hundred. Bigger than anything real, far below DATA_UPLOAD_MAX_MEMORY_SIZE.
MAX_BODY_BYTES = 3 * 1024 * 1024


class BoundedJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        raw = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_BODY_BYTES:
            raise ApiRefusal(
                413, BODY_TOO_LARGE, _("The body is larger than %(limit)s bytes.") % {"limit": MAX_BODY_BYTES}
            )
        if not raw:
            raise ApiRefusal(400, MALFORMED_JSON, _("The body must be a JSON object."))
        return body_parse(raw)
