"""What the desk tells a customer about a request it received, beyond the gates.

MT8: a VIP customer (a department head and above) hears, when the request is
received, that a team lead or section chief will visit or go along with the
engineer; the same sentence is on their ticket page and in the visit notices.
"""
from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpdesk.notifications.doors import tell_customer
from tickets.links import ticket_link
from tickets.models import Ticket

# One sentence wherever a VIP customer reads the promise (the portal's ticket
# page and the visit notices say it with {% translate %} and the same words).
VIP_LEAD_VISIT = gettext_lazy(
    "As our service charter promises, a team lead or section chief will visit you in person, "
    "or come along with the engineer."
)


def vip_received_tell(*, ticket: Ticket) -> bool:
    """Tell a VIP reporter with an account that the request is in and a team lead
    will come (MT8). Once per ticket (the key); True when the ticket is a VIP's."""
    if not ticket.reporter_is_vip or ticket.reporter_id is None:
        return False

    def compose() -> dict[str, str]:
        subject = _("%(number)s: we have received your request") % {"number": ticket.number}
        body = "\n".join(
            [_("We have received your request \"%(title)s\".") % {"title": ticket.title}, str(VIP_LEAD_VISIT)]
        )
        return {"subject": subject, "body": body}

    tell_customer(
        key=f"desk:vip-received:t{ticket.pk}",
        recipient=ticket.reporter,
        template="generic",
        context=compose,
        ticket=ticket,
        link=ticket_link(ticket.pk, customer=True),
    )
    return True
