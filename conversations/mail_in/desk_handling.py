"""The desk's two answers to a mail waiting for it (the "Mail waiting for the
desk" page): file a ticket from it, or set it aside with a reason.

Both take the mail only while it is still waiting (a conditional claim inside
the transaction), so two agents clicking at once make one ticket, and the
other is told the mail was already handled.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import Department, User
from helpdesk.core.errors import ActionRefused
from tickets.models import Channel, Kind, Ticket
from tickets.services import ticket_create

from ..models import InboundMail, MailReason, MailState
from . import replies
from .attachments import files_check
from .parsing import mail_parse
from .selectors import may_handle_mail


def _claim(mail: InboundMail, actor: User) -> InboundMail:
    if not may_handle_mail(actor):
        raise ActionRefused(_("Only the desk, team leads and admins handle mail."))
    locked = InboundMail.objects.select_for_update().filter(pk=mail.pk, state=MailState.WAITING).first()
    if locked is None:
        raise ActionRefused(_("This mail has already been handled."))
    return locked


@transaction.atomic
def inbound_mail_file_ticket(
    *,
    mail: InboundMail,
    actor: User,
    reporter_department: Department | None,
    reporter_name: str,
    title: str,
    reporter: User | None = None,
) -> Ticket:
    """A ticket from the mail, filed by the desk on the sender's behalf: the
    mail's text and the files that pass the checks, channel e-mail. As with a
    mail filed by itself, it is a fault whose equipment the handler finds out."""
    mail = _claim(mail, actor)
    with mail.raw.open("rb") as raw:
        parsed = mail_parse(raw.read())
    files = files_check(parsed.files)
    ticket = ticket_create(
        actor=actor,
        title=title,
        reporter=reporter,
        reporter_department=reporter_department,
        reporter_name=reporter_name,
        kind=Kind.FAULT,
        channel=Channel.EMAIL,
        description=parsed.text,
        asset_other=_("Not stated in the e-mail"),
        attachments=files.accepted,
    )
    mail.state = MailState.TICKET
    mail.ticket = ticket
    mail.attachments = files.record
    mail.handled_by = actor
    mail.processed_at = timezone.now()
    mail.save(update_fields=["state", "ticket", "attachments", "handled_by", "processed_at"])
    replies.received_tell(mail, ticket=ticket, user=reporter)
    return ticket


@transaction.atomic
def inbound_mail_set_aside(*, mail: InboundMail, actor: User, reason: str) -> InboundMail:
    """Nothing to file (spam, a thank-you, a duplicate): kept, with the desk's reason."""
    if not reason.strip():
        raise ActionRefused(_("Please give a reason."), field="reason")
    mail = _claim(mail, actor)
    mail.state = MailState.SET_ASIDE
    mail.reason = MailReason.SET_ASIDE
    mail.detail = "\n".join(filter(None, [mail.detail, reason.strip()]))[:5000]
    mail.handled_by = actor
    mail.processed_at = timezone.now()
    mail.save(update_fields=["state", "reason", "detail", "handled_by", "processed_at"])
    return mail
