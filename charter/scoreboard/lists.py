"""The rows behind a scoreboard figure: the very queryset the rollup counted
(`charter.scoreboard.sources`), limited to the period and the scope, newest
first, each row described the same way whatever its kind (a ticket, a call,
a visit, a survey…) for one list template."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.core.replica import reporting_alias
from helpdesk.core.times import local_text
from standards.models import StandardVersion
from standards.selectors import standard_by_id

from .measures import Measure
from .periods import Period
from .rollup import local_midnight, standard_stretches
from .selectors import Scope
from .sources import SOURCES, Source


def period_bounds(period: Period, now: datetime | None = None) -> tuple[datetime, datetime]:
    """[start, end) of the period; today ends now (what the live rollup counted)."""
    now = now or timezone.now()
    return local_midnight(period.first), min(local_midnight(period.last + timedelta(days=1)), now)


def _scoped(source: Source, qs: QuerySet[Any], scope: Scope) -> QuerySet[Any]:
    if scope.engineer_id is not None:
        if source.engineer is None:
            return qs.none()
        return qs.filter(**{source.engineer: scope.engineer_id})
    if scope.team_ids is not None:
        return qs.filter(**{f"{source.team}__in": list(scope.team_ids)})
    return qs


def _judged_by_day(source: Source, stretches: list[tuple[date, date, int | None]]) -> Case:
    """Whether each row kept the promise by the standard in force at the end of
    its day, as the rollup judged it, when another standard came into force
    within the period (the SV1 tolerance changed on the 15th: a visit of the 3rd
    stays judged by the old one)."""
    return Case(
        *(
            When(
                Q(**{
                    f"{source.moment}__gte": local_midnight(first),
                    f"{source.moment}__lt": local_midnight(last + timedelta(days=1)),
                }),
                then=Exists(source.queryset(standard_by_id(pk)).filter(pk=OuterRef("pk"), ok=True)),
            )
            for first, last, pk in stretches
        ),
        default=Value(False),
        output_field=BooleanField(),
    )


def measure_rows(
    measure: Measure,
    period: Period,
    scope: Scope,
    standard: StandardVersion | None,
    *,
    missed: bool = False,
    now: datetime | None = None,
) -> QuerySet[Any]:
    """The rows a figure counted (or only those that missed), newest first,
    judged by `standard` (the one in force at the period's end), or day by day
    as the rollup judged them when another standard came into force within it."""
    source = SOURCES[measure.source]
    start, end = period_bounds(period, now)
    qs = source.queryset(standard).using(reporting_alias()).filter(
        **{f"{source.moment}__gte": start, f"{source.moment}__lt": end}
    )
    qs = _scoped(source, qs, scope)
    stretches = standard_stretches(period.first, period.last)
    if source.hits and len(stretches) > 1:
        qs = qs.annotate(ok=_judged_by_day(source, stretches))
    if source.hits and measure.total == source.hits:
        # The figure counts only the source's hits (the mean score: the answered
        # surveys, not every survey sent), so its list holds only those.
        qs = qs.filter(ok=True)
    elif missed and source.hits and measure.kind == "rate":
        qs = qs.filter(ok=False)
    return qs.select_related(*source.related).order_by(f"-{source.moment}", "-pk")


@dataclass(frozen=True)
class ListRow:
    when: datetime | None
    ref: str  # "#123", "전화 45"
    url: str | None
    subject: str
    team: str
    person: str
    ok: bool | None  # None: nothing to judge (a count)
    detail: str


def _name(user: Any) -> str:
    return user.display_name if user is not None else ""


def _team(team: Any) -> str:
    return team.name if team is not None else ""


def _ticket_ref(ticket: Any) -> tuple[str, str | None, str]:
    if ticket is None:
        return "", None, ""
    return f"#{ticket.pk}", reverse("staff:ticket_detail", args=[ticket.pk]), ticket.title


def _minutes(seconds: int | None) -> str:
    if seconds is None:
        return ""
    return _("%(minutes)d min") % {"minutes": (seconds + 59) // 60}


def describe(source_name: str, obj: Any) -> ListRow:
    """One row of the list behind a figure, in the list's common columns."""
    ok = getattr(obj, "ok", None)
    if source_name in ("mt1_done", "mt4_repairs", "bs1_support"):
        ref, url, title = _ticket_ref(obj)
        if source_name == "bs1_support":
            detail = _("requested completion %(moment)s") % {"moment": _local(obj.requested_by)}
        elif source_name == "mt4_repairs":
            detail = _("work started %(moment)s") % {"moment": _local(obj.work_started_at)}
        else:
            detail = _("deadline %(moment)s") % {"moment": _local(obj.resolve_by)}
        return ListRow(obj.resolved_at, ref, url, title, _team(obj.team), _name(obj.assignee), ok, detail)
    if source_name == "mt1_notices":
        ref, url, title = _ticket_ref(obj.ticket)
        detail = _("deadline %(old)s → %(new)s") % {"old": _local(obj.old_deadline), "new": _local(obj.new_deadline)}
        return ListRow(obj.filed_at, ref, url, title, _team(obj.ticket.team), _name(obj.filed_by), ok, detail)
    if source_name == "ph1_calls":
        rings = _("%(n)d rings") % {"n": obj.rings} if obj.rings is not None else _("%(n)d s") % {"n": obj.seconds_to_answer}
        return ListRow(
            obj.received_at, _("call %(pk)d") % {"pk": obj.pk}, reverse("desk:call_detail", args=[obj.pk]),
            obj.caller_name, _team(obj.greeting_team), _name(obj.agent), ok, rings,
        )
    if source_name == "ph3_callbacks":
        detail = _("called back %(moment)s") % {"moment": _local(obj.closed_at)} if obj.closed_at else _("not called back")
        return ListRow(
            obj.due_at, _("memo %(pk)d") % {"pk": obj.pk}, reverse("desk:callback_detail", args=[obj.pk]),
            obj.caller_name, _team(obj.for_handler.team if obj.for_handler else None), _name(obj.for_handler), ok, detail,
        )
    if source_name == "ov4_walk_ins":
        return ListRow(
            obj.served_at, _("walk-in %(pk)d") % {"pk": obj.pk}, None, obj.visitor_name,
            _team(obj.served_by.team if obj.served_by else None), _name(obj.served_by), None, _minutes(obj.wait_seconds),
        )
    if source_name in ("sv1_visits", "sv4_unannounced", "mt2_first_visits", "mt8_vip_visits"):
        ref, _url, title = _ticket_ref(obj.ticket)
        when = {"sv1_visits": obj.checked_in_at, "sv4_unannounced": obj.agreed_start}.get(source_name, obj.checked_out_at)
        if source_name in ("sv1_visits", "sv4_unannounced"):
            detail = _("%(minutes)+d min against the agreed time") % {"minutes": obj.punctuality_minutes or 0}
        elif source_name == "mt2_first_visits":
            detail = obj.get_outcome_display()
        else:
            detail = _("with %(name)s") % {"name": _name(obj.companion)} if obj.companion else _("no companion")
        return ListRow(
            when, ref, reverse("visits:staff_visit", args=[obj.pk]), title, _team(obj.ticket.team),
            _name(obj.engineer), None if source_name == "sv4_unannounced" else ok, detail,
        )
    if source_name in ("mt5_decided", "mt5_resolved"):
        when = obj.decided_at if source_name == "mt5_decided" else obj.resolved_at
        detail = _("%(count)d of %(threshold)d occurrences") % {
            "count": obj.occurrence_count, "threshold": obj.threshold,
        }
        subject = f"{obj.asset} · {obj.category}"
        return ListRow(when, _("asset %(tag)s") % {"tag": obj.asset.tag}, None, subject, _team(obj.team), "", ok, detail)
    if source_name == "bs2_windows":
        plan = obj.version.plan
        ref, url, title = _ticket_ref(plan.ticket)
        return ListRow(obj.starts_at, ref, url, obj.what or title, _team(plan.ticket.team), _name(plan.owner), ok, "")
    if source_name == "bs4_reports":
        ref, url, title = _ticket_ref(obj.ticket)
        return ListRow(obj.report_due_at, ref, url, title, _team(obj.ticket.team), _name(obj.owner), ok, "")
    if source_name in ("cr1_opened", "cr1_closed"):
        ref, url, title = _ticket_ref(obj.ticket)
        when = obj.opened_at if source_name == "cr1_opened" else obj.closed_at
        return ListRow(when, ref, url, obj.reason, _team(obj.team), _name(obj.engineer), None, title)
    if source_name == "cr3_trainings":
        detail = _("completed %(moment)s") % {"moment": _local(obj.completed_at)} if obj.completed_at else _("not completed")
        return ListRow(obj.due_at, _("training %(pk)d") % {"pk": obj.pk}, None, obj.training, _team(obj.team),
                       _name(obj.employee), ok, detail)
    if source_name == "im2_surveys":
        ref, url, title = _ticket_ref(obj.ticket)
        detail = _("score %(score)s") % {"score": obj.overall} if obj.answered_at else _("not answered")
        return ListRow(obj.sent_at, ref, url, title, _team(obj.team), _name(obj.handler), ok, detail)
    if source_name == "cp1_feedback":
        detail = _("answered %(moment)s") % {"moment": _local(obj.answered_at)} if obj.answered_at else _("not answered")
        return ListRow(
            obj.due_at, _("feedback %(pk)d") % {"pk": obj.pk}, reverse("feedback:staff_detail", args=[obj.pk]),
            obj.get_kind_display(), _team(obj.team), _name(obj.handler), ok, detail,
        )
    raise KeyError(source_name)


def _local(moment: datetime | None) -> str:
    return local_text(moment) or "—"


def describe_all(measure: Measure, objects: Iterable[Any]) -> list[ListRow]:
    return [describe(measure.source, obj) for obj in objects]
