"""The rules a plan's windows keep (BS3: least disruption to the customer)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from helpdesk.core.errors import ActionRefused
from helpdesk.core.times import local_text
from standards.business_calendar import BusinessCalendar
from visits.open_hours import within_open_hours

# A plan reaches at most this far ahead; a longer programme is planned in stages.
MAX_WINDOWS = 60


@dataclass(frozen=True)
class WindowData:
    starts_at: datetime
    ends_at: datetime
    what: str
    seats_out_minutes: int = 0
    off_hours_requested: bool = False


def _within_working_hours(cal: BusinessCalendar, start: datetime, end: datetime) -> bool:
    # The visits' rule (lunch excluded), so every window of an approved plan can have its visit booked.
    return within_open_hours(cal, start, end)


def windows_check(
    windows: list[WindowData], *, now: datetime, cal: BusinessCalendar, kept: list[WindowData] | None = None
) -> None:
    """Refuse, naming the window, one in the past, ending before it starts,
    overlapping another, or outside working hours when the customer did not ask.
    `kept` are the windows that have begun, carried into the plan as recorded:
    the new ones must not overlap them either."""
    kept = kept or []
    if not windows and not kept:
        raise ActionRefused(_("Add at least one window agreed with the customer."), field="windows")
    if len(windows) > MAX_WINDOWS:
        raise ActionRefused(
            _("A plan has at most %(n)s windows; plan a longer programme in stages.") % {"n": MAX_WINDOWS},
            field="windows",
        )
    for number, window in enumerate(windows, start=1):
        if not window.what.strip():
            raise ActionRefused(_("Window %(n)s: say what happens in it.") % {"n": number}, field="windows")
        if window.ends_at <= window.starts_at:
            raise ActionRefused(_("Window %(n)s ends before it starts.") % {"n": number}, field="windows")
        if window.starts_at < now:
            raise ActionRefused(
                _("Window %(n)s starts in the past (%(when)s).") % {"n": number, "when": local_text(window.starts_at)},
                field="windows",
            )
        if not window.off_hours_requested and not _within_working_hours(cal, window.starts_at, window.ends_at):
            raise ActionRefused(
                _(
                    "Window %(n)s (%(when)s) is outside working hours or on a closed day. Work then only when "
                    "the customer asked for it: tick 'outside working hours at the customer's request'."
                )
                % {"n": number, "when": local_text(window.starts_at)},
                field="windows",
            )
    for number, window in enumerate(windows, start=1):
        for old in kept:
            if window.starts_at < old.ends_at and old.starts_at < window.ends_at:
                raise ActionRefused(
                    _("Window %(n)s overlaps the window of %(when)s, which has already begun.")
                    % {"n": number, "when": local_text(old.starts_at)},
                    field="windows",
                )
    ordered = sorted(enumerate(windows, start=1), key=lambda pair: pair[1].starts_at)
    for (first_n, first), (second_n, second) in zip(ordered, ordered[1:], strict=False):
        if second.starts_at < first.ends_at:
            raise ActionRefused(
                _("Windows %(a)s and %(b)s overlap.") % {"a": min(first_n, second_n), "b": max(first_n, second_n)},
                field="windows",
            )
