"""Every read of corrections, scoped like the lists they come from."""
from __future__ import annotations

from django.db.models import QuerySet

from helpdesk.accounts.models import User
from helpdesk.core.compiled_query import CompiledQuery
from tickets.selectors import staff_team_ids

from .models import Correction


def corrections_of_ticket(ticket_pk: int) -> QuerySet[Correction]:
    """A ticket's corrections, newest first (the caller has scoped the ticket)."""
    return Correction.objects.filter(ticket_id=ticket_pk).select_related("opened_by", "closed_by", "engineer").order_by(
        "-opened_at", "-pk"
    )


def _any_correction_query(ticket_pk: int) -> QuerySet[Correction]:
    return Correction.objects.filter(ticket_id=ticket_pk).order_by().values("pk")[:1]


# Compiled once per process (helpdesk.core.compiled_query): the staff ticket
# page asks on every view, and almost every ticket was never corrected.
_ANY_CORRECTION = CompiledQuery(_any_correction_query, 1)


def ticket_was_corrected(ticket_pk: int) -> bool:
    return bool(_ANY_CORRECTION.rows(ticket_pk))


def corrections_for_lead(user: User, *, state: str = "") -> QuerySet[Correction]:
    """The corrections of the teams a lead or section chief answers for."""
    if not (user.is_authenticated and user.has_perm("tickets.lead_team")):
        return Correction.objects.none()
    qs = Correction.objects.filter(team_id__in=staff_team_ids(user))
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("ticket", "team", "engineer", "opened_by").order_by("-opened_at", "-pk")
