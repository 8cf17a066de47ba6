"""BS3: the written completion report, with documents attached, that closes
large-scale work; BS4: whether it came in by its due time."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from helpdesk.notifications.doors import tell_customer, tell_staff
from tickets.timeline import event_record
from tickets.uploads import upload_check

from ..models import CompletionReport, PlanState, ReportAttachment, WindowState, WorkPlan
from .common import PlanEvent, approver_link, approvers_of, customer_link, plan_locked, require_plan_editor

MAX_FILES = 10

# Apps above largework (surveys: the customer contact's survey, IM2) react to a
# submitted report by registering here from their receivers.py; each runs in the
# report's transaction, like tickets.hooks.receiver.
ReportReaction = Callable[[CompletionReport], None]
_report_receivers: list[ReportReaction] = []


def report_submitted_receiver(reaction: ReportReaction) -> ReportReaction:
    """Run `reaction(report)` after each completion report is submitted (registering again keeps one)."""
    if reaction not in _report_receivers:
        _report_receivers.append(reaction)
    return reaction


@transaction.atomic
def report_submit(
    *,
    plan: WorkPlan,
    actor: User,
    summary: str,
    by_department: str,
    exceptions: str = "",
    follow_ups: str = "",
    attachments: Iterable[UploadedFile] = (),
) -> CompletionReport:
    """Submit the report to the approvers and the customer's contact; it cannot be changed afterwards."""
    plan = plan_locked(plan)
    require_plan_editor(actor, plan)
    if plan.state != PlanState.APPROVED:
        raise ActionRefused(_("A report is written for an approved plan."))
    if CompletionReport.objects.filter(plan=plan).exists():
        raise ActionRefused(_("The report was already submitted."))
    if plan.current.windows.filter(state=WindowState.PLANNED).exists():
        raise ActionRefused(_("Record every window as done or postponed before the report."))
    if not summary.strip():
        raise ActionRefused(_("Say what was done."), field="summary")
    if not by_department.strip():
        raise ActionRefused(_("Report the work per department or asset."), field="by_department")
    files = list(attachments)
    if not files:
        raise ActionRefused(_("Attach the documents of the work (at least one file)."), field="attachments")
    if len(files) > MAX_FILES:
        raise ActionRefused(_("Attach at most %(n)s files.") % {"n": MAX_FILES}, field="attachments")
    content_types = []
    for f in files:
        content_types.append(upload_check(f))
    now = timezone.now()
    report = CompletionReport.objects.create(
        plan=plan,
        summary=summary.strip(),
        by_department=by_department.strip(),
        exceptions=exceptions.strip(),
        follow_ups=follow_ups.strip(),
        submitted_by=actor,
        submitted_at=now,
        due_at=plan.report_due_at,
    )
    for f, content_type in zip(files, content_types, strict=True):
        attachment = ReportAttachment(
            report=report,
            original_name=(f.name or "file")[:200],
            size=f.size or 0,
            content_type=content_type,
            uploaded_at=now,
        )
        attachment.file.save(f.name or "file", f, save=False)
        attachment.save()
    plan.next_check_at = None
    plan.save(update_fields=["next_check_at", "updated_at"])
    event_record(
        ticket=plan.ticket,
        kind=PlanEvent.REPORT_SUBMITTED,
        actor=actor,
        at=now,
        is_public=True,
        data={"on_time": report.on_time, "files": len(files)},
    )
    title = plan.current.title
    tell_staff(
        key=f"largework:report:p{plan.pk}",
        recipients=approvers_of(plan),
        template="generic",
        context=lambda: {
            "subject": _("Completion report: %(title)s") % {"title": title},
            "body": _("%(owner)s submitted the completion report of '%(title)s'.") % {"owner": actor.display_name, "title": title},
        },
        ticket=plan.ticket,
        link=approver_link(plan),
    )
    tell_customer(
        key=f"largework:report-contact:p{plan.pk}",
        recipient=plan.contact,
        template="generic",
        context=lambda: {
            "subject": _("Completion report: %(title)s") % {"title": title},
            "body": _("The work is complete; its report and documents are on the plan's page."),
        },
        ticket=plan.ticket,
        channels=("email", "in_app"),
        link=customer_link(plan),
    )
    for reaction in _report_receivers:
        reaction(report)
    return report
