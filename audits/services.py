"""Every write of the misconduct audits (CR2): one function per state change,
each with its own history row (`CaseEvent`) and the acting user.

Nothing is written on the ticket's timeline and nobody but the auditors is
told: the accused, their lead and the section chiefs read the ticket, and a
report must not reach them through it.
"""
from __future__ import annotations

import secrets
from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.core.errors import ActionRefused
from helpdesk.notifications.doors import tell_staff
from tickets.permissions import is_staff

from .models import (
    MAX_ACTION,
    MAX_FINDINGS,
    MAX_NAME,
    MAX_STATEMENT,
    AuditCase,
    CaseEvent,
    CaseState,
    CaseView,
    Decision,
    MisconductReport,
    ReportChannel,
)
from .selectors import auditors, may_handle_cases

if TYPE_CHECKING:
    from helpdesk.accounts.models import User
    from tickets.models import Ticket

# Letters and digits that cannot be misread over the phone (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _reference() -> str:
    """A reference that says nothing about how many reports there are."""
    return "MR-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _position in range(8))


def _required(value: str, *, field: str, message: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ActionRefused(message, field=field)
    if len(value) > limit:
        raise ActionRefused(
            _("Please keep this to %(limit)s characters (it has %(n)s).") % {"limit": limit, "n": len(value)},
            field=field,
        )
    return value


def _require_auditor(actor: User) -> None:
    if not may_handle_cases(actor):
        raise ActionRefused(_("Only auditors can do this."))


def case_link(case: AuditCase) -> str:
    return reverse("audits:case", args=[case.pk])


@transaction.atomic
def misconduct_report(
    *,
    reporter: User,
    accused_name: str,
    statement: str,
    ticket: Ticket | None = None,
    happened_on: date | None = None,
) -> MisconductReport:
    """A report that money or favours were asked in return for work. It
    becomes an audit case at once, and the auditors are told; the ticket
    (already scoped to the reporter by the caller) names its handler as the
    employee concerned."""
    if not (reporter.is_authenticated and reporter.is_active):
        raise ActionRefused(_("Please sign in to make a report."))
    accused_name = _required(
        accused_name, field="accused_name", message=_("Please name the employee, or describe them."), limit=MAX_NAME
    )
    statement = _required(
        statement, field="statement", message=_("Please say what was asked of you, and when."), limit=MAX_STATEMENT
    )
    if happened_on is not None and happened_on > timezone.localdate():
        raise ActionRefused(_("The date cannot be in the future."), field="happened_on")
    now = timezone.now()
    channel = ReportChannel.STAFF if is_staff(reporter) else ReportChannel.PORTAL
    for _attempt in range(5):
        try:
            with transaction.atomic():
                report = MisconductReport.objects.create(
                    reference=_reference(),
                    channel=channel,
                    reporter=reporter,
                    accused_name=accused_name,
                    ticket=ticket,
                    happened_on=happened_on,
                    statement=statement,
                    created_at=now,
                )
            break
        except IntegrityError:  # the same reference drawn twice: draw again
            continue
    else:  # pragma: no cover - 31^8 references
        raise ActionRefused(_("The report could not be saved; please try again."))
    accused = ticket.assignee if ticket is not None and ticket.assignee_id else None
    case = AuditCase.objects.create(report=report, accused=accused, opened_at=now)
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.REPORTED, actor=reporter, at=now, data={"channel": channel})
    reference = report.reference
    # Only the auditors (never the accused, even if they hold the role). The
    # notice names the reference, not the employee or the statement: e-mail
    # is read on phones and shared screens.
    tell_staff(
        key=f"audits:reported:{reference}",
        recipients=auditors().exclude(pk=accused.pk) if accused else auditors(),
        template="generic",
        context=lambda: {
            "subject": _("New misconduct report %(ref)s") % {"ref": reference},
            "body": _("A misconduct report (%(ref)s) was received. Open the case to read it.") % {"ref": reference},
        },
        link=case_link(case),
    )
    return report


@transaction.atomic
def case_take(*, case: AuditCase, actor: User) -> AuditCase:
    """An auditor takes a received case and starts the investigation."""
    _require_auditor(actor)
    case = AuditCase.objects.select_for_update().get(pk=case.pk)
    if case.state != CaseState.RECEIVED:
        raise ActionRefused(_("This case is already being investigated or closed."))
    now = timezone.now()
    case.state = CaseState.INVESTIGATING
    case.handler = actor
    case.save(update_fields=["state", "handler"])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.TAKEN, actor=actor, at=now)
    return case


@transaction.atomic
def case_findings_record(*, case: AuditCase, actor: User, findings: str) -> AuditCase:
    """The findings so far (kept as the latest text; each save is in the history)."""
    _require_auditor(actor)
    case = AuditCase.objects.select_for_update().get(pk=case.pk)
    if case.state != CaseState.INVESTIGATING:
        raise ActionRefused(_("Findings are recorded while the case is under investigation."))
    case.findings = _required(findings, field="findings", message=_("Please write the findings."), limit=MAX_FINDINGS)
    case.save(update_fields=["findings"])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.FINDINGS, actor=actor, at=timezone.now())
    return case


@transaction.atomic
def case_decide(*, case: AuditCase, actor: User, decision: str, findings: str, action_taken: str) -> AuditCase:
    """Close the case with its findings, decision and, when substantiated, the
    action taken against the employee. The employee is not told by the system."""
    _require_auditor(actor)
    case = AuditCase.objects.select_for_update().get(pk=case.pk)
    if case.state != CaseState.INVESTIGATING:
        raise ActionRefused(_("Only a case under investigation can be decided."))
    if decision not in Decision.values:
        raise ActionRefused(_("Choose a decision."), field="decision")
    findings = _required(findings, field="findings", message=_("Please write the findings."), limit=MAX_FINDINGS)
    action_taken = (action_taken or "").strip()
    if decision == Decision.SUBSTANTIATED and not action_taken:
        raise ActionRefused(
            _("A substantiated case needs the action taken against the employee."), field="action_taken"
        )
    if len(action_taken) > MAX_ACTION:
        raise ActionRefused(
            _("Please keep this to %(limit)s characters (it has %(n)s).") % {"limit": MAX_ACTION, "n": len(action_taken)},
            field="action_taken",
        )
    now = timezone.now()
    case.state = CaseState.CLOSED
    case.decision = decision
    case.findings = findings
    case.action_taken = action_taken
    case.closed_at = now
    case.closed_by = actor
    case.save(update_fields=["state", "decision", "findings", "action_taken", "closed_at", "closed_by"])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.DECIDED, actor=actor, at=now, data={"decision": decision})
    return case


def case_view_record(*, case: AuditCase, viewer: User, page: str) -> CaseView:
    """Log that `viewer` opened `page` of the case (every view, CR2)."""
    return CaseView.objects.create(case=case, viewer=viewer, viewed_at=timezone.now(), page=page[:200])
