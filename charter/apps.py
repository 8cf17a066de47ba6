from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharterConfig(AppConfig):
    name = "charter"
    verbose_name = _("Service charter")

    def ready(self) -> None:
        # Deadlines, MT5 and MT8 react to ticket changes through tickets.hooks;
        # tickets.services does not know about them.
        from . import (
            panels,  # noqa: F401  (what this app shows on the ticket pages)
            receivers,  # noqa: F401
        )
        from .dashboard import admin as _dashboard_admin  # noqa: F401  (admin for the MT5 models)
        from .today import step_panel  # noqa: F401  (the ticket page's next step and phone action bar)
