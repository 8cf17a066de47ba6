"""The callback sweep (PH3): remind the handler, then tell the team lead when a
callback is overdue — each exactly once.

`callback_sweep_once(now)` is one unit of work, meant to run every minute
beside the deadline sweep. It reads only memos whose `next_check_at` has come
(a partial index over open memos with a pending moment), and for each one:

1. claims it with a conditional update on the `next_check_at` it read, so two
   workers (or a sweep run twice) never act on the same moment;
2. in the same transaction, puts the reminder (at the warning point) and the
   overdue notice (at the due time) in the outbox under keys unique per memo,
   moment and person, and moves `next_check_at` to the next moment (NULL when
   nothing is left).

A memo whose processing raises is logged and pushed `RETRY_DELAY` forward; the
rest of the batch goes on.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.phones import phone_format
from helpdesk.accounts.selectors import leads_for
from helpdesk.core.times import local_text
from helpdesk.notifications.doors import tell_staff

from ..models import CallbackMemo
from ..selectors import memos_due
from .calls import memo_link

logger = logging.getLogger(__name__)

RETRY_DELAY = timedelta(minutes=5)
BATCH = 500


def _remind(memo: CallbackMemo) -> None:
    handler = memo.for_handler

    def compose() -> dict[str, str]:
        subject = _("Reminder: call back %(name)s by %(due)s") % {"name": memo.caller_name, "due": local_text(memo.due_at)}
        body = _("%(name)s (%(department)s, %(phone)s): %(matter)s") % {
            "name": memo.caller_name,
            "department": memo.department.name,
            "phone": phone_format(memo.phone),
            "matter": memo.matter,
        }
        return {"subject": subject, "body": body}

    tell_staff(
        key=f"desk:callback:{memo.pk}:remind", recipients=[handler], template="generic", context=compose, link=memo_link(memo)
    )


def _escalate(memo: CallbackMemo) -> None:
    handler = memo.for_handler
    # The handler's lead; the section chief when the team has none or the handler leads it.
    leads = leads_for(handler.team, about=handler)
    if not leads:
        logger.warning("desk: callback memo %s is overdue and %s has no team lead to tell", memo.pk, handler)
        return

    def compose() -> dict[str, str]:
        subject = _("Overdue callback: %(handler)s has not called back %(name)s") % {
            "handler": handler.display_name,
            "name": memo.caller_name,
        }
        body = _("Promised by %(due)s (taken by %(agent)s at %(taken)s): %(matter)s") % {
            "due": local_text(memo.due_at),
            "agent": memo.taken_by.display_name,
            "taken": local_text(memo.taken_at),
            "matter": memo.matter,
        }
        return {"subject": subject, "body": body}

    tell_staff(
        key=f"desk:callback:{memo.pk}:overdue", recipients=leads, template="generic", context=compose, link=memo_link(memo)
    )


@transaction.atomic
def _process(pk: int, now: datetime) -> bool:
    memo = (
        CallbackMemo.objects.select_related("for_handler__team__lead", "department", "taken_by")
        .filter(pk=pk, next_check_at__lte=now)
        .first()
    )
    if memo is None:
        return False
    remind = memo.closed_at is None and memo.reminded_at is None and memo.remind_at <= now
    escalate = memo.closed_at is None and memo.escalated_at is None and memo.due_at <= now
    fields: dict[str, object] = {}
    if remind:
        fields["reminded_at"] = now
    if escalate:
        fields["escalated_at"] = now
    still_open = memo.closed_at is None and not (escalate or memo.escalated_at is not None)
    fields["next_check_at"] = memo.due_at if still_open else None
    claimed = CallbackMemo.objects.filter(pk=pk, next_check_at=memo.next_check_at).update(**fields)
    if claimed != 1:
        return False  # another worker took this moment
    if remind:
        _remind(memo)
    if escalate:
        _escalate(memo)
    return remind or escalate


def callback_sweep_once(now: datetime | None = None, batch: int = BATCH) -> int:
    """One pass over the memos that are due; returns how many were acted on."""
    now = now or timezone.now()
    acted = 0
    for pk in memos_due(now, batch=batch):
        try:
            if _process(pk, now):
                acted += 1
        except Exception:
            logger.exception("desk: callback sweep failed on memo %s; retrying in %s", pk, RETRY_DELAY)
            CallbackMemo.objects.filter(pk=pk, next_check_at__lte=now).update(next_check_at=now + RETRY_DELAY)
    return acted
