"""Writing a plan: open it on a large-work request, save its draft, submit it.

A draft version is edited in place; once a version has been submitted, any
change writes a new draft version (BS2: a changed plan needs approval again).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import Department, User
from helpdesk.core.errors import ActionRefused
from helpdesk.notifications.doors import tell_staff
from standards.selectors import calendar_for, current_standard
from tickets.models import Asset, Kind, Ticket
from tickets.timeline import event_record
from visits.models import VisitState
from visits.services import visit_cancel

from ..models import PlanAsset, PlanState, PlanVersion, PlanWindow, WindowState, WorkPlan
from .common import PlanEvent, approver_link, approvers_of, plan_locked, require_plan_editor
from .windows import WindowData, windows_check


def _supervisor_of(departments: Iterable[Department]) -> Department | None:
    for department in departments:
        if department.supervisor_id is not None:
            return department.supervisor
    return None


@transaction.atomic
def plan_create(*, ticket: Ticket, actor: User, contact: User) -> WorkPlan:
    """Open the plan of a large-work request, with an empty first draft."""
    if ticket.kind != Kind.LARGE_WORK:
        raise ActionRefused(_("Only large-scale work is planned and approved this way."))
    if WorkPlan.objects.filter(ticket=ticket).exists():
        raise ActionRefused(_("This request already has a plan."))
    if not actor.has_perm("tickets.lead_team"):
        raise ActionRefused(_("A team lead opens the plan of large-scale work."))
    department = ticket.reporter_department
    supervisor = _supervisor_of([department]) if department else None
    if supervisor is None:
        raise ActionRefused(
            _("%(department)s has no supervising department to approve its large-scale work; an administrator sets it.")
            % {"department": department},
            field="contact",
        )
    now = timezone.now()
    plan = WorkPlan.objects.create(
        ticket=ticket, owner=actor, contact=contact, supervising_department=supervisor, created_at=now
    )
    version = PlanVersion.objects.create(
        plan=plan,
        number=1,
        title=ticket.title,
        scope=ticket.description,
        staffing="",
        risks="",
        customer_notice="",
        created_by=actor,
        created_at=now,
    )
    version.departments.set([department])
    plan.current = version
    plan.save(update_fields=["current"])
    event_record(ticket=ticket, kind=PlanEvent.CREATED, actor=actor, at=now, is_public=True, data={"version": 1})
    return plan


def _draft_for_edit(plan: WorkPlan, actor: User, now: datetime) -> PlanVersion:
    current = plan.current
    assert current is not None
    if current.state == PlanState.DRAFT:
        return current
    # Submitted, returned or approved: the change is a new version to approve.
    draft = PlanVersion.objects.create(
        plan=plan,
        number=current.number + 1,
        title=current.title,
        scope=current.scope,
        seats=current.seats,
        staffing=current.staffing,
        risks=current.risks,
        customer_notice=current.customer_notice,
        created_by=actor,
        created_at=now,
    )
    draft.departments.set(current.departments.all())
    PlanAsset.objects.bulk_create(PlanAsset(version=draft, asset_id=a.asset_id, note=a.note) for a in current.assets.all())
    plan.current = draft
    plan.state = PlanState.DRAFT
    plan.save(update_fields=["current", "state", "updated_at"])
    event_record(
        ticket=plan.ticket, kind=PlanEvent.REVISED, actor=actor, at=now, is_public=True, data={"version": draft.number}
    )
    return draft


@transaction.atomic
def plan_save(
    *,
    plan: WorkPlan,
    actor: User,
    title: str,
    departments: list[Department],
    scope: str,
    seats: int,
    staffing: str,
    risks: str,
    customer_notice: str,
    windows: list[WindowData],
    assets: list[tuple[Asset, str]] | None = None,
) -> PlanVersion:
    """Save the plan's content as its current draft (a new version after a submission)."""
    plan = plan_locked(plan)
    require_plan_editor(actor, plan)
    if plan.ticket.closed_at is not None:
        raise ActionRefused(_("The request is finished; its plan can no longer change."))
    for value, field, message in (
        (title, "title", _("A title is required.")),
        (scope, "scope", _("Describe the scope: what is done, for whom.")),
        (staffing, "staffing", _("Say who does the work.")),
        (risks, "risks", _("Say what could go wrong and how the work is undone.")),
        (customer_notice, "customer_notice", _("Write what the customer departments are told before each window.")),
    ):
        if not value.strip():
            raise ActionRefused(message, field=field)
    if not departments:
        raise ActionRefused(_("Choose the customer departments the work is for."), field="departments")
    if seats < 0:
        raise ActionRefused(_("The number of seats cannot be negative."), field="seats")
    now = timezone.now()
    # Windows that have begun or are recorded stay as they are, with their
    # outcome: a changed plan replaces only the windows still to come.
    previous = plan.current
    begun = list(previous.windows.filter(Q(starts_at__lte=now) | ~Q(state=WindowState.PLANNED)))
    windows_check(
        windows,
        now=now,
        cal=calendar_for(current_standard()),
        kept=[WindowData(starts_at=w.starts_at, ends_at=w.ends_at, what=w.what) for w in begun],
    )
    draft = _draft_for_edit(plan, actor, now)
    draft.title = title.strip()
    draft.scope = scope.strip()
    draft.seats = seats
    draft.staffing = staffing.strip()
    draft.risks = risks.strip()
    draft.customer_notice = customer_notice.strip()
    draft.save()
    draft.departments.set(departments)
    # The visits booked for windows the change drops are no longer wanted.
    begun_pks = {w.pk for w in begun}
    for dropped in previous.windows.exclude(pk__in=begun_pks).exclude(visit=None).select_related("visit"):
        if dropped.visit.state in (VisitState.PROPOSED, VisitState.CONFIRMED):
            visit_cancel(visit=dropped.visit, actor=actor, reason=_("The work plan changed; this window is no longer planned."))
    # The draft keeps (or, when new, copies) the begun windows; the rest is replaced.
    draft.windows.exclude(pk__in=[w.pk for w in begun if w.version_id == draft.pk]).delete()
    if any(w.version_id != draft.pk for w in begun):
        PlanWindow.objects.bulk_create(
            PlanWindow(
                version=draft,
                starts_at=w.starts_at,
                ends_at=w.ends_at,
                what=w.what,
                seats_out_minutes=w.seats_out_minutes,
                off_hours_requested=w.off_hours_requested,
                state=w.state,
                note=w.note,
                recorded_by_id=w.recorded_by_id,
                recorded_at=w.recorded_at,
                notice_sent_at=w.notice_sent_at,
                visit_id=w.visit_id,
            )
            for w in begun
        )
    PlanWindow.objects.bulk_create(
        PlanWindow(
            version=draft,
            starts_at=w.starts_at,
            ends_at=w.ends_at,
            what=w.what.strip(),
            seats_out_minutes=w.seats_out_minutes,
            off_hours_requested=w.off_hours_requested,
        )
        for w in windows
    )
    if assets is not None:
        draft.assets.all().delete()
        PlanAsset.objects.bulk_create(PlanAsset(version=draft, asset=asset, note=note[:200]) for asset, note in assets)
    return draft


@transaction.atomic
def plan_submit(*, plan: WorkPlan, actor: User) -> WorkPlan:
    """Send the current draft to the supervising department's approvers (BS2)."""
    plan = plan_locked(plan)
    require_plan_editor(actor, plan)
    version = plan.current
    assert version is not None
    if version.state != PlanState.DRAFT:
        raise ActionRefused(_("Version %(n)s was already submitted; change the plan to submit a new version.") % {"n": version.number})
    if not version.windows.exists() or not version.staffing.strip():
        raise ActionRefused(_("Complete the plan first: its scope, staffing, risks, notice and windows."))
    now = timezone.now()
    version.state = PlanState.SUBMITTED
    version.submitted_at = now
    version.save(update_fields=["state", "submitted_at"])
    plan.state = PlanState.SUBMITTED
    plan.submitted_at = now
    plan.save(update_fields=["state", "submitted_at", "updated_at"])
    event_record(
        ticket=plan.ticket, kind=PlanEvent.SUBMITTED, actor=actor, at=now, is_public=True, data={"version": version.number}
    )
    tell_staff(
        key=f"largework:submitted:p{plan.pk}:v{version.number}",
        recipients=approvers_of(plan),
        template="generic",
        context=lambda: {
            "subject": _("Plan waiting for your approval: %(title)s") % {"title": version.title},
            "body": _("%(owner)s submitted version %(n)s of the large-scale work plan '%(title)s' for approval.")
            % {"owner": actor.display_name, "n": version.number, "title": version.title},
        },
        ticket=plan.ticket,
        link=approver_link(plan),
    )
    return plan


__all__ = ["WindowData", "plan_create", "plan_save", "plan_submit"]
