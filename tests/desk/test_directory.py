"""OV1, PH2: the staff directory — who handles which departments and equipment,
their phone, and whether they are available or away with a named backup;
searchable by name, team, department or topic."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from desk.models import TeamAssetType
from desk.selectors import staff_directory
from helpdesk.accounts.roles import Role
from helpdesk.accounts.services import absence_create
from tests import factories as f
from tests.helpers.clock import NOW
from tickets.models import AssetType, FaultCategory

pytestmark = pytest.mark.django_db


@pytest.fixture
def handled(org):
    # Topics come from the categories there are: only the organisation's own here
    # (the reviewed set the migration seeds would add, say, desktops' "No network").
    FaultCategory.objects.exclude(pk=org.category.pk).delete()
    TeamAssetType.objects.create(team=org.team, asset_type=AssetType.DESKTOP)
    TeamAssetType.objects.create(team=org.team, asset_type=AssetType.PRINTER)
    TeamAssetType.objects.create(team=org.other_team, asset_type=AssetType.NETWORK)


def names(q: str = "") -> set[str]:
    return {u.username for u in staff_directory(q)}


def test_ov1_everyone_who_handles_work_is_listed_and_customers_are_not(org, handled):
    assert names() == {"engineer", "netengineer", "lead", "desk", "admin"}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("박준호", {"engineer"}),
        ("박 준호", {"engineer"}),
        ("네트워크팀", {"netengineer"}),
        ("품질관리", {"engineer", "lead", "desk"}),
        ("Printer", {"engineer", "lead", "desk"}),
        ("printer", {"engineer", "lead", "desk"}),
        ("Network", {"netengineer"}),
        ("전원 불량", {"engineer", "lead", "desk"}),  # a fault category of desktops
        ("No power", {"engineer", "lead", "desk"}),
        ("없는 주제", set()),
    ],
)
def test_ph2_search_by_name_team_department_or_topic(org, handled, q, expected):
    assert names(q) == expected


def test_ov1_ov5_the_page_shows_team_phone_departments_equipment_and_who_covers(org, handled, frozen, client_for):
    absence_create(user=org.engineer, backup=org.lead, starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(days=1))
    client = client_for(org.customer)  # customers find their handler too (OV1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("desk:directory"), {"q": org.engineer.display_name}).content.decode()
    assert org.team.name in html and org.engineer.phone_display in html
    assert "품질관리부" in html and "Desktop PC" in html and "Printer" in html
    assert "Away" in html and f"backup {org.lead.display_name}" in html
    lead_html = client.get(reverse("desk:directory"), {"q": org.lead.display_name}).content.decode()
    assert "Available" in lead_html and "team lead" in lead_html


@pytest.mark.parametrize("people", [3, 30])
def test_the_directory_costs_the_same_queries_for_3_or_30_people(org, handled, frozen, client_for, people, django_assert_max_num_queries):
    teams = [f.TeamFactory(department=org.maintenance_dept) for _ in range(3)]
    for team in teams:
        team.served_departments.add(org.customer_dept)
        TeamAssetType.objects.create(team=team, asset_type=AssetType.LAPTOP)
    staff = [f.UserFactory(team=teams[i % 3], department=org.maintenance_dept, roles=[Role.ENGINEER]) for i in range(people)]
    absence_create(user=staff[0], backup=staff[-1] if people > 1 else org.lead, starts_at=NOW - timedelta(hours=1),
                   ends_at=NOW + timedelta(hours=3))
    client = client_for(org.desk_agent)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("desk:directory"))
    assert response.status_code == 200
    assert response.content.decode().count('class="list-group-item"') == min(people + 5, 25)
