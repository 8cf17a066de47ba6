"""The ticket lifecycle: every allowed move lives in TRANSITIONS, and
`tickets.services.ticket_transition` is the one place that enforces it.

The README prints this table (`python manage.py lifecycle_table`).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    DIAGNOSING = "diagnosing", _("Diagnosing")
    AWAITING_CONSENT = "awaiting_consent", _("Awaiting consent")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_CUSTOMER = "waiting_customer", _("Waiting on customer")
    WAITING_PARTS = "waiting_parts", _("Waiting on parts")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# Closed or cancelled: nothing more happens to the ticket (a resolved one can still be reopened).
FINAL_STATUSES = frozenset({Status.CLOSED, Status.CANCELLED})
# The work is done: no deadline runs, no visit is owed.
FINISHED = frozenset({Status.RESOLVED} | FINAL_STATUSES)
OPEN = frozenset(s for s in Status if s not in FINISHED)
# For filters and index conditions (sorted so generated SQL is stable).
OPEN_VALUES = tuple(sorted(s.value for s in OPEN))
# The deadline clock stops while we wait on someone else (issue: deadlines).
PAUSED_STATUSES = frozenset({Status.WAITING_CUSTOMER, Status.WAITING_PARTS})

CUSTOMER = "customer"
STAFF = "staff"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[Status]
    target: Status
    actors: frozenset[str]
    label: str
    needs_note: bool = False


def _t(action: str, sources: set[Status], target: Status, actors: set[str], label: str, needs_note: bool = False) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(actors), label, needs_note)


_WORKING = {Status.ASSIGNED, Status.DIAGNOSING, Status.AWAITING_CONSENT, Status.IN_PROGRESS}
_CANCELLABLE_BY_CUSTOMER = {Status.RECEIVED, Status.ASSIGNED, Status.DIAGNOSING, Status.AWAITING_CONSENT}

# Assignment itself (received → assigned) is `ticket_assign`, not a row here,
# because it also needs a person.
TRANSITIONS: tuple[Transition, ...] = (
    _t("diagnose", {Status.ASSIGNED}, Status.DIAGNOSING, {STAFF}, _("Start diagnosis")),
    _t("ask_consent", {Status.DIAGNOSING}, Status.AWAITING_CONSENT, {STAFF}, _("Ask for consent")),
    _t("start_work", {Status.DIAGNOSING, Status.AWAITING_CONSENT}, Status.IN_PROGRESS, {STAFF}, _("Start work")),
    _t("wait_customer", {Status.IN_PROGRESS, Status.DIAGNOSING}, Status.WAITING_CUSTOMER, {STAFF}, _("Wait on customer"), True),
    _t("wait_parts", {Status.IN_PROGRESS, Status.DIAGNOSING}, Status.WAITING_PARTS, {STAFF}, _("Wait on parts"), True),
    _t("resume", {Status.WAITING_CUSTOMER, Status.WAITING_PARTS}, Status.IN_PROGRESS, {STAFF}, _("Resume work")),
    _t("resolve", {Status.IN_PROGRESS, Status.DIAGNOSING}, Status.RESOLVED, {STAFF}, _("Resolve"), True),
    _t("close", {Status.RESOLVED}, Status.CLOSED, {STAFF, CUSTOMER}, _("Close")),
    _t("reopen", {Status.RESOLVED, Status.CLOSED}, Status.IN_PROGRESS, {STAFF, CUSTOMER}, _("Reopen"), True),
    _t("cancel", _CANCELLABLE_BY_CUSTOMER, Status.CANCELLED, {CUSTOMER}, _("Cancel request"), True),
    _t(
        "cancel_staff",
        _CANCELLABLE_BY_CUSTOMER | {Status.RECEIVED} | _WORKING | PAUSED_STATUSES,
        Status.CANCELLED,
        {STAFF},
        _("Cancel"),
        True,
    ),
)

TRANSITIONS_BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


def sources_of(action: str) -> frozenset[Status]:
    """The statuses `action` may be taken from (the lifecycle table's row)."""
    return TRANSITIONS_BY_ACTION[action].sources


def transitions_from(status: Status | str, actor: str) -> list[Transition]:
    """The moves a customer or a member of staff may make from `status`."""
    current = Status(status)
    return [t for t in TRANSITIONS if current in t.sources and actor in t.actors]


def lifecycle_table_markdown() -> str:
    rows = ["| action | from | to | who | note required |", "|---|---|---|---|---|"]
    order = list(Status)
    for t in TRANSITIONS:
        sources = ", ".join(s.value for s in sorted(t.sources, key=order.index))
        who = ", ".join(sorted(t.actors))
        rows.append(f"| `{t.action}` | {sources} | {t.target.value} | {who} | {'yes' if t.needs_note else ''} |")
    return "\n".join(rows)
