"""Reads for mail in: who wrote, who may comment, and the desk's list, scoped
to the asking user (anyone who may not use the desk's mail page gets a 404)."""
from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from helpdesk.accounts.models import User
from tickets.models import Ticket
from tickets.permissions import is_staff
from tickets.selectors import tickets_visible_to

from ..models import InboundMail, MailState


def users_with_address(address: str) -> list[User]:
    """The active users whose e-mail address is `address` (addresses are not
    unique: two people may share a team mailbox)."""
    if not address:
        return []
    return list(
        User.objects.filter(is_active=True, email__iexact=address).select_related("department").order_by("pk")[:10]
    )


def may_comment(user: User, ticket: Ticket) -> bool:
    """The ticket's reporter, or staff who see the ticket: who may answer on it by mail."""
    if ticket.reporter_id == user.pk:
        return True
    return is_staff(user) and tickets_visible_to(user).filter(pk=ticket.pk).exists()


def may_handle_mail(user: User) -> bool:
    """Desk agents, team leads (and section chiefs) and admins handle the mail
    waiting for the desk; customers and engineers do not."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.has_perm("tickets.intake_ticket") or user.has_perm("tickets.lead_team"))
    )


def mail_waiting(user: User) -> QuerySet[InboundMail]:
    """The desk's list, newest first (inmail_state_idx)."""
    if not may_handle_mail(user):
        raise Http404
    return InboundMail.objects.filter(state=MailState.WAITING).order_by("-received_at", "-pk")


def mail_for_desk(user: User, pk: int, *, waiting_only: bool = True) -> InboundMail:
    """One mail of the desk's, for a user who handles mail. Its page shows it while
    it waits; an action on one handled meanwhile finds it, so that the service
    can say it was already handled instead of a bare 404."""
    if not may_handle_mail(user):
        raise Http404
    mails = InboundMail.objects.filter(pk=pk)
    if waiting_only:
        mails = mails.filter(state=MailState.WAITING)
    else:
        mails = mails.exclude(state__in=[MailState.IGNORED, MailState.FAILED])
    mail = mails.first()
    if mail is None:
        raise Http404
    return mail
