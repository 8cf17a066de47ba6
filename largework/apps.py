from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LargeworkConfig(AppConfig):
    name = "largework"
    verbose_name = _("Large-scale work")

    def ready(self) -> None:
        from . import panels, receivers  # noqa: F401  (guards, timeline texts, the ticket page panel)
