from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _seed_default_standard(sender: AppConfig, **kwargs: object) -> None:
    # The data migration seeds it once; this puts it back after a flush (as
    # transactional tests do), the way auth recreates permissions.
    from .standards import default_standard_seed, standards_changed

    default_standard_seed()
    standards_changed()


class CharterConfig(AppConfig):
    name = "charter"
    verbose_name = _("Service charter")

    def ready(self) -> None:
        # MT5/MT8 hook into the ticket lifecycle without tickets.services knowing
        # about them: the repeat-fault gate on resolve/close, and the checks a new
        # ticket starts (charter.repeats).
        from tickets.hooks import register_transition_guard, ticket_opened

        from . import repeats
        from .dashboard import admin as _dashboard_admin  # noqa: F401  (admin for the MT5 models)

        post_migrate.connect(_seed_default_standard, sender=self, dispatch_uid="charter.seed_default_standard")
        register_transition_guard(repeats.repeat_fault_guard)
        ticket_opened.connect(repeats.on_ticket_opened, dispatch_uid="charter.repeats.on_ticket_opened")
