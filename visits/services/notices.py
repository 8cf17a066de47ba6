"""The visit notices: what each one tells, and the outbox calls that send it to
the customer or to the staff on the visit."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from helpdesk.accounts.models import User
from helpdesk.accounts.phones import phone_format

from ..models import Visit
from .timeline import _iso

# The package's name, as when this lived in visits/services.py: logging config keeps matching.
logger = logging.getLogger(__package__)


def visit_notice_context(visit: Visit, **extra: Any) -> dict[str, Any]:
    """What every visit notice tells (SV1, SV3): who comes, from which team, how to
    reach them, why and when. Plain strings only: the outbox renders it later."""
    engineer = visit.engineer
    team = engineer.team if engineer.team_id else None
    companion = visit.companion
    context: dict[str, Any] = {
        "visit_id": visit.pk,
        "engineer_name": engineer.display_name,
        "engineer_team": team.name if team else "",
        "engineer_phone": phone_format(engineer.phone) or (team.phone if team else ""),
        "companion_name": companion.display_name if companion else "",
        "purpose": visit.purpose,
        "start": _iso(visit.start),
        "end": _iso(visit.end),
        "customer_name": visit.ticket.reporter_name,
        "link": reverse("visits:customer_visit", args=[visit.pk]),
    }
    context.update(extra)
    return context


def _notify_customer(visit: Visit, *, event: str, template: str, channels: Iterable[str], **extra: Any) -> None:
    from helpdesk.notifications.services import notify

    ticket = visit.ticket
    reporter = ticket.reporter
    notify(
        key=f"visit:{visit.pk}:v{visit.schedule_version}:{event}",
        template=template,
        context=visit_notice_context(visit, **extra),
        recipient=reporter,
        # The number given on the ticket is the one the customer asked to be reached on.
        phone=str(ticket.contact_phone or ""),
        channels=tuple(channels),
        ticket=ticket,
        customer_facing=True,
    )


def visit_staff_notify(
    visit: Visit, *, person: User | None, event: str, template: str, channels: Iterable[str], **extra: Any
) -> None:
    if person is None:
        logger.warning("Visit %s: nobody to tell about %s", visit.pk, event)
        return
    from helpdesk.notifications.services import notify

    notify(
        key=f"visit:{visit.pk}:v{visit.schedule_version}:{event}:u{person.pk}",
        template=template,
        context=visit_notice_context(visit, link=reverse("visits:staff_visit", args=[visit.pk]), **extra),
        recipient=person,
        channels=tuple(channels),
        ticket=visit.ticket,
    )


def _notify_visit_staff(visit: Visit, *, event: str, template: str, channels: Iterable[str], **extra: Any) -> None:
    """Tell the visit's engineer and, when there is one, the companion going along."""
    for person in (visit.engineer, visit.companion):
        if person is not None:
            visit_staff_notify(visit, person=person, event=event, template=template, channels=channels, **extra)
