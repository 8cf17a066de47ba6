"""Who answers for a team (`leads_for`): the one rule every sweep and guard asks.

The team's active lead; the section chiefs of the team's department when the
team has no active lead, or when the lead is the very person the escalation is
about; never an inactive user; nobody at all is [] (the callers log it).
"""
from __future__ import annotations

import pytest

from helpdesk.accounts.models import Team
from helpdesk.accounts.roles import Role
from helpdesk.accounts.selectors import lead_book, leads_for, section_chiefs_of
from tests import factories as f

pytestmark = pytest.mark.django_db



def fresh(team: Team) -> Team:
    """The team as a sweep reads it: its lead loaded with it."""
    return Team.objects.select_related("lead").get(pk=team.pk)


def test_an_active_lead_answers_for_the_team(org, section_chief):
    assert leads_for(fresh(org.team)) == [org.lead]


def test_an_inactive_lead_is_passed_over_for_the_section_chief(org, section_chief):
    org.lead.is_active = False
    org.lead.save()
    assert leads_for(fresh(org.team)) == [section_chief]


def test_a_team_without_a_lead_has_the_section_chief(org, section_chief):
    org.team.lead = None
    org.team.save()
    assert leads_for(fresh(org.team)) == [section_chief]


def test_when_the_lead_is_the_person_it_is_about_the_section_chief_hears(org, section_chief):
    assert leads_for(fresh(org.team), about=org.lead) == [section_chief]
    # About someone else, the lead is the lead.
    assert leads_for(fresh(org.team), about=org.engineer) == [org.lead]


def test_the_person_it_is_about_is_never_told_about_themselves_as_chief(org, section_chief):
    org.team.lead = None
    org.team.save()
    assert leads_for(fresh(org.team), about=section_chief) == []


def test_several_section_chiefs_all_hear_in_a_stable_order_and_only_active_ones_of_the_department(org, section_chief):
    in_a_team = f.UserFactory(
        username="chief2", department=f.DepartmentFactory(), team=org.other_team, roles=[Role.SECTION_CHIEF]
    )
    f.UserFactory(username="retired", department=org.maintenance_dept, roles=[Role.SECTION_CHIEF], is_active=False)
    f.UserFactory(username="elsewhere", department=org.customer_dept, roles=[Role.SECTION_CHIEF])
    f.UserFactory(username="not_a_chief", department=org.maintenance_dept, roles=[Role.TEAM_LEAD])
    org.team.lead = None
    org.team.save()
    # A chief belongs to the department directly, or through one of its teams.
    assert leads_for(fresh(org.team)) == [section_chief, in_a_team]


def test_one_lead_of_several_teams_answers_for_each(org, section_chief):
    org.other_team.lead = org.lead
    org.other_team.save()
    assert leads_for(fresh(org.team)) == leads_for(fresh(org.other_team)) == [org.lead]


def test_nobody_at_all_is_an_empty_list(org):
    org.team.lead = None
    org.team.save()
    assert leads_for(fresh(org.team)) == []
    assert leads_for(None) == []


def test_the_lead_costs_no_query_and_the_fallback_one(org, section_chief, django_assert_num_queries):
    team = fresh(org.team)
    with django_assert_num_queries(0):
        assert leads_for(team) == [org.lead]
    with django_assert_num_queries(1):
        assert leads_for(team, about=org.lead) == [section_chief]


def test_a_lead_book_answers_for_a_batch_of_teams_in_one_query(org, section_chief, django_assert_num_queries):
    remote_team = f.TeamFactory(name="원격지원팀", code="REMOTE")
    far_chief = f.UserFactory(username="farchief", department=remote_team.department, roles=[Role.SECTION_CHIEF])
    org.other_team.lead = None
    org.other_team.save()
    teams = list(Team.objects.select_related("lead").filter(pk__in=[org.team.pk, org.other_team.pk, remote_team.pk]))
    with django_assert_num_queries(1):
        book = lead_book(teams)
    by_pk = {t.pk: t for t in teams}
    with django_assert_num_queries(0):
        assert book.leads_for(by_pk[org.team.pk]) == [org.lead]
        assert book.leads_for(by_pk[org.team.pk], about=org.lead) == [section_chief]
        assert book.leads_for(by_pk[org.other_team.pk]) == [section_chief]
        assert book.leads_for(by_pk[remote_team.pk]) == [far_chief]
        assert book.chiefs_for(by_pk[org.team.pk]) == [section_chief]
        assert book.leads_for(None) == [] and book.chiefs_for(None) == []


def test_an_empty_batch_costs_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert lead_book([]).leads_for(None) == []
        assert section_chiefs_of([]) == {}
