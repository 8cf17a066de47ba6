from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _seed_default_standard(sender: AppConfig, **kwargs: object) -> None:
    # The data migration seeds it once; this puts it back after a flush (as
    # transactional tests do), the way auth recreates permissions.
    from .services import default_standard_seed, standards_changed

    default_standard_seed()
    standards_changed()


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = _("Service standards")

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (registers this app's reactions)

        post_migrate.connect(_seed_default_standard, sender=self, dispatch_uid="standards.seed_default_standard")
