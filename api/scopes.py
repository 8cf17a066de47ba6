"""What a service account's token may reach (README "REST API", scopes).

A personal token carries every scope: what its holder may do is decided by
their permissions, exactly as on the pages. A service account's token carries
only the scopes an admin gave it (the phone system: `calls`), on top of its
user's permissions.
"""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    TICKETS = "tickets", _("Tickets: list, file, comment and act on them")
    VISITS = "visits", _("Visits: list, book and record outcomes")
    CALLS = "calls", _("Phone calls and callback memos")
    REFERENCE = "reference", _("Assets, fault categories and service standards (read)")
    DASHBOARD = "dashboard", _("The team lead's dashboard figures (read)")


ALL_SCOPES: tuple[str, ...] = tuple(Scope.values)
