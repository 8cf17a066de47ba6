"""How the standards reach the floors below them without those importing upward."""
from __future__ import annotations

from helpdesk.notifications.policy import quiet_hours_source_register

from .selectors import current_quiet_hours

# Customers' quiet hours are a figure of the active standard (P5); the outbox
# asks for them through the source it offers.
quiet_hours_source_register(current_quiet_hours)
