"""Suggestions, complaints and commendations; complaints upheld lead to service training (CP1, CC1, CC3, CR3)."""
from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Customer feedback")

    def ready(self) -> None:
        from . import panels  # noqa: F401  (registers the ticket-page panel)
