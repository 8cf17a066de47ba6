"""The desk in tests: a fault the desk agent took by phone, through the services.
The `phone_fault` fixture (tests/desk/conftest.py) is one, assigned."""
from __future__ import annotations

from tickets.models import Channel, Ticket
from tickets.services import ticket_assign, ticket_create

# The bearer token the phone system's tests send (the `phone_token` fixture sets it).
PHONE_TOKEN = "s3cret-phone-token-0123456789"


def phone_fault_make(org, *, assignee=None, **extra) -> Ticket:
    """A fault the desk agent took by phone for the customer (no signed-in report: MT3 applies)."""
    fields = {
        "actor": org.desk_agent,
        "reporter": org.customer,
        "reporter_name": org.customer.display_name,
        "reporter_department": org.customer_dept,
        "title": "PC가 켜지지 않습니다",
        "channel": Channel.PHONE,
        "asset": org.asset,
        "category": org.category,
        **extra,
    }
    ticket = ticket_create(**fields)
    if assignee is not None:
        ticket = ticket_assign(ticket=ticket, assignee=assignee, actor=org.desk_agent)
    return ticket
