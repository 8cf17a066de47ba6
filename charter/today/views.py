"""The "오늘" page: the engineer's day on a phone (next visit first, then open work
by deadline, each card with its one next step)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from helpdesk.core.paging import CappedPaginator
from standards.selectors import standards_by_id
from visits.selectors import awaiting_agreement

from . import selectors
from .cards import visit_card, work_card

PAGE_SIZE = 20


@login_required
@permission_required("tickets.work_ticket", raise_exception=True)
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    visits = [visit_card(v) for v in selectors.day_visits(user, timezone.localdate(now))]
    next_visit = visits[0] if visits else None
    page = CappedPaginator(selectors.open_work(user), PAGE_SIZE).get_page(request.GET.get("page"))
    tickets = list(page.object_list)
    standards = standards_by_id({t.standard_version_id for t in tickets if t.resolve_by is not None})
    # The next visit's ticket is that visit's card; later visits show on their ticket's card.
    visit_at = {card.visit.ticket_id: card.visit.agreed_start for card in visits[1:]}
    work = [
        work_card(t, now=now, standards=standards, visit_at=visit_at.get(t.pk))
        for t in tickets
        if next_visit is None or t.pk != next_visit.visit.ticket_id
    ]
    return render(
        request,
        "charter/today/today.html",
        {
            "now": now,
            "next_visit": next_visit,
            "later_visits": visits[1:],
            "awaiting": awaiting_agreement(user),
            "work": work,
            "page_obj": page,
        },
    )
