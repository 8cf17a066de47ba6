"""Repeat-fault (MT5) and VIP (MT8) panels for the staff ticket page, so its view needs no change:

    {% load repeat_tags %}
    {% repeat_panel ticket request.user %}   what MT5 asks of this ticket, with the root-cause form
    {% vip_rule ticket %}                    MT8: a lead goes on the visit (shown only for VIP work)
"""
from __future__ import annotations

from typing import Any

from django import template

from helpdesk.accounts.selectors import holders_of

from ..dashboard.forms import RootCauseForm
from ..repeats import repeat_status

register = template.Library()


@register.inclusion_tag("charter/dashboard/_repeat_panel.html", takes_context=True)
def repeat_panel(context: template.Context, ticket: Any, user: Any) -> dict[str, Any]:
    status = repeat_status(ticket)
    form = None
    if status is not None and user.has_perm("tickets.work_ticket") and ticket.status != "cancelled":
        record = status.root_cause
        form = RootCauseForm(
            initial={"cause": record.cause, "action_taken": record.action_taken, "prevention": record.prevention}
            if record
            else {}
        )
    return {
        "ticket": ticket,
        "status": status,
        "form": form,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.inclusion_tag("charter/dashboard/_vip_rule.html")
def vip_rule(ticket: Any) -> dict[str, Any]:
    """MT8 on the ticket: the rule, and whether a lead is on its visit yet."""
    if not getattr(ticket, "reporter_is_vip", False):
        return {"show": False}
    from visits.models import Visit, VisitState

    visits = list(
        Visit.objects.filter(ticket_id=ticket.pk)
        .exclude(state=VisitState.CANCELLED)
        .select_related("engineer", "companion")
        .order_by("-created_at", "-pk")[:5]
    )
    people = [p for visit in visits for p in (visit.engineer, visit.companion) if p is not None]
    leads = holders_of("tickets.lead_team", people)
    # The most recent visit's lead, engineer before companion.
    lead = next((p for p in people if p.pk in leads), None)
    return {"show": True, "ticket": ticket, "lead": lead, "has_visit": bool(visits)}
