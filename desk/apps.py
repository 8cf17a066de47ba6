from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "desk"
    label = "desk"
    verbose_name = _("Service desk and fault gates")

    def ready(self) -> None:
        # MT3/MT4 are rules of this app, enforced through the ticket hooks;
        # tickets.services does not know about them.
        from . import (
            panels,  # noqa: F401  (what this app shows on the ticket pages)
            receivers,  # noqa: F401
        )
