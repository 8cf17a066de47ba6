"""Every read of API tokens, scoped to the person who asks."""
from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from helpdesk.accounts.models import User

from .models import ApiToken, TokenKind


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The person's own personal tokens, newest first (service accounts' tokens live in the admin)."""
    return ApiToken.objects.filter(user_id=user.pk, kind=TokenKind.PERSONAL).order_by("-created_at", "-pk")


def token_of(user: User, pk: int) -> ApiToken:
    """One of the person's own tokens; anyone else's is a 404."""
    token = tokens_of(user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


def token_by_prefix(prefix: str) -> ApiToken | None:
    """The token a request names, with its user, in one query."""
    return ApiToken.objects.select_related("user").filter(prefix=prefix).first()
