"""Finished work reopened by staff as a correction, and the customer told the result (CR1)."""
from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrectionsConfig(AppConfig):
    name = "corrections"
    verbose_name = _("Corrections")

    def ready(self) -> None:
        from . import panels, receivers  # noqa: F401  (the resolve that closes a correction, timeline texts, the panel)
