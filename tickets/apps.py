from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from helpdesk.core.reference_names import reference_names_changed

        from .models import FaultCategory

        # Lists name categories from each process's copy (helpdesk.core.reference_names).
        post_save.connect(reference_names_changed, sender=FaultCategory, dispatch_uid="names_category_saved")
        post_delete.connect(reference_names_changed, sender=FaultCategory, dispatch_uid="names_category_deleted")
