"""The visit notices: what each one tells (the context and key the visit's
notices share), handed to the outbox's doors for the customer or the staff on
the visit."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.urls import reverse

from helpdesk.accounts.models import User
from helpdesk.accounts.phones import phone_format
from helpdesk.core.times import iso_or_empty
from helpdesk.notifications.doors import CUSTOMER_CHANNELS, STAFF_CHANNELS, tell_customer, tell_staff

from ..models import Visit

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
        "start": iso_or_empty(visit.start),
        "end": iso_or_empty(visit.end),
        "customer_name": visit.ticket.reporter_name,
        "link": reverse("visits:customer_visit", args=[visit.pk]),
    }
    context.update(extra)
    return context


def visit_notice_key(visit: Visit, event: str) -> str:
    """The schedule version is in the key: a reschedule tells again, a repeated step never."""
    return f"visit:{visit.pk}:v{visit.schedule_version}:{event}"


def visit_customer_tell(
    visit: Visit, *, event: str, template: str, channels: Iterable[str] = CUSTOMER_CHANNELS, **extra: Any
) -> None:
    """Tell the ticket's reporter about the visit (SV1, SV3), through the customer door.
    A VIP customer's booking notices also say that a team lead comes (MT8)."""
    extra.setdefault("vip_lead", bool(visit.ticket.reporter_is_vip))
    tell_customer(
        key=visit_notice_key(visit, event),
        recipient=visit.ticket.reporter,
        template=template,
        context=visit_notice_context(visit, **extra),
        ticket=visit.ticket,
        channels=channels,
    )


def visit_staff_tell(
    visit: Visit,
    *,
    event: str,
    template: str,
    people: Iterable[User | None] | None = None,
    channels: Iterable[str] = STAFF_CHANNELS,
    **extra: Any,
) -> None:
    """Tell staff about the visit, through the staff door, linking to its staff
    page: `people`, by default the engineer and the companion going along."""
    told = [p for p in ((visit.engineer, visit.companion) if people is None else people) if p is not None]
    if not told:
        logger.warning("Visit %s: nobody to tell about %s", visit.pk, event)
        return
    tell_staff(
        key=visit_notice_key(visit, event),
        recipients=told,
        template=template,
        context=visit_notice_context(visit, **extra),
        ticket=visit.ticket,
        link=reverse("visits:staff_visit", args=[visit.pk]),
        channels=channels,
    )
