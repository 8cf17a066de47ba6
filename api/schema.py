"""The OpenAPI schema's own parts: the bearer-token scheme, and every error
answer documented on every operation in the one shape (api.errors), so a
client — and schemathesis — can check each error against the schema."""
from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .errors import CODES

ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message", "errors"],
    "properties": {
        "code": {"type": "string", "enum": list(CODES), "description": "Stable: match on this, never on the message."},
        "message": {"type": "string", "description": "In the caller's language (Korean unless chosen otherwise)."},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Messages per field; `__all__` for the request as a whole.",
        },
    },
}

ERRORS = {
    "400": "Malformed JSON, a wrong or unknown field, or a refusal by the rules (`refused`).",
    "401": "No credentials, or a token that is unknown, revoked or expired.",
    "403": "Your role may not use this, or the token lacks the scope.",
    "404": "Not found, or not yours to see.",
    "405": "Method not accepted here.",
    "406": "Only JSON is answered.",
    "413": "The body is too large.",
    "415": "The body must be application/json.",
    "429": "Too many requests: wait `Retry-After` seconds.",
}


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "<prefix>.<secret>",
            "description": "A personal token from /api/tokens/, or a service account's from the admin.",
        }


def error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """POSTPROCESSING_HOOKS: add the error component and every error status to every operation."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS.items():
                if code in ("413", "415") and method == "get":
                    continue  # no body to refuse
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                        **({"headers": {"Retry-After": {"schema": {"type": "integer"}}}} if code == "429" else {}),
                    },
                )
    return result
