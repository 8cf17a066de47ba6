"""Forms of the staff's plan pages. They parse and shape input; every rule (a
window in the past, overlapping windows, work outside hours without the
customer's request, a report without documents…) is the services', whose
refusal the views show beside the field it concerns, with what was typed kept.
"""
from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, NamedTuple

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.accounts.models import Department
from helpdesk.core.errors import ActionRefused
from helpdesk.core.input_bounds import CALENDAR, BoundedDateField
from tickets.forms.common import MultipleFileField

from .models import PlanVersion, PlanWindow, WorkPlan
from .services import WindowData


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class WindowDateField(BoundedDateField):
    """A window's day: within two years either side of today (CALENDAR), so that
    a typo such as 20266 or 0001 is a message beside the field, never an error
    page; one in the past is the service's to refuse."""

    widget = DateInput
    bounds = CALENDAR


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


# --- The plan's content -------------------------------------------------------------------


class DepartmentsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Department) -> str:
        return obj.name


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    departments = DepartmentsField(
        label=_("Customer departments"),
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The departments whose seats the work takes out; their people are told before each window."),
    )
    scope = forms.CharField(
        label=_("Scope"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("What is done, for whom.")
    )
    seats = forms.IntegerField(label=_("Seats or assets"), min_value=0, max_value=100000, initial=0)
    staffing = forms.CharField(
        label=_("Staffing"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who does the work, and how many people."),
    )
    risks = forms.CharField(
        label=_("Risks and rollback"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What could go wrong, and how the work is undone."),
    )
    customer_notice = forms.CharField(
        label=_("Notice to the customer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the customer departments are told before each window."),
    )
    asset_file = forms.FileField(
        label=_("Asset list (CSV or Excel)"),
        required=False,
        help_text=_(
            "Optional. A header row with the column asset_tag (자산번호) and optionally note (비고); "
            "it replaces the assets in scope. Leave empty to keep them."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, plan: WorkPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Kept small: the departments of the requesting department's division,
        # and whatever the plan already names.
        ticket = plan.ticket
        scope = Q(pk__in=plan.current.departments.values("pk")) if plan.current else Q(pk__in=[])
        if ticket.reporter_department_id:
            scope |= Q(division__in=Department.objects.filter(pk=ticket.reporter_department_id).values("division"))
        queryset: QuerySet[Department] = Department.objects.filter(scope).order_by("name")
        self.fields["departments"].queryset = queryset

    @staticmethod
    def initial_for(version: PlanVersion, departments: list[Department]) -> dict[str, Any]:
        return {
            "title": version.title,
            "departments": [d.pk for d in departments],
            "scope": version.scope,
            "seats": version.seats,
            "staffing": version.staffing,
            "risks": version.risks,
            "customer_notice": version.customer_notice,
        }


class WindowForm(forms.Form):
    """One window agreed with the customer: a start and an end, each a date and a time."""

    start_date = WindowDateField(label=_("Start date"))
    start_time = forms.TimeField(label=_("Start time"), widget=TimeInput())
    # Empty: the start's day (the page says so once, above the rows).
    end_date = WindowDateField(label=_("End date"), required=False)
    end_time = forms.TimeField(label=_("End time"), widget=TimeInput())
    what = forms.CharField(label=_("What happens"), max_length=300)
    # No initial 0: a row the user never touched must stay "unchanged" (skipped), even if they clear this box.
    seats_out_minutes = forms.IntegerField(
        label=_("Minutes each seat is out"), min_value=0, max_value=24 * 60, required=False
    )
    off_hours_requested = forms.BooleanField(
        label=_("Outside working hours at the customer's request"), required=False
    )

    def window(self) -> WindowData:
        c = self.cleaned_data
        return WindowData(
            starts_at=_aware(c["start_date"], c["start_time"]),
            ends_at=_aware(c["end_date"] or c["start_date"], c["end_time"]),
            what=c["what"],
            seats_out_minutes=c.get("seats_out_minutes") or 0,
            off_hours_requested=c["off_hours_requested"],
        )

    @staticmethod
    def initial_for(window: PlanWindow) -> dict[str, Any]:
        start, end = timezone.localtime(window.starts_at), timezone.localtime(window.ends_at)
        return {
            "start_date": start.date(),
            "start_time": start.time(),
            "end_date": end.date(),
            "end_time": end.time(),
            "what": window.what,
            "seats_out_minutes": window.seats_out_minutes,
            "off_hours_requested": window.off_hours_requested,
        }


class BaseWindowFormSet(forms.BaseFormSet):
    """The plan's windows as rows. A sent formset carries no initial values, so a
    row counts when anything is typed in it (its window) and it is not removed."""

    def removed(self, form: forms.Form) -> bool:
        return self._should_delete_form(form)

    def counts(self, form: forms.Form) -> bool:
        return form.has_changed() and not self.removed(form)

    def windows(self) -> list[WindowData]:
        """The windows of the rows that count, in the page's order: the order the
        service numbers them in ("Window 2 …"). Call it on a valid formset."""
        return [form.window() for form in self.forms if self.counts(form)]


# At least three empty rows under the plan's windows; more with the page's "add a window".
EMPTY_WINDOW_ROWS = 3
WindowFormSet = forms.formset_factory(
    WindowForm,
    formset=BaseWindowFormSet,
    extra=EMPTY_WINDOW_ROWS,
    can_delete=True,
    # The service refuses more than its MAX_WINDOWS with a message; the formset
    # only keeps a hand-made request from building thousands of forms.
    max_num=200,
    absolute_max=200,
)


class PlanEditForms:
    """The edit page's forms together: the plan's content and its windows. A
    refusal about the windows is shown beside them; any other beside its field."""

    def __init__(self, plan: WorkPlan, data: Any = None, files: Any = None, *, initial: dict[str, Any] | None = None,
                 windows_initial: list[dict[str, Any]] | None = None) -> None:
        self.plan_form = PlanForm(data, files, plan=plan, initial=initial)
        self.windows = WindowFormSet(data, prefix="windows", initial=windows_initial)
        self.window_errors: list[str] = []

    def is_valid(self) -> bool:
        # Both are checked, so that every mistake is shown at once.
        plan_ok = self.plan_form.is_valid()
        windows_ok = self.windows.is_valid()
        return plan_ok and windows_ok

    def refuse(self, exc: ActionRefused) -> None:
        if exc.field == "windows":
            self.window_errors.append(exc.message)
        else:
            exc.show_on(self.plan_form)

    def rows(self) -> list[WindowEditRow]:
        """Each row with the number the service gives its window (None for an empty
        or removed row), and whether a window shown from the plan is already over."""
        rows: list[WindowEditRow] = []
        counter = 0
        now = timezone.now()
        for form in self.windows.forms:
            if self.windows.is_bound:
                counts = self.windows.counts(form)
                over = counts and form.is_valid() and form.window().starts_at < now
            else:
                counts = bool(form.initial)
                start = form.initial.get("start_date"), form.initial.get("start_time")
                over = counts and _aware(*start) < now
            counter += counts
            rows.append(WindowEditRow(form, counter if counts else None, over))
        return rows


class WindowEditRow(NamedTuple):
    form: WindowForm
    number: int | None
    # A window of the plan that has begun: a changed plan cannot keep it (the service
    # refuses windows in the past), so the row says to delete it.
    over: bool


# --- Progress, thread and report -----------------------------------------------------------


class WindowRecordForm(forms.Form):
    DONE = "done"
    POSTPONED = "postponed"

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[(DONE, _("Done")), (POSTPONED, _("Postponed"))], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=300,
        help_text=_("Reason if postponed (the customer is told)"),
    )


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SubmitForm(forms.Form):
    """No fields: it carries the refusal of a submission to the plan page."""


class ReportForm(forms.Form):
    # Required-ness is the service's (it names what is missing); the form only parses.
    summary = forms.CharField(
        label=_("What was done"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    by_department = forms.CharField(
        label=_("Per department or asset"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    exceptions = forms.CharField(
        label=_("Exceptions"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Seats or assets not done, and why."),
    )
    follow_ups = forms.CharField(
        label=_("Follow-ups"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 2})
    )
    attachments = MultipleFileField(
        label=_("Documents"),
        required=False,
        help_text=_("The work's documents: sign-off sheets, photos, lists (at least one file)."),
    )

    # The service's argument names → this form's fields.
    FIELDS = {"file": "attachments"}
