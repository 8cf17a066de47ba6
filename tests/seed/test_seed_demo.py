"""`manage.py seed_demo`: the demo organisation, logins, stories and the bulk path."""
from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import Count, F
from django.test import Client, RequestFactory
from django.utils import timezone

from demo import DEMO_PASSWORD, data
from helpdesk.accounts.models import Absence, Department, Position, Team, User
from helpdesk.accounts.phones import phone_format
from helpdesk.accounts.roles import Role
from tickets.lifecycle import Status
from tickets.models import Asset, AssetType, Comment, FaultCategory, SymptomQuestion, Ticket, TicketEvent

LOGINS = ["customer", "vip", "desk", "engineer", "lead", "chief", "admin", "approver", "auditor"]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [User, Department, Team, Position, Asset, FaultCategory, SymptomQuestion, Ticket, TicketEvent,
              Comment, Absence, Group]
    return {m.__name__: m.objects.count() for m in models}


@pytest.fixture
def seeded(db) -> str:
    return seed()


def test_stories_cover_every_lifecycle_status(seeded):
    assert set(Ticket.objects.values_list("status", flat=True)) == set(Status.values)


def test_stories_are_real_timelines_spread_over_past_weeks(seeded):
    now = timezone.now()
    for ticket in Ticket.objects.all():
        events = list(ticket.events.order_by("created_at", "pk"))
        assert events[0].kind == TicketEvent.Kind.CREATED
        assert events[0].created_at == ticket.created_at
        assert all(e.created_at <= now for e in events)
        if ticket.status not in (Status.RECEIVED, Status.CANCELLED):
            assert any(e.kind == TicketEvent.Kind.ASSIGNED for e in events), ticket.title
        if ticket.status == Status.CLOSED:
            assert ticket.resolved_at and ticket.closed_at and ticket.closed_at >= ticket.resolved_at
    assert Ticket.objects.filter(created_at__lt=now - timedelta(days=20)).exists()
    assert Ticket.objects.filter(created_at__gt=now - timedelta(days=3)).exists()
    # Public and internal comments both appear, as events in the timeline.
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.COMMENTED, is_public=True).exists()
    assert TicketEvent.objects.filter(kind=TicketEvent.Kind.COMMENTED, is_public=False).exists()
    # The long timeline the ticket page benchmark opens.
    longest = TicketEvent.objects.values("ticket").annotate(n=Count("pk")).order_by("-n").first()
    assert longest["n"] >= 20


def test_absent_engineer_is_covered_this_week_and_work_routes_to_backup(seeded):
    absent_name, backup_name, _reason = data.ABSENT
    absence = Absence.objects.covering(timezone.now()).get(user__username=absent_name)
    assert absence.backup.username == backup_name
    routed = TicketEvent.objects.get(kind=TicketEvent.Kind.ROUTED_TO_BACKUP)  # OV5
    assert routed.ticket.assignee.username == backup_name


def test_roles_vips_and_organisation(seeded):
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    people = {u.username: u for u in User.objects.filter(username__in=LOGINS + ["customer2"])}
    assert people["vip"].is_vip and not people["customer"].is_vip  # MT8 by rank
    assert people["desk"].has_role(Role.DESK_AGENT) and people["desk"].has_perm("tickets.intake_ticket")
    assert people["chief"].has_role(Role.SECTION_CHIEF)
    assert people["auditor"].has_role(Role.AUDITOR)
    assert people["approver"].has_role(Role.APPROVER)
    assert people["admin"].is_superuser and people["admin"].is_staff
    assert not people["customer"].has_perm("tickets.work_ticket")
    assert Ticket.objects.filter(reporter=people["vip"], reporter_is_vip=True).exists()
    assert User.objects.filter(groups__name=Role.CUSTOMER, position__rank__gte=50).count() > 2
    assert Position.objects.get(name="부장").rank == 50 and Position.objects.get(name="부장").name_en
    assert re.fullmatch(r"010-\d{4}-\d{4}", phone_format(people["customer2"].phone))
    assert people["customer"].last_name == "김" and people["customer"].display_name == "김민수"

    teams = {t.code: t for t in Team.objects.select_related("lead")}
    assert {t.name for t in teams.values()} >= {"업무지원팀", "PC지원팀", "네트워크팀", "프린터지원팀"}
    for team in teams.values():
        assert team.handles_tickets and team.lead is not None and team.phone
        assert team.served_departments.exists()
        assert team.department.name == "서비스지원부"
    assert teams["PC"].lead.username == "lead"
    assert Department.objects.exclude(visit_rules="").count() >= 3  # SV5
    assert Department.objects.values("division").distinct().count() >= 3


def test_assets_and_categories_with_symptom_questions(seeded):
    prefixes = {"PC", "NB", "MN", "PR", "NW"}
    tags = Asset.objects.values_list("tag", flat=True)
    assert {t.split("-")[0] for t in tags} == prefixes
    assert all(re.fullmatch(r"[A-Z]{2}-\d{6}", t) for t in tags)
    assert Asset.objects.filter(owner__username="customer").count() >= 2
    for asset_type in (AssetType.DESKTOP, AssetType.LAPTOP, AssetType.MONITOR, AssetType.PRINTER, AssetType.NETWORK):
        assert FaultCategory.objects.filter(asset_type=asset_type).count() >= 3
    for category in FaultCategory.objects.annotate(n=Count("questions")):
        assert 1 <= category.n <= 3, category.code
        assert category.name_en
    assert SymptomQuestion.objects.filter(text_en="").count() == 0
    kinds = set(SymptomQuestion.objects.values_list("answer_type", flat=True))
    assert kinds == set(SymptomQuestion.AnswerType.values)
    assert FaultCategory.objects.filter(name="용지 걸림", name_en="Paper jam", asset_type=AssetType.PRINTER).exists()


def test_demo_logins_work_with_the_documented_password(seeded):
    assert f"password for all: {DEMO_PASSWORD}" in seeded
    for username in LOGINS:
        assert re.search(rf"^  {username} ", seeded, re.M), username
        # Sign-in goes through the throttle (django-axes), which needs the request.
        assert Client().login(request=RequestFactory().post("/accounts/login/"), username=username, password=DEMO_PASSWORD), username
    assert not Client().login(request=RequestFactory().post("/accounts/login/"), username="customer", password="wrong")


def test_running_twice_does_not_duplicate(seeded):
    before = counts()
    seed()
    assert counts() == before


def test_bulk_tickets_fill_up_to_n_with_valid_rows(seeded):
    stories = Ticket.objects.count()
    story_ids = set(Ticket.objects.values_list("pk", flat=True))
    seed("--tickets", "500", "--batch-size", "120")
    assert Ticket.objects.count() == 500
    bulk = Ticket.objects.exclude(pk__in=story_ids)
    assert bulk.count() == 500 - stories

    # Exactly one "created" event per generated ticket, by its creator, at its time.
    events = TicketEvent.objects.filter(ticket__in=bulk)
    assert events.count() == bulk.count()
    assert events.filter(kind=TicketEvent.Kind.CREATED, actor_id=F("ticket__created_by_id"),
                         created_at=F("ticket__created_at")).count() == bulk.count()

    # Foreign keys that agree with each other.
    assert not bulk.filter(reporter__isnull=False).exclude(reporter_department=F("reporter__department")).exists()
    assert not bulk.filter(asset__isnull=False, category__isnull=False).exclude(
        category__asset_type=F("asset__asset_type")).exists()
    assert not bulk.filter(assignee__isnull=False).exclude(team=F("assignee__team")).exists()
    assert not bulk.filter(status=Status.RECEIVED, assignee__isnull=False).exists()
    assert not bulk.filter(team__handles_tickets=False).exists()
    assert not bulk.filter(status__in=[Status.RESOLVED, Status.CLOSED], resolved_at__isnull=True).exists()
    assert not bulk.filter(created_at__gt=timezone.now()).exists()

    # A realistic mix: mostly finished, a good share open, every kind.
    finished = bulk.filter(status__in=[Status.CLOSED, Status.RESOLVED, Status.CANCELLED]).count()
    assert 0.55 < finished / bulk.count() < 0.85
    assert set(bulk.values_list("kind", flat=True)) == {"fault", "support", "large_work"}
    assert bulk.filter(created_at__lt=timezone.now() - timedelta(days=365)).exists()

    seed("--tickets", "500")
    assert Ticket.objects.count() == 500


# transaction=True: on PostgreSQL, flush's TRUNCATE cannot run inside the test's
# transaction once deferred foreign-key checks are pending.
@pytest.mark.django_db(transaction=True)
def test_reset_then_bulk_path_reproduces_the_same_data_with_the_fixed_seed():
    seed("--tickets", "80")
    first = list(Ticket.objects.order_by("pk").values_list("title", "status", "reporter__username", "priority"))
    seed("--reset", "--force", "--tickets", "80")
    second = list(Ticket.objects.order_by("pk").values_list("title", "status", "reporter__username", "priority"))
    assert first == second


def test_visits_for_the_next_business_day_and_an_advance_delay_notice(seeded):
    from charter.models import DelayNotice
    from visits.models import Visit, VisitState

    visits = {v.ticket.title: v for v in Visit.objects.select_related("ticket", "engineer")}
    assert set(visits) == {"PC가 너무 느립니다", "프린터 용지 걸림", "노트북 배터리가 충전되지 않습니다"}
    now = timezone.now()
    for visit in visits.values():
        assert visit.start > now and timezone.localtime(visit.start).weekday() < 5
    assert visits["PC가 너무 느립니다"].state == VisitState.CONFIRMED  # agreed on the phone
    assert visits["프린터 용지 걸림"].state == VisitState.PROPOSED  # the customer confirms it
    vip = visits["노트북 배터리가 충전되지 않습니다"]
    assert vip.ticket.reporter_is_vip and vip.engineer.username == "lead"  # MT8

    notice = DelayNotice.objects.select_related("ticket").get()
    assert notice.ticket.title == "신규 입사자 PC 설치 요청" and not notice.was_late
    assert notice.new_deadline > notice.old_deadline
    assert notice.ticket.resolve_by == notice.new_deadline and notice.ticket.resolve_by_from_notice

    seed()  # again: nothing booked or filed twice
    assert Visit.objects.count() == 3 and DelayNotice.objects.count() == 1
