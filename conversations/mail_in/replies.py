"""What the sender of a mail is told, through the outbox like every notice.

A sender with an account hears through the customers' door (e-mail and in the
app, in their language); an address with no account, by e-mail only, in the
site's language (`notify` with the address). Each key names the mail, so a
mail processed again tells nobody twice; the unknown-sender reply's key names
the address and the day instead, so an address hears it at most once a day
and two robots writing to each other stop at the first exchange.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.notifications.doors import tell_customer
from helpdesk.notifications.models import NotificationChannel
from helpdesk.notifications.services import language_for, notify
from tickets.links import ticket_link
from tickets.models import Ticket

from ..models import InboundMail

EMAIL_AND_APP = (NotificationChannel.EMAIL.value, NotificationChannel.IN_APP.value)


def _contact() -> str:
    return _("If you need help, call %(name)s on %(phone)s.") % {
        "name": settings.SERVICE_CONTACT_NAME,
        "phone": settings.SERVICE_CONTACT_PHONE,
    }


def _refused_lines(mail: InboundMail) -> list[str]:
    refused = mail.refused_attachments
    if not refused:
        return []
    lines = [_("These attachments were not added:")]
    lines += [f"- {entry['name']} ({filesizeformat(entry['size'])}): {entry['refused']}" for entry in refused]
    lines.append(_("You can add files on the ticket's page."))
    return lines


def _tell(
    mail: InboundMail,
    *,
    key: str,
    compose: Callable[[], dict[str, str]],
    user: User | None = None,
    ticket: Ticket | None = None,
) -> None:
    if user is not None:
        link = ticket_link(ticket.pk, customer=ticket.reporter_id == user.pk) if ticket else ""
        tell_customer(
            key=key, recipient=user, template="generic", context=compose, ticket=ticket, link=link,
            channels=EMAIL_AND_APP,
        )
        return
    # No account: no page of ours to link to, only the words.
    language = language_for(None)
    with translation.override(language):
        context: dict[str, Any] = dict(compose())
    notify(
        key=key, template="generic", context=context, email=mail.from_address, language=language, ticket=ticket,
        channels=(NotificationChannel.EMAIL.value,), customer_facing=True,
    )


def received_tell(mail: InboundMail, *, ticket: Ticket, user: User | None) -> None:
    """The usual acknowledgement: the mail is request #N, and what was not attached."""

    def compose() -> dict[str, str]:
        return {
            "subject": _("%(number)s: we have received your request") % {"number": ticket.number},
            "body": "\n".join(
                [
                    _('Your e-mail "%(subject)s" has been received as request %(number)s.')
                    % {"subject": mail.subject or ticket.title, "number": ticket.number},
                    _("Reply to this e-mail to add to the request."),
                    *_refused_lines(mail),
                ]
            ),
        }

    _tell(mail, key=f"conversations:mail-received:m{mail.pk}", compose=compose, user=user, ticket=ticket)


def attachments_refused_tell(mail: InboundMail, *, ticket: Ticket, user: User) -> None:
    """A reply became a comment, but some of its files did not pass the checks."""

    def compose() -> dict[str, str]:
        return {
            "subject": _("%(number)s: some attachments were not added") % {"number": ticket.number},
            "body": "\n".join(
                [_("Your reply was added to request %(number)s.") % {"number": ticket.number}, *_refused_lines(mail)]
            ),
        }

    _tell(mail, key=f"conversations:mail-attachments:m{mail.pk}", compose=compose, user=user, ticket=ticket)


def finished_tell(mail: InboundMail, *, ticket: Ticket, user: User) -> None:
    """A reply to finished work is not a comment: reopen it or file a new request."""

    def compose() -> dict[str, str]:
        return {
            "subject": _("%(number)s is finished: your reply was not added") % {"number": ticket.number},
            "body": "\n".join(
                [
                    _("Request %(number)s is finished, so your e-mail was not added to it.")
                    % {"number": ticket.number},
                    _("If the problem is back, reopen the request on its page; for something new, "
                      "write to us again in a new e-mail (not a reply) or file a new request."),
                    _contact(),
                ]
            ),
        }

    _tell(mail, key=f"conversations:mail-finished:m{mail.pk}", compose=compose, user=user, ticket=ticket)


def bad_token_tell(mail: InboundMail) -> None:
    """The reply address was altered or is not ours: say so, add nothing."""

    def compose() -> dict[str, str]:
        return {
            "subject": _("Your e-mail was not added to a request"),
            "body": "\n".join(
                [
                    _('The address your e-mail "%(subject)s" was sent to is not a valid reply address '
                      "(it may have been changed or copied incompletely), so it was not added to any request.")
                    % {"subject": mail.subject},
                    _("Please reply to the latest e-mail about your request, or write to us at %(address)s.")
                    % {"address": settings.MAIL_IN_ADDRESS or settings.SERVICE_CONTACT_EMAIL},
                    _contact(),
                ]
            ),
        }

    _tell(mail, key=f"conversations:mail-bad-token:m{mail.pk}", compose=compose)


def too_large_tell(mail: InboundMail, *, user: User | None) -> None:
    def compose() -> dict[str, str]:
        return {
            "subject": _("Your e-mail is too large"),
            "body": "\n".join(
                [
                    _('Your e-mail "%(subject)s" is %(size)s; we take e-mails up to %(limit)s, '
                      "so it was not turned into a request.")
                    % {
                        "subject": mail.subject,
                        "size": filesizeformat(mail.size),
                        "limit": filesizeformat(settings.MAIL_IN_MAX_BYTES),
                    },
                    _("Please send it again with smaller or fewer attachments, or file the request on our site "
                      "and attach the files there."),
                    _contact(),
                ]
            ),
        }

    _tell(mail, key=f"conversations:mail-too-large:m{mail.pk}", compose=compose, user=user)


def unknown_sender_tell(mail: InboundMail) -> None:
    """How to reach us from an address we do not know; once a day per address."""
    digest = hashlib.sha256(mail.from_address.encode("utf-8")).hexdigest()[:16]
    day = timezone.localdate().strftime("%Y%m%d")

    def compose() -> dict[str, str]:
        return {
            "subject": _("We could not file your e-mail as a request"),
            "body": "\n".join(
                [
                    _('Your e-mail "%(subject)s" came from %(address)s, which belongs to nobody registered '
                      "with the IT service desk, so it was not filed as a request.")
                    % {"subject": mail.subject, "address": mail.from_address},
                    _("Sign in at %(site)s and file the request there, or write from the e-mail address "
                      "registered in your account. To register this address, ask %(name)s.")
                    % {"site": settings.SITE_URL, "name": settings.SERVICE_CONTACT_NAME},
                    _contact(),
                ]
            ),
        }

    _tell(mail, key=f"conversations:unknown-sender:{digest}:{day}", compose=compose)
