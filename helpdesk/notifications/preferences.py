"""Saving a person's notice choices (the settings page), with their history.

Only what differs from what is in force is written, so a person who saves the
page untouched writes nothing, and a choice set back to on stays a row (its
history says when it was off). Every write goes through django-simple-history
with the acting person, like the service standards: the admin's history of a
preference shows who changed it and when.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from helpdesk.core.errors import ActionRefused

from .choices import choices_read, kinds_shown
from .kinds import STAFF
from .models import ALL_KINDS, DIGEST_CHANNEL, NoticePreference

if TYPE_CHECKING:
    from helpdesk.accounts.models import User


@transaction.atomic
def notice_preferences_save(
    *,
    user: User,
    actor: User,
    chosen: Mapping[tuple[str, str], bool],
    digest: bool | None = None,
) -> int:
    """Save `user`'s choices, (kind code, channel) -> on, and their daily digest
    (None leaves it as it is); returns how many choices changed.

    A choice the person cannot make — a kind that is not theirs, a channel the
    kind does not use or the admins do not offer, a kind that cannot be turned
    off or that the admins lock — is refused, and nothing is saved."""
    # Serialises two saves of the same person (two tabs): the second reads the first's rows.
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    shown = {k.code: k for k in kinds_shown(user)}
    choices = choices_read(kinds=shown.values(), user_ids=[user.pk])
    wanted: dict[tuple[str, str], bool] = {}
    for (code, channel), on in chosen.items():
        kind = shown.get(code)
        if kind is None:
            raise ActionRefused(_("That kind of notice is not one you receive."))
        if channel not in kind.channels or not choices.offered(kind, channel):
            raise ActionRefused(_("%(kind)s is not sent by that channel.") % {"kind": kind.label})
        if choices.locked(kind):
            raise ActionRefused(_("%(kind)s is always sent; it cannot be turned off.") % {"kind": kind.label})
        wanted[(code, channel)] = bool(on)
    if digest is not None:
        if not any(k.audience == STAFF and k.digestible for k in shown.values()):
            raise ActionRefused(_("The daily digest is for staff e-mail."))
        wanted[(ALL_KINDS, DIGEST_CHANNEL)] = bool(digest)

    now = timezone.now()
    rows = {(p.kind, p.channel): p for p in NoticePreference.objects.filter(user=user)}
    created: list[NoticePreference] = []
    updated: list[NoticePreference] = []
    for (code, channel), on in wanted.items():
        row = rows.get((code, channel))
        if row is None:
            default = (code, channel) != (ALL_KINDS, DIGEST_CHANNEL)  # the digest is off until chosen
            if on != default:
                created.append(NoticePreference(user=user, kind=code, channel=channel, enabled=on))
        elif row.enabled != on:
            row.enabled, row.updated_at = on, now  # a bulk update does not touch auto_now
            updated.append(row)
    if created:
        bulk_create_with_history(created, NoticePreference, default_user=actor)
    if updated:
        bulk_update_with_history(updated, NoticePreference, ["enabled", "updated_at"], default_user=actor)
    return len(created) + len(updated)
