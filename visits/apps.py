from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _seed_checklist(sender: AppConfig, **kwargs: object) -> None:
    # The data migration seeds the PC checklist once; this puts it back after a flush.
    from .seed import pc_checklist_seed

    pc_checklist_seed()


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Visits")

    def ready(self) -> None:
        from . import (
            panels,  # noqa: F401  (what this app shows on the ticket pages)
            receivers,  # noqa: F401  (cancels visits of finished work)
        )

        post_migrate.connect(_seed_checklist, sender=self, dispatch_uid="visits.seed_checklist")
