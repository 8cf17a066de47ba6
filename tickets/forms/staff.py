"""Forms of the staff side: queue filters, ticket actions and desk intake.

Forms only parse and check input; every rule about tickets is enforced by
`tickets.services`, whose ActionRefused the views attach to these forms.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from helpdesk.accounts.models import Department, Team, User
from helpdesk.core.input_bounds import MAX_ID, PLANNED, RECORDED, BoundedDateField, BoundedDateTimeField

from ..lifecycle import STAFF, TRANSITIONS, Status
from ..models import Asset, Channel, FaultCategory, Kind, Priority
from ..selectors import QueueFilters, assignable_staff
from .common import MultipleFileField
from .people import PersonChoiceField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


# --- The queue -----------------------------------------------------------------


def _attrs_html(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html, in Python."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{conditional_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class _DrawnSelect(forms.Select):
    """A select drawn in Python from the context its template gets, with that
    template's markup (templates/django/forms/widgets/select.html). The filter
    form draws nine controls on every view of the queue; through the template
    engine they cost about 2 ms, half of it the options' loops."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            parts.extend(
                f'\n  <option value="{conditional_escape(option["value"])}"{_attrs_html(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>"
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308  (every value escaped above)


class _DrawnInputMixin:
    """An input drawn in Python with django/forms/widgets/input.html's markup (see _DrawnSelect)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        shown = "" if widget["value"] is None else f' value="{conditional_escape(widget["value"])}"'
        return mark_safe(  # noqa: S308  (every value escaped)
            f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
            f"{shown}{_attrs_html(widget['attrs'])}>"
        )


class _DrawnTextInput(_DrawnInputMixin, forms.TextInput):
    pass


class _DrawnDateInput(_DrawnInputMixin, DateInput):
    pass


class QueueFilterForm(forms.Form):
    """GET filters of the work queue. A value that does not parse is dropped (with a
    notice from the view), never an error page: links get pasted and edited by hand."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=_DrawnTextInput(attrs={"placeholder": _("#number, title, reporter, asset tag"), "type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), ("open", _("Open (not finished)")), *Status.choices],
        widget=_DrawnSelect,
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Kind.choices], widget=_DrawnSelect
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any priority")), *Priority.choices], widget=_DrawnSelect
    )
    # Ids and names only (values_list): a model instance per option, read through a
    # server-side cursor as ModelChoiceField does, cost more than the queue's rows.
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None, widget=_DrawnSelect)
    assignee = PersonChoiceField(
        label=_("Handler"), required=False, queryset=User.objects.none(), blank_label=_("Anyone")
    )
    department = forms.TypedChoiceField(
        label=_("Reporter's department"), required=False, coerce=int, empty_value=None, widget=_DrawnSelect
    )
    # Tickets were received in the past: a few years back, up to today.
    date_from = BoundedDateField(label=_("Received from"), required=False, widget=_DrawnDateInput(), bounds=RECORDED)
    date_to = BoundedDateField(label=_("Received until"), required=False, widget=_DrawnDateInput(), bounds=RECORDED)

    # Folded away on a phone unless in use (search and status are always shown).
    SECONDARY = ("priority", "kind", "team", "assignee", "department", "date_from", "date_to")

    def __init__(self, data: Any, *, user: User) -> None:
        # A work queue opens on the work still to do; a search looks everywhere.
        if "status" not in data and not data.get("q"):
            data = data.copy()
            data["status"] = "open"
        super().__init__(data)
        self.fields["team"].choices = [
            ("", _("Any team")),
            *Team.objects.filter(handles_tickets=True).order_by("department__name", "name").values_list("pk", "name"),
        ]
        self.fields["department"].choices = [
            ("", _("Any department")),
            *Department.objects.order_by("division__name", "name").values_list("pk", "name"),
        ]
        self.fields["assignee"].queryset = assignable_staff(user)
        self.fields["assignee"].widget.team_id = user.team_id

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filters(self, *, queue: str) -> QueueFilters:
        """The filters that parsed; the others are left out."""
        self.is_valid()
        c = self.cleaned_data
        return QueueFilters(
            queue=queue,
            status=c.get("status") or "",
            kind=c.get("kind") or "",
            priority=c.get("priority") or "",
            team=c.get("team"),
            assignee=c["assignee"].pk if c.get("assignee") else None,
            department=c.get("department"),
            date_from=c.get("date_from"),
            date_to=c.get("date_to"),
            q=c.get("q") or "",
        )

    def ignored_labels(self) -> list[str]:
        return [str(self.fields[name].label) for name in self.errors if name in self.fields]


# --- Ticket actions ------------------------------------------------------------


class AssignForm(forms.Form):
    # The ticket's team's people arrive when the select comes into view; anyone else by name.
    assignee = PersonChoiceField(label=_("Assign to"), queryset=User.objects.none())

    def __init__(
        self, *args: Any, user: User, team_id: int | None = None, current: User | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.queryset = assignable_staff(user)
        field.widget.team_id = team_id
        field.known_set(current)


class TeamMoveForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Hand over to"), queryset=Team.objects.none())
    note = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The customer sees it in the timeline; the new team chooses the handler."),
    )

    def __init__(self, *args: Any, current_team_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(handles_tickets=True).order_by("name")
        if current_team_id is not None:
            teams = teams.exclude(pk=current_team_id)
        self.fields["team"].queryset = teams


class TransitionForm(forms.Form):
    # Every staff action is a valid choice here: whether it is allowed *now* is
    # the lifecycle's decision (ticket_transition), which says why it is not.
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[(t.action, t.label) for t in TRANSITIONS if STAFF in t.actors],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for the actions marked *; the customer sees it in the timeline."),
    )


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )
    internal = forms.BooleanField(
        label=_("Internal note (not shown to the customer)"), required=False, initial=False
    )
    attachments = MultipleFileField(label=_("Files"), required=False)


# --- Desk intake ---------------------------------------------------------------


class LookupForm(forms.Form):
    q = forms.CharField(
        label=_("Phone, name or employee number"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "010-1234-5678", "type": "search", "autofocus": True}),
    )


class IntakeForm(forms.Form):
    """A ticket opened by the desk for a caller, visitor or letter (OV2, PH2, CC2).

    The reporter is either an employee picked from the lookup (`reporter`, whose
    record the view resolves) or typed by hand; name and department are both
    required either way, and the service says so (CC2)."""

    reporter = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)
    reporter_name = forms.CharField(label=_("Reporter's name"), required=False, max_length=100)
    reporter_department = forms.ModelChoiceField(
        label=_("Reporter's department"),
        required=False,
        queryset=Department.objects.select_related("division"),
    )
    contact_phone = PhoneNumberField(label=_("Contact phone"), required=False, region="KR")
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[c for c in Channel.choices if c[0] != Channel.WEB],
        initial=Channel.PHONE,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices, initial=Kind.FAULT)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    asset = forms.ModelChoiceField(label=_("Equipment"), required=False, queryset=Asset.objects.none())
    asset_other = forms.CharField(
        label=_("Other equipment"),
        required=False,
        max_length=200,
        help_text=_("When the equipment is not in the list."),
    )
    category = forms.ModelChoiceField(
        label=_("Fault category"), required=False, queryset=FaultCategory.objects.filter(active=True)
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    requested_by = BoundedDateTimeField(
        label=_("Requested completion"),
        required=False,
        bounds=PLANNED,
        widget=DateTimeLocalInput(),
        help_text=_("Support requests only: when the customer needs it done."),
    )

    def __init__(self, *args: Any, reporter: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reporter = reporter
        assets: QuerySet[Asset] = (
            Asset.objects.filter(owner=reporter).order_by("tag") if reporter else Asset.objects.none()
        )
        self.fields["asset"].queryset = assets
        if reporter is None:
            self.fields["asset"].help_text = _("Pick the caller first to choose from their equipment.")

    def clean_reporter(self) -> int | None:
        value = self.cleaned_data.get("reporter")
        if value is not None and (self.reporter is None or self.reporter.pk != value):
            raise forms.ValidationError(_("That employee was not found; look them up again or type the details."))
        return value

    def clean_requested_by(self) -> datetime | None:
        value = self.cleaned_data.get("requested_by")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError(_("The requested completion must be in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("requested_by") and cleaned.get("kind") != Kind.SUPPORT:
            self.add_error("requested_by", _("Only support requests have a requested completion time."))
        return cleaned

    def service_kwargs(self) -> dict[str, Any]:
        c = self.cleaned_data
        return {
            "reporter": self.reporter,
            "reporter_name": c["reporter_name"],
            "reporter_department": c["reporter_department"],
            "contact_phone": c["contact_phone"] or "",
            "channel": c["channel"],
            "kind": c["kind"],
            "title": c["title"],
            "description": c["description"],
            "asset": c["asset"],
            "asset_other": c["asset_other"],
            "category": c["category"],
            "priority": c["priority"],
            "requested_by": c["requested_by"],
        }
