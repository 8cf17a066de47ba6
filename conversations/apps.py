"""Everyday conversation about a ticket: who is told what at each step of its
life (lifecycle notices), and mail to the published address becoming tickets
and comments (mail in)."""
from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (the lifecycle notices)
