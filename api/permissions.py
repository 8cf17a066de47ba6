"""Who may use an endpoint at all: signed in, the token's scope, and the
role's permission (the same one the page checks). Which objects they see is
the selectors' business: someone else's object is a 404, never a 403."""
from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .errors import ScopeMissing
from .models import ApiToken


class TokenScope(BasePermission):
    """A service account's token reaches only its scopes (view.scope)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        scope = getattr(view, "scope", None)
        token = request.auth
        if scope and isinstance(token, ApiToken) and scope not in token.granted_scopes():
            raise ScopeMissing(scope)
        return True


class RolePermission(BasePermission):
    """`view.permissions_by_method`: the permission a method needs, as on the pages
    (e.g. {"GET": "tickets.work_ticket"}); a method not listed needs none."""

    def has_permission(self, request: Request, view: Any) -> bool:
        needed = getattr(view, "permissions_by_method", {}).get(request.method)
        return needed is None or request.user.has_perm(needed)
