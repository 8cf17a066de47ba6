"""How the standards reach the floors below them without those importing upward."""
from __future__ import annotations

from datetime import date

from helpdesk.notifications.policy import quiet_hours_source_register, working_day_source_register

from .selectors import calendar_for, current_quiet_hours, current_standard


def _is_business_day(day: date) -> bool:
    return calendar_for(current_standard()).is_business_day(day)


# Customers' quiet hours are a figure of the active standard (P5); the outbox
# asks for them through the source it offers.
quiet_hours_source_register(current_quiet_hours)
# The staff's daily digest goes out on business days: public holidays and the
# admin's closure days are skipped, as the deadlines skip them.
working_day_source_register(_is_business_day)
