"""Permissions kept in the cache between requests (helpdesk/accounts/permission_cache.py):
read once, then no query, and every change that moves a permission is seen at once."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpdesk.accounts.models import User
from helpdesk.accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WORK = "tickets.work_ticket"


def fresh(user: User) -> User:
    """The person as the next request loads them (no per-object cache)."""
    return User.objects.get(pk=user.pk)


def perm_queries(user: User, perm: str = WORK) -> tuple[bool, int]:
    with CaptureQueriesContext(connection) as queries:
        answer = user.has_perm(perm)
    return answer, len(queries.captured_queries)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_second_request_reads_no_permission_query():
    engineer = UserFactory(roles=[Role.ENGINEER])
    assert perm_queries(fresh(engineer)) == (True, 2)  # ModelBackend's two reads, then kept
    assert perm_queries(fresh(engineer)) == (True, 0)
    assert perm_queries(fresh(engineer), "tickets.lead_team") == (False, 0)


def test_a_new_group_counts_at_once():
    person = UserFactory(roles=[Role.CUSTOMER])
    assert fresh(person).has_perm(WORK) is False
    person.groups.add(Group.objects.get(name=Role.ENGINEER))
    assert fresh(person).has_perm(WORK) is True


def test_a_group_removed_counts_at_once():
    engineer = UserFactory(roles=[Role.ENGINEER])
    assert fresh(engineer).has_perm(WORK) is True
    engineer.groups.remove(Group.objects.get(name=Role.ENGINEER))
    assert fresh(engineer).has_perm(WORK) is False


def test_a_permission_taken_from_the_group_counts_at_once():
    engineer = UserFactory(roles=[Role.ENGINEER])
    assert fresh(engineer).has_perm(WORK) is True
    group = Group.objects.get(name=Role.ENGINEER)
    group.permissions.remove(Permission.objects.get(codename="work_ticket", content_type__app_label="tickets"))
    assert fresh(engineer).has_perm(WORK) is False


def test_own_permission_counts_at_once():
    person = UserFactory(roles=[Role.CUSTOMER])
    assert fresh(person).has_perm(WORK) is False
    person.user_permissions.add(Permission.objects.get(codename="work_ticket", content_type__app_label="tickets"))
    assert fresh(person).has_perm(WORK) is True


def test_superuser_and_inactive_follow_the_person():
    person = UserFactory(roles=[Role.CUSTOMER])
    assert fresh(person).has_perm(WORK) is False
    User.objects.filter(pk=person.pk).update(is_superuser=True)  # behind the signals' back
    assert fresh(person).has_perm(WORK) is True
    User.objects.filter(pk=person.pk).update(is_superuser=False, is_active=False)
    assert fresh(person).has_perm(WORK) is False


def test_a_signed_in_page_reads_permissions_from_the_cache(client):
    engineer = UserFactory(roles=[Role.ENGINEER])
    client.force_login(engineer)
    client.get(reverse("staff:queue"))  # the first request fills the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("staff:queue")).status_code == 200
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]


def test_another_persons_new_group_leaves_ones_own_cache_alone():
    engineer = UserFactory(roles=[Role.ENGINEER])
    fresh(engineer).has_perm(WORK)
    UserFactory(roles=[Role.ENGINEER])  # someone else joins a group
    assert perm_queries(fresh(engineer)) == (True, 0)


def test_people_added_from_the_groups_side_count_at_once():
    person = UserFactory(roles=[Role.CUSTOMER])
    assert fresh(person).has_perm(WORK) is False
    Group.objects.get(name=Role.ENGINEER).user_set.add(person)
    assert fresh(person).has_perm(WORK) is True
    Group.objects.get(name=Role.ENGINEER).user_set.clear()
    assert fresh(person).has_perm(WORK) is False
