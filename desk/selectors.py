"""Every read the desk's pages, panels and sweep need, scoped to the asking user.

Someone else's call, memo or walk-in is a 404, never a 403: the page does not
even confirm that it exists.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, BooleanField, Case, Count, Max, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.http import Http404
from django.utils import timezone

from helpdesk.accounts.models import Absence, Department, User
from tickets.models import OPEN_Q, AssetType, FaultCategory, SymptomQuestion, Ticket, TicketEvent
from tickets.selectors import staff_team_ids

from .models import CallbackMemo, CallTransfer, Consent, Diagnosis, IdentityCheck, PhoneCall, WalkIn

WAITING_BLOCK_LIMIT = 10


def _is_desk(user: User) -> bool:
    """Desk agents (and admins) see every call, memo and walk-in."""
    return user.has_perm("tickets.intake_ticket") or user.has_perm("tickets.view_all_tickets")


# --- Calls ---------------------------------------------------------------------------


def calls_recent(user: User) -> QuerySet[PhoneCall]:
    """The agent's own calls, newest first (desk agents and admins: everyone's)."""
    qs = PhoneCall.objects.select_related("agent", "caller", "caller_department", "ticket")
    if not user.has_perm("tickets.view_all_tickets"):
        qs = qs.filter(agent=user)
    return qs.order_by("-received_at", "-pk")


def call_for(user: User, pk: int) -> PhoneCall:
    if not user.has_perm("tickets.work_ticket"):
        raise Http404
    qs = PhoneCall.objects.select_related(
        "agent", "greeting_team", "caller", "caller__department", "caller__position", "caller_department", "ticket"
    )
    if not _is_desk(user):
        qs = qs.filter(agent=user)
    try:
        return qs.get(pk=pk)
    except PhoneCall.DoesNotExist:
        raise Http404 from None


def call_transfers(call: PhoneCall) -> list[CallTransfer]:
    return list(call.transfers.select_related("from_user", "to_user", "to_user__team", "asked_for"))


@dataclass(frozen=True)
class AnswerStats:
    calls: int
    in_time: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.in_time / self.calls) if self.calls else None


def call_answer_stats(*, since: datetime, until: datetime | None = None, agent: User | None = None) -> AnswerStats:
    """PH1: calls answered before the third ring, in one aggregate."""
    qs = PhoneCall.objects.filter(received_at__gte=since)
    if until is not None:
        qs = qs.filter(received_at__lt=until)
    if agent is not None:
        qs = qs.filter(agent=agent)
    row = qs.aggregate(calls=Count("pk"), in_time=Count("pk", filter=Q(answered_in_time=True)))
    return AnswerStats(calls=row["calls"] or 0, in_time=row["in_time"] or 0)


def open_tickets_of(person: User | None, *, limit: int = 10) -> list[Ticket]:
    """The caller's open tickets, to attach the call to one of them."""
    if person is None:
        return []
    return list(
        Ticket.objects.filter(OPEN_Q, reporter=person)
        .select_related("assignee")
        .order_by("-created_at", "-pk")[:limit]
    )




# --- Callback memos --------------------------------------------------------------------

MEMO_RELATED = ("department", "for_handler", "for_handler__team", "asked_for", "taken_by", "closed_by", "ticket")


class MemoScope:
    MINE = "mine"
    TEAM = "team"
    ALL = "all"
    DONE = "done"


def memo_scopes(user: User) -> list[str]:
    scopes = [MemoScope.MINE]
    if user.has_perm("tickets.lead_team") or user.has_perm("tickets.view_team_tickets"):
        scopes.append(MemoScope.TEAM)
    if _is_desk(user):
        scopes.append(MemoScope.ALL)
    scopes.append(MemoScope.DONE)
    return scopes


def _memos_visible(user: User) -> QuerySet[CallbackMemo]:
    if not user.has_perm("tickets.work_ticket"):
        return CallbackMemo.objects.none()
    if _is_desk(user):
        return CallbackMemo.objects.all()
    scope = Q(for_handler=user) | Q(taken_by=user) | Q(asked_for=user)
    teams = staff_team_ids(user)
    if teams:
        scope |= Q(for_handler__team_id__in=teams)
    return CallbackMemo.objects.filter(scope)


def callback_memos(user: User, scope: str) -> QuerySet[CallbackMemo]:
    """Open memos first due first; 'done' lists the callbacks made, newest first."""
    qs = _memos_visible(user).select_related(*MEMO_RELATED)
    if scope == MemoScope.DONE:
        return qs.filter(closed_at__isnull=False).order_by("-closed_at", "-pk")
    qs = qs.filter(closed_at__isnull=True)
    if scope == MemoScope.MINE:
        qs = qs.filter(for_handler=user)
    elif scope == MemoScope.TEAM:
        qs = qs.filter(for_handler__team_id__in=staff_team_ids(user))
    return qs.order_by("due_at", "pk")


def memo_for(user: User, pk: int) -> CallbackMemo:
    try:
        return _memos_visible(user).select_related(*MEMO_RELATED, "call", "caller").get(pk=pk)
    except CallbackMemo.DoesNotExist:
        raise Http404 from None


def open_memo_count(user: User) -> int:
    return CallbackMemo.objects.filter(for_handler=user, closed_at__isnull=True).count()


def memos_due(now: datetime, *, batch: int) -> list[int]:
    """The sweep's work: memos with a moment that has come (partial index scan)."""
    return list(
        CallbackMemo.objects.filter(next_check_at__lte=now).order_by("next_check_at").values_list("pk", flat=True)[:batch]
    )


# --- Walk-ins ------------------------------------------------------------------------------

WALK_IN_RELATED = ("department", "met_by", "routed_to", "routed_to__team", "asked_for", "served_by", "ticket", "visitor")


def _waiting_for(user: User) -> QuerySet[WalkIn]:
    return WalkIn.objects.filter(routed_to_id=user.pk, served_at__isnull=True)


def walk_ins_waiting_for(user: User, *, limit: int = WAITING_BLOCK_LIMIT) -> list[WalkIn]:
    """OV3: visitors waiting for this person, longest wait first (the queue's head)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        _waiting_for(user).select_related("department", "met_by", "asked_for", "ticket").order_by("arrived_at", "pk")[:limit]
    )


def anyone_waiting_for(user: User) -> bool:
    """Whether anyone waits for this person, from the waiting index alone: on nearly
    every view of the queue nobody does, and the list's joins cost more to plan."""
    return bool(getattr(user, "is_authenticated", False)) and _waiting_for(user).exists()


def walk_ins_visible_to(user: User) -> QuerySet[WalkIn]:
    """The desk sees every visitor; anyone else those they met, were asked for,
    were routed or served. The list and every write on a walk-in use this scope."""
    if not user.has_perm("tickets.work_ticket"):
        return WalkIn.objects.none()
    qs = WalkIn.objects.select_related(*WALK_IN_RELATED)
    if not _is_desk(user):
        qs = qs.filter(Q(routed_to=user) | Q(met_by=user) | Q(asked_for=user) | Q(served_by=user))
    return qs


def walk_ins_list(user: User) -> QuerySet[WalkIn]:
    """Waiting visitors first (longest wait first), then the served ones, newest first."""
    qs = walk_ins_visible_to(user)
    waiting_first = Case(When(served_at__isnull=True, then=Value(0)), default=Value(1), output_field=BooleanField())
    return qs.annotate(_served=waiting_first).order_by("_served", "arrived_at", "-pk")


def walk_in_for(user: User, pk: int) -> WalkIn:
    """A walk-in from the list this person sees; anyone else's is a 404."""
    walk_in = walk_ins_visible_to(user).filter(pk=pk).first()
    if walk_in is None:
        raise Http404
    return walk_in


@dataclass(frozen=True)
class WaitStats:
    served: int
    waiting: int
    average_seconds: float | None
    longest_seconds: int | None


def walk_in_wait_stats(*, since: datetime, until: datetime | None = None) -> WaitStats:
    """OV4: how long visitors waited, in one aggregate."""
    qs = WalkIn.objects.filter(arrived_at__gte=since)
    if until is not None:
        qs = qs.filter(arrived_at__lt=until)
    row = qs.aggregate(
        served=Count("pk", filter=Q(served_at__isnull=False)),
        waiting=Count("pk", filter=Q(served_at__isnull=True)),
        average=Avg("wait_seconds"),
        longest=Max("wait_seconds"),
    )
    return WaitStats(
        served=row["served"] or 0,
        waiting=row["waiting"] or 0,
        average_seconds=row["average"],
        longest_seconds=row["longest"],
    )


# --- The staff directory (OV1, PH2) -----------------------------------------------------------


def _asset_types_matching(q: str) -> list[str]:
    needle = q.casefold()
    return [value for value, label in AssetType.choices if needle in str(label).casefold() or needle in value]


def staff_directory(q: str = "", *, now: datetime | None = None) -> QuerySet[User]:
    """Staff who handle customers' work: team, phone, the departments and equipment
    their team handles, and whether they are away (with the backup named).

    `q` matches a name, a team, a department served, or a topic: an equipment
    type or a fault category ("printer", "부팅") leads to the teams handling it.
    The list costs the same few queries for any number of people."""
    now = now or timezone.now()
    staff = User.objects.filter(is_active=True, groups__permissions__codename="work_ticket")
    q = q.strip()
    if q:
        compact = q.replace(" ", "")
        types = _asset_types_matching(q)
        category_types = FaultCategory.objects.filter(
            Q(name__icontains=q) | Q(name_en__icontains=q) | Q(questions__text__icontains=q)
        ).values("asset_type")
        match = (
            Q(full_name__icontains=compact)
            | Q(username__iexact=q)
            | Q(employee_no__iexact=q)
            | Q(team__name__icontains=q)
            | Q(team__served_departments__name__icontains=q)
            | Q(team__desk_asset_types__asset_type__in=types)
            | Q(team__desk_asset_types__asset_type__in=category_types)
        )
        staff = staff.annotate(full_name=Concat("last_name", "first_name")).filter(match)
    # The joins above repeat people; filtering by the ids keeps the outer query plain.
    return (
        User.objects.filter(pk__in=staff.values("pk"))
        .select_related("team", "team__department", "position")
        .prefetch_related(
            Prefetch(
                "team__served_departments",
                queryset=Department.objects.order_by("name"),
            ),
            "team__desk_asset_types",
            Prefetch(
                "absences",
                queryset=Absence.objects.covering(now).select_related("backup", "backup__team").order_by("ends_at"),
                to_attr="current_absences",
            ),
        )
        .order_by("team__name", "last_name", "first_name", "pk")
    )


# --- The gates panel --------------------------------------------------------------------------


@dataclass
class Gates:
    """Everything the MT3/MT4 panels show, loaded in a fixed number of queries."""

    identity: IdentityCheck | None
    diagnosis: Diagnosis | None
    consent: Consent | None
    earlier_diagnoses: int
    questions: list[SymptomQuestion]

    @property
    def identity_confirmed(self) -> bool:
        return self.identity is not None

    @property
    def consent_needed(self) -> bool:
        return self.diagnosis is not None and self.consent is None


def gates_for(ticket: Ticket, *, with_questions: bool = False, with_identity: bool = True) -> Gates:
    identity = (
        IdentityCheck.objects.filter(ticket_id=ticket.pk).select_related("checked_by").order_by("at", "pk").first()
        if with_identity
        else None
    )
    diagnoses = list(
        Diagnosis.objects.filter(ticket_id=ticket.pk)
        .select_related("by")
        .prefetch_related(Prefetch("consents", queryset=Consent.objects.select_related("recorded_by")))
        .order_by("-at", "-pk")[:2]
    )
    latest = diagnoses[0] if diagnoses else None
    consents = list(latest.consents.all()) if latest is not None else []
    questions: list[SymptomQuestion] = []
    if with_questions and ticket.category_id:
        questions = list(SymptomQuestion.objects.filter(category_id=ticket.category_id).order_by("order", "pk"))
    return Gates(
        identity=identity,
        diagnosis=latest,
        consent=consents[0] if consents else None,
        earlier_diagnoses=len(diagnoses) - 1 if diagnoses else 0,
        questions=questions,
    )


@dataclass(frozen=True)
class Cover:
    """OV5 on the customer's page: the handler is away and someone else covers."""

    absent_name: str
    backup_name: str
    backup_team: str
    backup_phone: str
    until: datetime | None


def cover_for(ticket: Ticket, *, now: datetime | None = None) -> Cover | None:
    """Who covers the customer's work: the backup the assignment was routed to, or
    the current handler's backup while they are away."""
    now = now or timezone.now()
    handler = ticket.assignee
    if handler is None:
        return None
    absence = (
        Absence.objects.covering(now).filter(user_id=handler.pk).select_related("backup", "backup__team").first()
    )
    if absence is not None:
        backup = absence.backup
        return Cover(
            absent_name=handler.display_name,
            backup_name=backup.display_name,
            backup_team=backup.team.name if backup.team_id else "",
            backup_phone=backup.phone_display,
            until=absence.ends_at,
        )
    routed = (
        TicketEvent.objects.filter(ticket_id=ticket.pk, kind=TicketEvent.Kind.ROUTED_TO_BACKUP)
        .order_by("-created_at", "-pk")
        .values_list("data", flat=True)
        .first()
    )
    if routed and routed.get("backup") == str(handler):
        until = routed.get("until")
        return Cover(
            absent_name=routed.get("absent", ""),
            backup_name=handler.display_name,
            backup_team=handler.team.name if handler.team_id else "",
            backup_phone=handler.phone_display,
            until=datetime.fromisoformat(until) if until else None,
        )
    return None


def today_start(now: datetime | None = None) -> datetime:
    local = timezone.localtime(now or timezone.now())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def week_start(now: datetime | None = None) -> datetime:
    start = today_start(now)
    return start - timedelta(days=start.weekday())


def phone_agent_named(name: str) -> User | None:
    """The agent a phone system names, by username or employee number (the
    phone endpoint and the API's calls take the same names)."""
    return (
        User.objects.filter(is_active=True)
        .filter(Q(username=name) | Q(employee_no__iexact=name))
        .select_related("team")
        .first()
    )
