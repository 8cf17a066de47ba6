"""CP1, CC1: the handler's review, the reply the customer is told, and whether it was reflected ("반영")."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from helpdesk.notifications.doors import tell_customer

from ..models import Feedback, FeedbackEventKind, FeedbackState
from ..scope import feedback_scope
from .common import customer_link, event_write, feedback_locked

TEXT_MAX = 4000


def require_handling(actor: User, feedback: Feedback) -> None:
    """The handler, or a lead of its team (someone else never reaches the page: 404)."""
    if not Feedback.objects.filter(feedback_scope(actor), pk=feedback.pk).exists():
        raise ActionRefused(_("Only its handler or the team lead can do this."))


@transaction.atomic
def feedback_review(*, feedback: Feedback, actor: User, note: str) -> Feedback:
    """Received → under review, with what the handler found so far."""
    require_handling(actor, feedback)
    feedback = feedback_locked(feedback)
    note = (note or "").strip()
    if not note:
        raise ActionRefused(_("Write what you are looking into."), field="review_note")
    if feedback.state == FeedbackState.ANSWERED:
        raise ActionRefused(_("This feedback has already been answered."))
    now = timezone.now()
    feedback.review_note = note[:TEXT_MAX]
    feedback.state = FeedbackState.UNDER_REVIEW
    feedback.save(update_fields=["review_note", "state"])
    event_write(feedback, FeedbackEventKind.REVIEWED, actor, now, note)
    return feedback


def _reflection(reflected: bool | None, what: str) -> tuple[bool | None, str]:
    what = (what or "").strip()
    if reflected and not what:
        raise ActionRefused(_("Say what was changed in the service."), field="reflected_what")
    return reflected, (what if reflected else "")[:300]


@transaction.atomic
def feedback_answer(
    *, feedback: Feedback, actor: User, reply: str, reflected: bool | None = None, reflected_what: str = ""
) -> Feedback:
    """The reply to the customer (they are told at once) and, when known, whether it was reflected."""
    require_handling(actor, feedback)
    feedback = feedback_locked(feedback)
    reply = (reply or "").strip()
    if not reply:
        raise ActionRefused(_("Write the reply to the customer."), field="reply")
    if feedback.state == FeedbackState.ANSWERED:
        raise ActionRefused(_("This feedback has already been answered."))
    reflected, reflected_what = _reflection(reflected, reflected_what)
    now = timezone.now()
    feedback.reply = reply[:TEXT_MAX]
    feedback.reflected, feedback.reflected_what = reflected, reflected_what
    feedback.state = FeedbackState.ANSWERED
    feedback.answered_at, feedback.answered_by = now, actor
    feedback.save(update_fields=["reply", "reflected", "reflected_what", "state", "answered_at", "answered_by"])
    event_write(feedback, FeedbackEventKind.ANSWERED, actor, now, reply)
    _tell_reply(feedback)
    return feedback


def _tell_reply(feedback: Feedback) -> None:
    if feedback.customer is None and not feedback.contact_phone:
        return  # a letter without a number: the reply goes back on paper
    kind = feedback.get_kind_display
    tell_customer(
        key=f"feedback:answered:f{feedback.pk}",
        recipient=feedback.customer,
        template="generic",
        context=lambda: {
            "subject": _("Our reply to your %(kind)s") % {"kind": str(kind()).lower()},
            "body": feedback.reply
            + (("\n" + _("Reflected in the service: %(what)s") % {"what": feedback.reflected_what}) if feedback.reflected else ""),
        },
        phone=feedback.contact_phone if feedback.customer is None else "",
        link=customer_link(feedback) if feedback.customer is not None else "",
    )


@transaction.atomic
def feedback_reflect(*, feedback: Feedback, actor: User, reflected: bool, reflected_what: str = "") -> Feedback:
    """Record (or correct) whether the feedback was reflected in the service, and how."""
    require_handling(actor, feedback)
    feedback = feedback_locked(feedback)
    reflected_flag, what = _reflection(reflected, reflected_what)
    now = timezone.now()
    feedback.reflected, feedback.reflected_what = reflected_flag, what
    feedback.save(update_fields=["reflected", "reflected_what"])
    event_write(feedback, FeedbackEventKind.REFLECTED, actor, now, what or _("Not reflected"))
    return feedback
