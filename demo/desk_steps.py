"""Steps the demo stories (demo.stories) call to meet the fault
gates through the real services, so each demo timeline is one the product
itself would have written. Each returns a `fn(ticket, actor, people)` for
`stories.call(...)`."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from demo import data
from desk.models import ConsentHow, IdentityMethod, PhoneCall, TeamAssetType
from desk.services import (
    call_record,
    call_transfer,
    callback_memo_close,
    callback_memo_create,
    consent_give,
    consent_record,
    diagnosis_record,
    identity_check_record,
    walk_in_log,
    walk_in_serve,
)
from helpdesk.accounts.models import Department, Team, User
from tickets.models import Ticket

Step = Callable[[Ticket, User, dict[str, User]], object]


def identity_by_phone() -> Step:
    """MT3: the caller gave the employee number and phone on their account."""

    def run(ticket: Ticket, actor: User, people: dict[str, User]) -> object:
        reporter = ticket.reporter
        assert reporter is not None and reporter.employee_no, ticket.title
        return identity_check_record(
            ticket=ticket,
            actor=actor,
            method=IdentityMethod.EMPLOYEE_NO_PHONE,
            employee_no=reporter.employee_no,
            phone=str(reporter.phone),
        )

    return run


def identity_in_person(card: str = "") -> Step:
    """MT3: a visitor showed the employee card at the desk."""

    def run(ticket: Ticket, actor: User, people: dict[str, User]) -> object:
        return identity_check_record(ticket=ticket, actor=actor, method=IdentityMethod.IN_PERSON, employee_no=card)

    return run


def diagnosis(findings: str, minutes: int, *, ask_consent: bool = False) -> Step:
    """MT4: the diagnosis and expected duration; optionally asks the customer to agree."""

    def run(ticket: Ticket, actor: User, people: dict[str, User]) -> object:
        return diagnosis_record(
            ticket=ticket, actor=actor, findings=findings, expected_minutes=minutes, ask_consent=ask_consent
        )

    return run


def consent_by_phone() -> Step:
    """MT4: the reporter agreed on the phone; the engineer records it."""

    def run(ticket: Ticket, actor: User, people: dict[str, User]) -> object:
        return consent_record(ticket=ticket, actor=actor, given_by=ticket.reporter_name, how=ConsentHow.PHONE)

    return run


def consent_in_person() -> Step:
    def run(ticket: Ticket, actor: User, people: dict[str, User]) -> object:
        return consent_record(ticket=ticket, actor=actor, given_by=ticket.reporter_name, how=ConsentHow.IN_PERSON)

    return run


def consent_in_portal() -> Step:
    """MT4: the reporter pressed "I agree" in the portal (the step's actor is the reporter)."""

    def run(ticket: Ticket, actor: User, people: dict[str, User]) -> object:
        return consent_give(ticket=ticket, actor=actor)

    return run


# --- Desk demo data (seed_demo) -------------------------------------------------------------

DEMO_MARK = "demo-desk-1"


def desk_demo_ensure(people: dict[str, User], *, now: datetime | None = None) -> int:
    """The equipment each team handles (OV1, from the demo's team specs) and a
    morning at the desk: calls, a transfer, callback memos (one overdue, one
    made) and walk-ins (one waiting). Safe to repeat; returns the calls created."""

    teams = {t.code: t for t in Team.objects.filter(code__in=[spec.code for spec in data.TEAMS])}
    TeamAssetType.objects.bulk_create(
        [
            TeamAssetType(team=teams[spec.code], asset_type=asset_type)
            for spec in data.TEAMS
            if spec.code in teams
            for asset_type in spec.asset_types
        ],
        ignore_conflicts=True,
    )
    if PhoneCall.objects.filter(external_id=DEMO_MARK).exists():
        return 0
    now = now or timezone.now()
    desk, desk2 = people["desk"], people["desk2"]
    customer, customer2, customer4 = people["customer"], people["customer2"], people["customer4"]
    department = {d.pk: d for d in Department.objects.filter(pk__in=[customer.department_id, customer2.department_id, customer4.department_id])}

    first, _ = call_record(agent=desk, rings=2, caller=customer, external_id=DEMO_MARK, received_at=now - timedelta(hours=3))
    call_transfer(call=first, actor=desk, to=people["prneng"], topic="프린터 드라이버 설치", now=first.received_at)
    second, _ = call_record(agent=desk2, seconds_to_answer=11, caller=customer2, received_at=now - timedelta(hours=2))
    made = callback_memo_create(
        actor=desk2, handler=people["engineer"], caller_name=customer2.display_name,
        department=department[customer2.department_id], phone=str(customer2.phone),
        matter="노트북 교체 일정 문의", caller=customer2, call=second, now=second.received_at,
    )
    callback_memo_close(memo=made, actor=people["engineer"], note="다음 주 화요일 교체로 안내함", now=second.received_at + timedelta(minutes=25))
    third, _ = call_record(agent=desk, rings=4, caller=customer4, received_at=now - timedelta(hours=4))
    callback_memo_create(
        actor=desk, handler=people["neteng"], caller_name=customer4.display_name,
        department=department[customer4.department_id], phone=str(customer4.phone),
        matter="실험실 무선 AP 추가 설치 가능 여부", caller=customer4, call=third, now=third.received_at,
    )
    served = walk_in_log(
        actor=desk2, handler=people["engineer"], visitor=customer, visitor_name="",
        department=department[customer.department_id], matter="모니터 케이블 교환", now=now - timedelta(minutes=50),
    )
    walk_in_serve(walk_in=served, actor=people["engineer"], now=served.arrived_at + timedelta(minutes=3))
    walk_in_log(
        actor=people["prneng"], handler=people["engineer"], visitor=customer2, visitor_name="",
        department=department[customer2.department_id], matter="노트북 배터리 점검", now=now - timedelta(minutes=6),
    )
    return 3
