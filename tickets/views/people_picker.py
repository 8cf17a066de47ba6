"""staff:people — the options of a person picker (tickets.forms.people), for htmx."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from helpdesk.accounts.models import Absence, User
from helpdesk.core.input_bounds import id_param

from ..forms.people import person_label
from ..selectors import people_for_picker

# The pickers' own field names: the chosen id arrives under one of them (hx-include).
FIELDS = ("assignee", "engineer", "companion", "to", "person")


@login_required
@require_GET
def people_options(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("tickets.work_ticket"):
        raise Http404
    field = request.GET.get("field", "")
    team_id = id_param(request.GET.get("team"))
    selected_id = id_param(request.GET.get(field)) if field in FIELDS else None
    people = people_for_picker(q=request.GET.get("person", ""), team_id=team_id)
    selected = None
    if selected_id is not None and all(p.pk != selected_id for p in people):
        selected = (
            User.objects.filter(pk=selected_id, is_active=True).select_related("team")
            .only("id", "username", "first_name", "last_name", "team_id", "team__name").first()
        )
    # OV5: whoever is away today is marked with the backup who takes their work.
    away: dict[int, str] = {}
    for absence in (
        Absence.objects.covering(timezone.now())
        .filter(user_id__in=[p.pk for p in people])
        .select_related("backup")
        .only("user_id", "backup__first_name", "backup__last_name", "backup__username")
        .order_by("ends_at")
    ):
        away.setdefault(absence.user_id, absence.backup.display_name)
    options = [
        {"value": p.pk, "label": person_label(p), "backup": away.get(p.pk, ""), "selected": p.pk == selected_id}
        for p in people
    ]
    return render(
        request,
        "tickets/staff/_people_options.html",
        {
            "blank": request.GET.get("blank", "")[:50],
            "selected": {"value": selected.pk, "label": person_label(selected)} if selected else None,
            "options": options,
            "searched": bool(request.GET.get("person", "").strip()),
        },
    )
