"""Writes about people: absences and backups (OV5)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.core.errors import ActionRefused

from .models import Absence, User


@dataclass(frozen=True)
class Handler:
    """Who actually gets the work, and why (the absence that routed it)."""

    person: User
    absence: Absence | None = None

    @property
    def routed(self) -> bool:
        return self.absence is not None


def handler_resolve(*, user: User, at: datetime | None = None) -> Handler:
    """Follow backups while people are away; a loop of mutual backups stops at the last present person."""
    at = at or timezone.now()
    seen: set[int] = set()
    person, first_absence = user, None
    while person.pk not in seen:
        seen.add(person.pk)
        absence = Absence.objects.covering(at).filter(user=person).select_related("backup").first()
        if absence is None:
            break
        first_absence = first_absence or absence
        person = absence.backup
    return Handler(person=person, absence=first_absence)


@transaction.atomic
def absence_create(*, user: User, backup: User, starts_at: datetime, ends_at: datetime, reason: str = "") -> Absence:
    if ends_at <= starts_at:
        raise ActionRefused(_("The absence must end after it starts."), field="ends_at")
    if user.pk == backup.pk:
        raise ActionRefused(_("Someone else must cover the absence."), field="backup")
    return Absence.objects.create(user=user, backup=backup, starts_at=starts_at, ends_at=ends_at, reason=reason)
