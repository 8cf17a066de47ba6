"""BS3/BS4 while the work runs: each window done or postponed with a reason,
and the report's due time once the last window is done."""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from standards.selectors import calendar_for, current_standard
from tickets.lifecycle import FINISHED
from tickets.timeline import event_record
from visits.services import visit_book

from ..models import PlanState, PlanWindow, WindowState
from .common import PlanEvent, plan_locked, require_plan_editor

# The owner is reminded this long (business time) before the report is due.
REMIND_BEFORE_DAYS = 1


def report_moments(last_end: datetime) -> tuple[datetime, datetime]:
    """(due, reminder): the report is due n business days (the service standard's)
    after the last window ends; the owner is reminded one business day before."""
    standard = current_standard()
    cal = calendar_for(standard)
    days = standard.report_due_business_days if standard is not None else 3
    day = cal.hours.day_length
    return cal.add(last_end, day * days), cal.add(last_end, day * max(days - REMIND_BEFORE_DAYS, 0))


@transaction.atomic
def window_record(*, window: PlanWindow, actor: User, done: bool, note: str = "") -> PlanWindow:
    """A window of the approved plan done, or postponed with the reason (the customer's
    contact and the approver see it)."""
    plan = plan_locked(window.version.plan)
    require_plan_editor(actor, plan)
    window = PlanWindow.objects.select_for_update(of=("self",)).select_related("version").get(pk=window.pk)
    if plan.state != PlanState.APPROVED or window.version_id != plan.current_id:
        raise ActionRefused(_("Only the windows of the approved plan are recorded."))
    if plan.ticket.status in FINISHED:
        raise ActionRefused(_("The request is finished."))
    if window.state != WindowState.PLANNED:
        raise ActionRefused(_("This window is already recorded as %(state)s.") % {"state": window.get_state_display()})
    if not done and not note.strip():
        raise ActionRefused(_("Say why the window is postponed; the customer is told."), field="note")
    now = timezone.now()
    if done and window.starts_at > now:
        raise ActionRefused(_("This window has not started yet."))
    window.state = WindowState.DONE if done else WindowState.POSTPONED
    window.note = note.strip()[:300]
    window.recorded_by = actor
    window.recorded_at = now
    window.save(update_fields=["state", "note", "recorded_by", "recorded_at"])
    event_record(
        ticket=plan.ticket,
        kind=PlanEvent.WINDOW_DONE if done else PlanEvent.WINDOW_POSTPONED,
        actor=actor,
        at=now,
        is_public=True,
        data={"what": window.what, "starts_at": window.starts_at.isoformat(), "note": window.note},
    )
    remaining = plan.current.windows.filter(state=WindowState.PLANNED).exists()
    if not remaining and plan.report_due_at is None:
        last = plan.current.windows.filter(state=WindowState.DONE).order_by("-ends_at").first()
        if last is not None:
            # Counted from the end of the work, not from when it was recorded (BS4).
            due, remind = report_moments(last.ends_at)
            plan.report_due_at = due
            plan.next_check_at = remind
            plan.save(update_fields=["report_due_at", "next_check_at", "updated_at"])
    return window


@transaction.atomic
def window_visit_book(*, window: PlanWindow, engineer: User, actor: User) -> PlanWindow:
    """Book the engineer's visit for a window of the approved plan (BS3): the
    window's time was agreed with the customer, so the visit is confirmed at once
    and the visits' notices, reminders, check-in and checklist follow it."""
    plan = plan_locked(window.version.plan)
    require_plan_editor(actor, plan)
    window = PlanWindow.objects.select_for_update(of=("self",)).select_related("version").get(pk=window.pk)
    if plan.state != PlanState.APPROVED or window.version_id != plan.current_id:
        raise ActionRefused(_("Visits are booked for the windows of the approved plan."))
    if window.state != WindowState.PLANNED:
        raise ActionRefused(_("This window is already recorded as %(state)s.") % {"state": window.get_state_display()})
    if window.visit_id is not None:
        raise ActionRefused(_("This window already has its visit."))
    if window.starts_at <= timezone.now():
        raise ActionRefused(_("This window has begun; a visit is booked before it starts."))
    visit = visit_book(
        ticket=plan.ticket,
        engineer=engineer,
        actor=actor,
        start=window.starts_at,
        end=window.ends_at,
        purpose=f"{window.version.title}: {window.what}",
        agreed_by_phone=True,
        # A window the customer asked to have off hours (BS3) is a visit they asked for.
        off_hours_requested=window.off_hours_requested,
    )
    window.visit = visit
    window.save(update_fields=["visit"])
    return window
