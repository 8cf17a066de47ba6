"""Who hears what at each step of a ticket's life.

Every notice goes through the two doors (helpdesk.notifications.doors): staff
by e-mail and in the app, customers by e-mail, text message and in the app,
in their own language, with the quiet hours for texts. The key names the
event (the ticket and the moment, or the comment), so a change reported twice
tells once. Nobody is told about a change they made themselves.

- assigned or reassigned: the new handler; the customer, who handles it and
  how to reach them (SV3);
- a staff comment marked public: the customer; a customer's comment: the
  handler, or the team's lead when nobody handles it yet;
- resolved: the customer, with how to reopen and, when the survey went out
  with the resolution, its link (one message instead of two);
- reopened or cancelled: the other side;
- handed over to another team: the new team's lead, and the customer.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.utils.translation import gettext as _

from helpdesk.accounts.models import Team, User
from helpdesk.accounts.phones import phone_format
from helpdesk.accounts.selectors import leads_for
from helpdesk.notifications.doors import tell_customer, tell_staff
from helpdesk.notifications.rendering import absolute_url
from helpdesk.notifications.services import notifications_withdraw
from surveys.links import survey_link
from surveys.models import Survey
from tickets.hooks import TicketChange
from tickets.links import ticket_link
from tickets.models import Ticket

# A text message is read on a phone: a long comment is cut, the link has the rest.
EXCERPT_CHARS = 300


def _stamp(at: datetime) -> str:
    """The moment of a change as a key part: a ticket may be assigned, resolved or
    handed over many times, each a notice of its own."""
    return str(int(at.timestamp() * 1_000_000))


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


def _is(person: User | None, actor: User | None) -> bool:
    return person is not None and actor is not None and person.pk == actor.pk


def _reaches_customer(ticket: Ticket, actor: User | None) -> bool:
    """Whether the customer is someone to tell: not the one who made the change,
    and reachable (an account, or a number given on the ticket)."""
    if ticket.reporter_id is not None and actor is not None and ticket.reporter_id == actor.pk:
        return False
    return ticket.reporter_id is not None or bool(ticket.contact_phone)


def _contact_line(handler: User | None, team: Team | None) -> str:
    """SV3: who handles it and how to reach them, in one sentence."""
    phone = (phone_format(handler.phone) if handler is not None and handler.phone else "") or (
        team.phone if team is not None else ""
    )
    if handler is not None:
        values = {"name": handler.display_name, "team": team.name if team else "", "phone": phone or "-"}
        if team is not None:
            return _("Your handler is %(name)s (%(team)s), tel. %(phone)s.") % values
        return _("Your handler is %(name)s, tel. %(phone)s.") % values
    if team is not None:
        return _("%(team)s handles your request, tel. %(phone)s.") % {"team": team.name, "phone": team.phone or "-"}
    return ""


def _tell_customer(ticket: Ticket, key: str, compose: Callable[[], dict[str, str]]) -> None:
    tell_customer(
        key=key,
        recipient=ticket.reporter,
        template="generic",
        context=compose,
        ticket=ticket,
        link=ticket_link(ticket.pk, customer=True),
    )


def _handler_or_leads(ticket: Ticket, actor: User | None) -> list[User]:
    """The handler; when nobody handles it yet, whoever answers for the team."""
    if ticket.assignee_id is not None:
        return [] if _is(ticket.assignee, actor) else [ticket.assignee]
    return [person for person in leads_for(ticket.team) if not _is(person, actor)]


# --- assignment ------------------------------------------------------------------


def assigned_tell(change: TicketChange) -> None:
    ticket, actor = change.ticket, change.actor
    handler = ticket.assignee
    if handler is None:
        return
    number, title = ticket.number, ticket.title
    reassigned = change.old_assignee_id is not None
    if not _is(handler, actor):
        reporter = ticket.reporter_name
        department = ticket.reporter_department.name if ticket.reporter_department_id else ""

        def compose_staff() -> dict[str, str]:
            return {
                "subject": _("%(number)s assigned to you: %(title)s") % {"number": number, "title": title},
                "body": _("%(number)s \"%(title)s\" from %(reporter)s (%(department)s) is now yours.")
                % {"number": number, "title": title, "reporter": reporter, "department": department},
            }

        tell_staff(
            key=f"tickets:assigned:t{ticket.pk}:{_stamp(change.at)}",
            recipients=[handler],
            template="generic",
            context=compose_staff,
            ticket=ticket,
            link=ticket_link(ticket.pk),
        )
    if not _reaches_customer(ticket, actor):
        return
    team = handler.team if handler.team_id else ticket.team

    def compose_customer() -> dict[str, str]:
        if reassigned:
            subject = _("%(number)s: your handler has changed") % {"number": number}
        else:
            subject = _("%(number)s: a handler is on your request") % {"number": number}
        return {
            "subject": subject,
            "body": "\n".join([_("Your request \"%(title)s\":") % {"title": title}, _contact_line(handler, team)]),
        }

    _tell_customer(ticket, f"tickets:handler:t{ticket.pk}:{_stamp(change.at)}", compose_customer)


# --- comments --------------------------------------------------------------------


def commented_tell(change: TicketChange) -> None:
    ticket, actor, comment = change.ticket, change.actor, change.comment
    if comment is None or not comment.body:
        return  # files alone: the timeline shows them; nobody is woken for an attachment
    number, title = ticket.number, ticket.title
    excerpt = _excerpt(comment.body)
    author = actor.display_name if actor is not None else ""
    if change.by_staff:
        if not comment.is_public or not _reaches_customer(ticket, actor):
            return

        def compose_customer() -> dict[str, str]:
            return {
                "subject": _("%(number)s: a message from %(name)s") % {"number": number, "name": author},
                "body": "\n".join([_("About \"%(title)s\":") % {"title": title}, excerpt]),
            }

        _tell_customer(ticket, f"tickets:comment-public:c{comment.pk}", compose_customer)
        return

    def compose_staff() -> dict[str, str]:
        return {
            "subject": _("%(number)s: the customer wrote") % {"number": number},
            "body": "\n".join([_("%(name)s on \"%(title)s\":") % {"name": author, "title": title}, excerpt]),
        }

    tell_staff(
        key=f"tickets:comment-customer:c{comment.pk}",
        recipients=_handler_or_leads(ticket, actor),
        template="generic",
        context=compose_staff,
        ticket=ticket,
        link=ticket_link(ticket.pk),
    )


# --- status ----------------------------------------------------------------------


def _survey_sent_now(ticket: Ticket, at: datetime) -> Survey | None:
    """The survey that went out with this resolution (surveys' receiver ran first,
    in this transaction), if the customer was asked."""
    return Survey.objects.filter(ticket=ticket, sent_at=at).order_by("-pk").first()


def resolved_tell(change: TicketChange) -> None:
    ticket, actor = change.ticket, change.actor
    if not _reaches_customer(ticket, actor):
        return
    number, title, note = ticket.number, ticket.title, change.note.strip()
    survey = _survey_sent_now(ticket, change.at)
    survey_url = absolute_url(survey_link(survey.pk)) if survey is not None else ""
    if survey is not None:
        # One message instead of two: the survey's own notice is taken back in
        # this transaction, before anything was sent, and its link rides here.
        notifications_withdraw(keys=[f"surveys:sent:s{survey.pk}"])

    def compose() -> dict[str, str]:
        lines = [
            _("We have finished the work on \"%(title)s\".") % {"title": title},
            _("What was done: %(note)s") % {"note": note} if note else "",
            _("If the fault is still there, reopen the request on its page, or reply to this e-mail."),
        ]
        if survey_url:
            lines.append(_("How did we do? Rate us in one tap: %(url)s") % {"url": survey_url})
        return {
            "subject": _("%(number)s has been resolved") % {"number": number},
            "body": "\n".join(line for line in lines if line),
        }

    _tell_customer(ticket, f"tickets:resolved:t{ticket.pk}:{_stamp(change.at)}", compose)


Texts = Callable[[dict[str, str]], tuple[str, str]]


def _tell_the_other_side(change: TicketChange, event: str, *, by_customer: bool, staff: Texts, customer: Texts) -> None:
    """A status change one side made, told to the other: the handler (or the
    team's lead) when the customer made it, the customer when staff did.
    `staff` and `customer` give (subject, body) in the recipient's language."""
    ticket, actor = change.ticket, change.actor
    values = {"number": ticket.number, "title": ticket.title, "note": change.note.strip()}
    key = f"tickets:{event}:t{ticket.pk}:{_stamp(change.at)}"

    def compose(texts: Texts) -> Callable[[], dict[str, str]]:
        def written() -> dict[str, str]:
            subject, body = texts(values)
            return {"subject": subject, "body": body}

        return written

    if by_customer:
        tell_staff(
            key=key,
            recipients=_handler_or_leads(ticket, actor),
            template="generic",
            context=compose(staff),
            ticket=ticket,
            link=ticket_link(ticket.pk),
        )
    elif _reaches_customer(ticket, actor):
        _tell_customer(ticket, key, compose(customer))


def reopened_tell(change: TicketChange) -> None:
    ticket, actor = change.ticket, change.actor
    _tell_the_other_side(
        change,
        "reopened",
        by_customer=ticket.reporter_id is not None and actor is not None and ticket.reporter_id == actor.pk,
        staff=lambda v: (
            _("%(number)s reopened by the customer") % v,
            _("\"%(title)s\" was reopened: %(note)s") % v,
        ),
        customer=lambda v: (
            _("%(number)s: we are working on it again") % v,
            _("We have reopened \"%(title)s\": %(note)s") % v,
        ),
    )


def cancelled_tell(change: TicketChange) -> None:
    _tell_the_other_side(
        change,
        "cancelled",
        by_customer=change.action == "cancel",  # the customer withdrew it; "cancel_staff" is staff's
        staff=lambda v: (
            _("%(number)s cancelled by the customer") % v,
            _("\"%(title)s\" was cancelled: %(note)s") % v,
        ),
        customer=lambda v: (
            _("%(number)s has been cancelled") % v,
            _("We have cancelled \"%(title)s\": %(note)s") % v,
        ),
    )


# --- team ------------------------------------------------------------------------


def team_moved_tell(change: TicketChange) -> None:
    ticket, actor = change.ticket, change.actor
    team = ticket.team
    if team is None:
        return
    number, title, note = ticket.number, ticket.title, change.note.strip()
    old_team = Team.objects.filter(pk=change.old_team_id).values_list("name", flat=True).first() or "-"
    key = f"tickets:team-moved:t{ticket.pk}:{_stamp(change.at)}"

    def compose_staff() -> dict[str, str]:
        return {
            "subject": _("%(number)s handed over to %(team)s") % {"number": number, "team": team.name},
            "body": _("%(from)s handed \"%(title)s\" over to your team: %(note)s. Please choose a handler.")
            % {"from": old_team, "title": title, "note": note},
        }

    tell_staff(
        key=key,
        recipients=[person for person in leads_for(team) if not _is(person, actor)],
        template="generic",
        context=compose_staff,
        ticket=ticket,
        link=ticket_link(ticket.pk),
    )
    if not _reaches_customer(ticket, actor):
        return

    def compose_customer() -> dict[str, str]:
        return {
            "subject": _("%(number)s: another team takes over") % {"number": number},
            "body": "\n".join(
                [
                    _("Your request \"%(title)s\" has been handed over to %(team)s: %(note)s")
                    % {"title": title, "team": team.name, "note": note},
                    _contact_line(None, team),
                ]
            ),
        }

    _tell_customer(ticket, key, compose_customer)
