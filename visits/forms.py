"""Forms of the visit pages. They parse and shape input; every rule (a window in
the past, a VIP visit without a lead, a checklist left open…) is the services',
whose refusal the views show on the form that was sent."""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from helpdesk.core.input_bounds import PLANNED, BoundedDateField
from tickets.forms.people import PersonChoiceField
from tickets.forms.staff import MultipleFileField
from tickets.models import Kind
from tickets.selectors import assignable_staff

from .models import ChecklistMark, Visit, VisitChecklistEntry
from .open_hours import Slot
from .services.guards import OutsideOpenHours


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


def _aware(day: date | None, at: time | None) -> datetime | None:
    if day is None or at is None:
        return None
    return timezone.make_aware(datetime.combine(day, at))


class WindowForm(forms.Form):
    """A date and a time window: on a phone, three taps instead of two date-time pickers."""

    # A window in the past is the services' to refuse (they name the moment);
    # the bound only keeps a year 1 or 9999 from reaching them.
    date = BoundedDateField(label=_("Date"), widget=DateInput(), bounds=PLANNED)
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Until"), widget=TimeInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Filled when the time was refused as outside working hours: the next open
        # times, which the page offers as buttons that fill the three fields.
        self.open_slots: list[Slot] = []

    def window(self) -> tuple[datetime | None, datetime | None]:
        c = self.cleaned_data
        return _aware(c.get("date"), c.get("start_time")), _aware(c.get("date"), c.get("end_time"))


def off_hours_field() -> forms.BooleanField:
    """Staff only: the customer asked for a time outside working hours (recorded on the visit)."""
    return forms.BooleanField(
        label=_("Visit outside working hours at the customer's request"),
        required=False,
        help_text=_("Tick only when the customer asked for a weekend, holiday or off-hours time."),
    )


# Service field names → the form field that shows the refusal.
WINDOW_FIELDS = {"start": "date", "end": "end_time", "next_start": "date", "new_arrival": "new_arrival"}


def show_refusal(form: forms.Form, exc: ActionRefused) -> None:
    exc.show_on(form, WINDOW_FIELDS)
    if isinstance(exc, OutsideOpenHours) and isinstance(form, WindowForm):
        form.open_slots = exc.slots


class BookForm(WindowForm):
    engineer = PersonChoiceField(label=_("Engineer"), queryset=User.objects.none())
    companion = PersonChoiceField(
        label=_("Companion"),
        queryset=User.objects.none(),
        required=False,
        blank_label=_("Nobody"),
        help_text=_("A team lead or section chief must go along to a VIP customer."),
    )
    purpose = forms.CharField(label=_("Purpose of the visit"), max_length=300)
    agreed_by_phone = forms.BooleanField(
        label=_("The customer already agreed this time by phone"),
        required=False,
        help_text=_("Otherwise the customer is asked to confirm it."),
    )
    off_hours_requested = off_hours_field()

    field_order = [
        "engineer",
        "companion",
        "purpose",
        "date",
        "start_time",
        "end_time",
        "off_hours_requested",
        "agreed_by_phone",
    ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = assignable_staff(user)
        for name in ("engineer", "companion"):
            self.fields[name].queryset = staff
            self.fields[name].widget.team_id = user.team_id


class ProposeForm(WindowForm):
    note = forms.CharField(label=_("Message"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class StaffProposeForm(ProposeForm):
    """The desk's new time may be outside working hours when the customer asked."""

    off_hours_requested = off_hours_field()
    field_order = ["date", "start_time", "end_time", "off_hours_requested", "note"]


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class CompanionForm(forms.Form):
    companion = PersonChoiceField(
        label=_("Companion"), queryset=User.objects.none(), required=False, blank_label=_("Nobody")
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["companion"].queryset = assignable_staff(user)
        self.fields["companion"].widget.team_id = user.team_id


class LateNoticeForm(forms.Form):
    new_arrival = forms.TimeField(label=_("New arrival time"), widget=TimeInput())
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)

    def __init__(self, *args: Any, visit: Visit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visit = visit

    def arrival(self) -> datetime | None:
        # The same day as the agreed start: a delay, not a new appointment.
        start = self.visit.agreed_start
        at = self.cleaned_data.get("new_arrival")
        if start is None or at is None:
            return None
        return _aware(timezone.localtime(start).date(), at)


class ChecklistForm(forms.Form):
    """One result and one note per item of the visit's checklist version."""

    def __init__(self, *args: Any, entries: list[VisitChecklistEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            self.fields[f"mark_{entry.item_id}"] = forms.ChoiceField(
                label=entry.item.label,
                choices=[("", _("Not checked yet")), *ChecklistMark.choices],
                required=False,
                initial=entry.mark,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{entry.item_id}"] = forms.CharField(
                label=_("Note"), required=False, max_length=500, initial=entry.note
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "entry": entry,
                "mark": self[f"mark_{entry.item_id}"],
                "note": self[f"note_{entry.item_id}"],
                "note_rule": entry.item.note_rule,
            }
            for entry in self.entries
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # Field errors beside the item; the service enforces the same rule (ChecklistItem.needs_note).
        for entry in self.entries:
            mark = cleaned.get(f"mark_{entry.item_id}") or ""
            note = (cleaned.get(f"note_{entry.item_id}") or "").strip()
            if mark and entry.item.needs_note(mark) and not note:
                self.add_error(f"note_{entry.item_id}", _("Write what was done (or why it does not apply)."))
        return cleaned

    def marks(self) -> dict[int, tuple[str, str]]:
        return {
            entry.item_id: (
                self.cleaned_data.get(f"mark_{entry.item_id}") or "",
                self.cleaned_data.get(f"note_{entry.item_id}") or "",
            )
            for entry in self.entries
        }


class ResolveForm(forms.Form):
    work_note = forms.CharField(
        label=_("Work done"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    signoff_name = forms.CharField(label=_("Customer's name"), required=False, max_length=100)
    # The drawing is a PNG data URL from the canvas; checked by visits.signatures.
    signature = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2_000_000)


class FollowUpForm(WindowForm):
    reason = forms.CharField(
        label=_("Why more work is needed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The customer is told this reason."),
    )
    off_hours_requested = off_hours_field()
    field_order = ["reason", "date", "start_time", "end_time", "off_hours_requested"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].label = _("Next visit: date")


class AbsentForm(forms.Form):
    note = forms.CharField(
        label=_("Note left at the customer's desk"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave it with your business card; the customer also gets a text message."),
    )


class NewRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(Kind.FAULT, Kind.FAULT.label), (Kind.SUPPORT, Kind.SUPPORT.label)])
    title = forms.CharField(label=_("What the customer asks for"), max_length=200)
    description = forms.CharField(label=_("Details"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    same_equipment = forms.BooleanField(label=_("About the same equipment"), required=False, initial=True)
    asset_other = forms.CharField(label=_("Other equipment"), required=False, max_length=200)


class FilesForm(forms.Form):
    files = MultipleFileField(label=_("Photos or files"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The phone offers its camera for image/*.
        self.fields["files"].widget.attrs["accept"] = "image/*,.pdf,.txt,.log,.csv,.zip,.hwp,.docx,.xlsx,.pptx"


class RebookForm(ProposeForm):
    pass
