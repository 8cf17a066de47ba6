"""Who counts as staff for the work on tickets (one answer for every app)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from helpdesk.core.errors import ActionRefused

if TYPE_CHECKING:
    from helpdesk.accounts.models import User


def is_staff(user: User) -> bool:
    """An active, signed-in person who works on tickets."""
    return bool(user.is_authenticated and user.is_active and user.has_perm("tickets.work_ticket"))


def require_staff(actor: User) -> None:
    if not is_staff(actor):
        raise ActionRefused(_("Only staff can do this."))
