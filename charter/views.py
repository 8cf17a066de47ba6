from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from helpdesk.core.errors import ActionRefused
from helpdesk.core.task_runs import task_runs
from standards.selectors import current_standard
from tickets.selectors import ticket_for_staff

from .forms import DelayNoticeForm
from .models import SweepRun
from .panels import deadline_panel_context
from .selectors import escalated_for
from .services import delay_notice_file
from .texts import charter_lines

logger = logging.getLogger(__name__)

PAGE_SIZE = 25
SWEEP_MAX_AGE_SECONDS = 180
BROKER_TIMEOUT_SECONDS = 2


def charter_page(request: HttpRequest) -> HttpResponse:
    language = get_language()
    return render(
        request,
        "charter/charter.html",
        {"lines": charter_lines(language), "original": charter_lines("ko") if language == "en" else None},
    )


# --- MT1: the delay notice -------------------------------------------------------------


@login_required
@require_POST
def delay_notice_file_view(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_for_staff(request.user, pk)
    form = DelayNoticeForm(request.POST)
    if form.is_valid():
        try:
            notice = delay_notice_file(
                ticket=ticket,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                new_date=form.cleaned_data["new_date"],
            )
        except ActionRefused as exc:
            exc.show_on(form)
        else:
            if notice.was_late:
                messages.warning(
                    request,
                    _("The customer has been told. The deadline had already passed, so this notice is recorded as late."),
                )
            else:
                messages.success(request, _("The customer has been told the reason and the new date."))
            target = reverse("staff:ticket_detail", args=[ticket.pk])
            if getattr(request, "htmx", False):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
    context = {"ticket": ticket, **deadline_panel_context(request, ticket, form)}
    if getattr(request, "htmx", False):
        return render(request, "charter/_deadline_panel.html", context)
    return render(request, "charter/delay_notice_page.html", context)


# --- Leads: escalated work -------------------------------------------------------------


@login_required
@permission_required("tickets.lead_team", raise_exception=True)
@require_GET
def escalated_list(request: HttpRequest) -> HttpResponse:
    try:
        min_level = max(1, int(request.GET.get("level", "1")))
    except ValueError:
        min_level = 1
    page = Paginator(escalated_for(request.user, min_level=min_level), PAGE_SIZE).get_page(request.GET.get("page"))
    standard = current_standard()
    levels = [rung.level for rung in standard.rungs] if standard is not None else []  # type: ignore[attr-defined]
    return render(
        request,
        "charter/escalated_list.html",
        {"page": page, "min_level": min_level, "levels": levels, "now": timezone.now()},
    )


# --- /healthz ----------------------------------------------------------------------------


def _database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down" to an operator
        logger.warning("healthz: database check failed: %s", exc)
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor}


def broker_check() -> dict[str, Any]:
    url: str = settings.CELERY_BROKER_URL
    options: dict[str, Any] = dict(getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {})
    transport = url.split("://", 1)[0]
    if transport == "filesystem":
        folders = [options.get("data_folder_in"), options.get("data_folder_out")]
        ok = all(folder and Path(folder).is_dir() for folder in folders)
        return {"ok": ok, "transport": transport}
    try:
        from kombu import Connection

        with Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS, transport_options=options) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception as exc:
        # Never echo the URL: it may carry a password.
        logger.warning("healthz: broker check failed: %s", type(exc).__name__)
        return {"ok": False, "transport": transport, "error": type(exc).__name__}
    return {"ok": True, "transport": transport}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, broker, the deadline sweep's last run and every beat task's, for an
    operator or a probe.

    503 when the database is down or the sweep has not finished within three
    minutes (or never ran): deadlines are then not being kept. The other beat
    tasks are reported (`tasks`) without changing the status."""
    now = timezone.now()
    database = _database()
    broker = broker_check()
    sweep: dict[str, Any] = {"last": None, "age_seconds": None, "ok": False}
    if database["ok"]:
        try:
            finished = SweepRun.objects.filter(pk=1).values_list("finished_at", flat=True).first()
        except Exception as exc:
            database = {"ok": False, "error": type(exc).__name__}
            finished = None
        if finished is not None:
            age = max(0, int((now - finished).total_seconds()))
            sweep = {"last": finished.isoformat(), "age_seconds": age, "ok": age <= SWEEP_MAX_AGE_SECONDS}
    tasks: dict[str, Any] = {}
    if database["ok"]:
        try:
            tasks = _beat_tasks(now)
        except Exception as exc:  # a health probe answers, whatever it finds
            logger.warning("healthz: could not read the task runs: %s", type(exc).__name__)
            tasks = {"error": type(exc).__name__}
    ok = bool(database["ok"] and sweep["ok"])
    return JsonResponse(
        {"ok": ok, "database": database, "broker": broker, "sweep": sweep, "tasks": tasks},
        status=200 if ok else 503,
    )


def _beat_tasks(now: datetime) -> dict[str, Any]:
    """Every beat entry with its task's last run: when it finished, how long ago,
    whether it succeeded and whether it ran within three of its intervals."""
    runs = task_runs()
    entries: dict[str, Any] = {}
    for entry, spec in sorted(settings.CELERY_BEAT_SCHEDULE.items()):
        run = runs.get(spec["task"])
        finished = run.finished_at if run is not None else None
        age = max(0, int((now - finished).total_seconds())) if finished is not None else None
        interval = float(spec["schedule"]) if isinstance(spec["schedule"], (int, float)) else None
        entries[entry] = {
            "task": spec["task"],
            "last": finished.isoformat() if finished is not None else None,
            "age_seconds": age,
            "succeeded": run.ok if run is not None else None,
            "on_time": age is not None and (interval is None or age <= 3 * interval) and bool(run and run.ok),
        }
    return entries
