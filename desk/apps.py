from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "desk"
    label = "desk"
    verbose_name = _("Service desk and fault gates")

    def ready(self) -> None:
        # MT3/MT4 are rules of this app, enforced inside ticket_transition's
        # transaction through the lifecycle's guard hook; tickets.services does
        # not know about them.
        from tickets.hooks import register_transition_guard, ticket_opened
        from tickets.models import Ticket

        from . import gates

        register_transition_guard(gates.identity_guard)
        register_transition_guard(gates.consent_guard)
        ticket_opened.connect(
            gates.on_ticket_opened, sender=Ticket, dispatch_uid="desk.gates.on_ticket_opened"
        )
