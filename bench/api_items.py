"""The REST API's items of the `pages` scenario (issue 15): the same people
and subjects as the page items, asked through /api/ with a bearer token
instead of a session, so each reads against `baseline` and its page twin.

| item | who | request |
|---|---|---|
| `api_ticket_list` | the lead of the busiest team | `GET /api/tickets/?queue=team&status=open`: the team's open work by deadline, first page (25) |
| `api_ticket_detail` | desk agent | `GET /api/tickets/<pk>/` of the ticket with the longest timeline |

Each run makes one personal token per person (a day's lifetime, named
"bench"); tokens of earlier runs are revoked, so at most one is live.
"""
from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create, api_token_revoke
from helpdesk.accounts.models import User

from .pages import Page, busiest_team, desk_agent, longest_timeline, page_item

BENCH_TOKEN_NAME = "bench"


def _bearer(user: User) -> dict[str, str]:
    """A fresh token for this run (an item is made once per run); the person's
    earlier bench tokens are revoked, so at most one is live."""
    for old in ApiToken.objects.filter(user=user, name=BENCH_TOKEN_NAME, revoked_at__isnull=True):
        api_token_revoke(token=old, actor=user)
    _token, raw = api_token_create(
        user=user, actor=user, name=BENCH_TOKEN_NAME, expires_at=timezone.now() + timedelta(days=1)
    )
    return {"Authorization": f"Bearer {raw.text}"}


@page_item("api_ticket_list")
def api_ticket_list() -> Page | None:
    team = busiest_team()
    if team is None or team.lead is None:
        return None
    return Page(None, reverse("api:tickets") + "?queue=team&status=open", headers=_bearer(team.lead))


@page_item("api_ticket_detail")
def api_ticket_detail() -> Page | None:
    agent, pk = desk_agent(), longest_timeline()
    if agent is None or pk is None:
        return None
    return Page(None, reverse("api:ticket", args=[pk]), headers=_bearer(agent))
