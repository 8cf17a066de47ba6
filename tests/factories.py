"""Factories (factory-boy, Faker ko_KR) and the named organisation used by tests."""
from __future__ import annotations

from dataclasses import dataclass

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from helpdesk.accounts.models import Department, Division, Position, Team, User
from helpdesk.accounts.roles import Role
from tickets.models import Asset, AssetType, FaultCategory, SymptomQuestion, Ticket

factory.Faker._DEFAULT_LOCALE = "ko_KR"

# Every user the factories make signs in with this password (the browser journeys type it).
PASSWORD = "pw-charterdesk-1"


class DivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Division

    name = factory.Sequence(lambda n: f"사업부{n}")
    code = factory.Sequence(lambda n: f"DIV{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    division = factory.SubFactory(DivisionFactory)
    name = factory.Sequence(lambda n: f"부서{n}")
    code = factory.Sequence(lambda n: f"DEP{n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"팀{n}")
    code = factory.Sequence(lambda n: f"TEAM{n}")
    handles_tickets = True


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ("name",)

    name = "사원"
    name_en = "Staff"
    rank = 10


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    employee_no = factory.Sequence(lambda n: f"E{n:06d}")
    last_name = factory.Faker("last_name")
    first_name = factory.Faker("first_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.co.kr")
    # 010-2000… to 010-4999…: all valid to phonenumbers (010-5970 to 010-5999 are
    # not, and a sequence that reached them made a journey fail at random).
    phone = factory.Sequence(lambda n: f"010-{2000 + n % 3000:04d}-{n % 10000:04d}")
    department = factory.SubFactory(DepartmentFactory)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    tag = factory.Sequence(lambda n: f"PC-{n:06d}")
    asset_type = AssetType.DESKTOP
    model_name = "OptiPlex 7010"
    department = factory.LazyAttribute(lambda a: a.owner.department if a.owner else DepartmentFactory())
    owner = None


class FaultCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FaultCategory

    asset_type = AssetType.DESKTOP
    name = factory.Sequence(lambda n: f"부팅 불가 {n}")
    name_en = factory.Sequence(lambda n: f"Does not boot {n}")
    code = factory.Sequence(lambda n: f"cat-{n}")


class SymptomQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SymptomQuestion

    category = factory.SubFactory(FaultCategoryFactory)
    text = "전원 램프가 켜집니까?"
    text_en = "Does the power lamp light up?"
    answer_type = SymptomQuestion.AnswerType.YES_NO
    required = True


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    title = factory.Sequence(lambda n: f"PC가 켜지지 않습니다 {n}")
    reporter = None
    reporter_name = factory.LazyAttribute(lambda t: t.reporter.display_name if t.reporter else "홍길동")
    reporter_department = factory.LazyAttribute(
        lambda t: t.reporter.department if t.reporter else DepartmentFactory()
    )
    created_at = factory.LazyFunction(timezone.now)


@dataclass
class Org:
    division: Division
    customer_dept: Department
    maintenance_dept: Department
    team: Team
    other_team: Team
    customer: User
    other_customer: User
    engineer: User
    other_engineer: User
    lead: User
    desk_agent: User
    admin: User
    category: FaultCategory
    asset: Asset


def org_make() -> Org:
    """A small company: one customer department, one maintenance department with two teams."""
    division = DivisionFactory(name="생산사업부", code="PROD")
    customer_dept = DepartmentFactory(division=division, name="품질관리부", code="QA")
    maintenance_dept = DepartmentFactory(division=division, name="서비스지원부", code="SVC")
    team = TeamFactory(department=maintenance_dept, name="업무지원팀", code="DESK")
    other_team = TeamFactory(department=maintenance_dept, name="네트워크팀", code="NET")
    team.served_departments.add(customer_dept)
    customer = UserFactory(username="customer", last_name="김", first_name="민수", department=customer_dept, roles=[Role.CUSTOMER])
    other_customer = UserFactory(username="other", last_name="이", first_name="영희", department=customer_dept, roles=[Role.CUSTOMER])
    engineer = UserFactory(username="engineer", last_name="박", first_name="준호", department=maintenance_dept, team=team, roles=[Role.ENGINEER])
    other_engineer = UserFactory(username="netengineer", last_name="최", first_name="동욱", department=maintenance_dept, team=other_team, roles=[Role.ENGINEER])
    lead = UserFactory(username="lead", last_name="정", first_name="세훈", department=maintenance_dept, team=team, roles=[Role.TEAM_LEAD])
    team.lead = lead
    team.save()
    desk_agent = UserFactory(username="desk", last_name="한", first_name="지민", department=maintenance_dept, team=team, roles=[Role.DESK_AGENT])
    admin = UserFactory(username="admin", last_name="관", first_name="리자", department=maintenance_dept, roles=[Role.ADMIN], is_staff=True, is_superuser=True)
    category = FaultCategoryFactory(name="전원 불량", name_en="No power", code="pc-power")
    SymptomQuestionFactory(category=category)
    asset = AssetFactory(owner=customer, department=customer_dept, tag="PC-000001")
    return Org(
        division=division,
        customer_dept=customer_dept,
        maintenance_dept=maintenance_dept,
        team=team,
        other_team=other_team,
        customer=customer,
        other_customer=other_customer,
        engineer=engineer,
        other_engineer=other_engineer,
        lead=lead,
        desk_agent=desk_agent,
        admin=admin,
        category=category,
        asset=asset,
    )


# People of the organisation that only some tests need, made on demand (the
# root conftest's section_chief, approver and auditor fixtures), so that every
# other test's organisation stays as small as org_make() leaves it.


def section_chief_make(org: Org) -> User:
    """The maintenance department's section chief (과장), in no team: found by
    department (escalation level 3, a team without a lead), over every team."""
    return UserFactory(
        username="chief", last_name="오", first_name="과장", department=org.maintenance_dept,
        roles=[Role.SECTION_CHIEF],
    )


def approver_make(org: Org) -> User:
    """The approver, in the IT strategy department (정보전략부)."""
    department = DepartmentFactory(division=org.division, name="정보전략부", code="ITS")
    return UserFactory(
        username="approver", last_name="문", first_name="상철", department=department, roles=[Role.APPROVER]
    )


def auditor_make(org: Org) -> User:
    """The auditor, in the audit department (감사부)."""
    department = DepartmentFactory(division=org.division, name="감사부", code="AUD")
    return UserFactory(
        username="auditor", last_name="남", first_name="지현", department=department, roles=[Role.AUDITOR]
    )
