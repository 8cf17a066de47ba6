"""Directory sign-in against a real OpenLDAP (.ci/slapd): through the real
sign-in page, with the directory's password; the account refreshed from the
directory on every sign-in; groups to roles; and the refusals — a wrong
password, a person the directory disabled, the directory down (while the
local administrator still gets in), a directory entry named like the local
administrator."""
from __future__ import annotations

import logging
import socket
import time

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from helpdesk.accounts.models import User
from helpdesk.accounts.roles import Role
from tests.accounts.ldap_helpers import (
    DIRECTORY_PASSWORD,
    ENGINEERS_GROUP,
    LEADS_GROUP,
    directory_person,
    entry_set,
    group_member,
)
from tests.factories import PASSWORD, PositionFactory, UserFactory

LOGIN = "/accounts/login/"
UNREACHABLE = "The company directory cannot be reached"


def sign_in(username: str, password: str, *, ip: str = "10.1.0.1") -> tuple[Client, object]:
    client = Client()
    client.cookies["django_language"] = "en"
    return client, client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in_user(client: Client) -> User | None:
    pk = client.session.get("_auth_user_id")
    return User.objects.get(pk=pk) if pk else None


@pytest.fixture
def positions(db):
    return {
        name: PositionFactory(name=name, name_en=name_en, rank=rank)
        for name, name_en, rank in [("사원", "Staff", 10), ("대리", "Assistant Manager", 20),
                                    ("과장", "Manager", 30), ("부장", "General Manager", 50)]
    }


def test_a_person_signs_in_on_the_sign_in_page_with_the_directory_password(directory, org, positions):
    client, response = sign_in("minji.kim", DIRECTORY_PASSWORD)

    assert response.status_code == 302
    user = signed_in_user(client)
    assert user is not None and user.username == "minji.kim"
    # The account is made from the directory entry: a Korean name, family name first.
    assert (user.last_name, user.first_name, user.display_name) == ("김", "민지", "김민지")
    assert user.email == "minji.kim@charterdesk.test"
    assert user.employee_no == "20190001"
    assert user.department == org.customer_dept  # departmentNumber QA
    assert user.position == positions["사원"]
    assert (user.phone.as_e164, user.office_phone.as_e164) == ("+821023456789", "+82522031101")
    # No local password: the directory's is the only one.
    assert not user.has_usable_password()
    assert user.has_role(Role.CUSTOMER) and not user.has_role(Role.TEAM_LEAD)
    # The next page knows who it is.
    assert client.get("/").status_code in (200, 302)
    assert signed_in_user(client) == user


def test_every_sign_in_refreshes_the_account_from_the_directory(directory, org, positions):
    with directory_person(
        departmentNumber="QA", title="사원", mobile="010-2222-3333", telephoneNumber="052-203-1111",
        mail="first@charterdesk.test", employeeNumber="30000001",
    ) as (uid, dn):
        client, response = sign_in(uid, DIRECTORY_PASSWORD)
        assert response.status_code == 302
        user = User.objects.get(username=uid)
        assert (user.department, user.position, user.phone.as_e164) == (org.customer_dept, positions["사원"], "+821022223333")

        # The person moves to the maintenance department, is promoted and gets a new phone and name.
        entry_set(
            dn, departmentNumber="SVC", title="Manager", mobile="010-4444-5555", sn="정", givenName="다은",
            mail="second@charterdesk.test", telephoneNumber=[],
        )
        client, response = sign_in(uid, DIRECTORY_PASSWORD)
        assert response.status_code == 302

    user.refresh_from_db()
    assert user.department == org.maintenance_dept
    assert user.position == positions["과장"]  # found by its English name too
    assert user.phone.as_e164 == "+821044445555"
    assert user.display_name == "정다은"
    assert user.email == "second@charterdesk.test"
    # An attribute the directory no longer has leaves ours as it was.
    assert user.office_phone.as_e164 == "+82522031111"


def test_a_department_code_nobody_has_keeps_the_old_department_and_is_logged(directory, org, caplog):
    # 윤나라's entry says departmentNumber XX99 and title 선임연구원, which charterdesk does not know.
    known = UserFactory(username="nara.yoon", department=org.customer_dept, position=None)
    with caplog.at_level(logging.WARNING, logger="helpdesk.accounts.directory"):
        client, response = sign_in("nara.yoon", DIRECTORY_PASSWORD)

    assert response.status_code == 302
    known.refresh_from_db()
    assert known.department == org.customer_dept
    assert known.position is None
    assert known.display_name == "윤나라"  # what it does know is still refreshed
    assert "XX99" in caplog.text and "선임연구원" in caplog.text


def test_directory_groups_give_and_take_the_mapped_roles(directory, org):
    # 이태양 is in it-leads (team lead) and engineers (engineer).
    client, response = sign_in("taeyang.lee", DIRECTORY_PASSWORD)
    assert response.status_code == 302
    lead = User.objects.get(username="taeyang.lee")
    assert {Role.TEAM_LEAD, Role.ENGINEER, Role.CUSTOMER} <= set(lead.groups.values_list("name", flat=True))
    assert lead.has_perm("tickets.lead_team")

    with directory_person(departmentNumber="SVC") as (uid, dn):
        group_member(LEADS_GROUP, dn, add=True)
        sign_in(uid, DIRECTORY_PASSWORD)
        person = User.objects.get(username=uid)
        assert person.has_role(Role.TEAM_LEAD)
        # An admin gives a role the mapping does not speak of.
        person.groups.add(Group.objects.get(name=Role.AUDITOR))

        group_member(LEADS_GROUP, dn, add=False)
        group_member(ENGINEERS_GROUP, dn, add=True)
        client, response = sign_in(uid, DIRECTORY_PASSWORD)
        assert response.status_code == 302

    roles = set(User.objects.get(pk=person.pk).groups.values_list("name", flat=True))
    assert Role.TEAM_LEAD not in roles
    assert {Role.ENGINEER, Role.AUDITOR, Role.CUSTOMER} <= roles


def test_a_wrong_directory_password_is_refused(directory, org):
    client, response = sign_in("minji.kim", "not-the-password")

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert signed_in_user(client) is None
    assert not User.objects.filter(username="minji.kim").exists()
    assert UNREACHABLE not in response.content.decode()


def test_a_person_disabled_in_the_directory_cannot_sign_in(directory, org):
    # 최동욱's account is locked by the directory's administrator (pwdAccountLockedTime).
    client, response = sign_in("dongwook.choi", DIRECTORY_PASSWORD)

    assert response.status_code == 200
    assert signed_in_user(client) is None
    assert not User.objects.filter(username="dongwook.choi").exists()


def test_an_account_switched_off_here_stays_off_whatever_the_directory_says(directory, org):
    UserFactory(username="gildong.hong", is_active=False)
    client, response = sign_in("gildong.hong", DIRECTORY_PASSWORD)

    assert response.status_code == 200
    assert signed_in_user(client) is None
    assert not User.objects.get(username="gildong.hong").is_active


def test_when_the_directory_is_down_the_page_says_so_and_the_local_admin_still_signs_in(directory_on, org):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    directory_on(f"ldap://127.0.0.1:{port}", LDAP_TIMEOUT="2")

    client, response = sign_in("minji.kim", DIRECTORY_PASSWORD)
    assert response.status_code == 200
    page = response.content.decode()
    assert UNREACHABLE in page and "call the service desk" in page
    assert signed_in_user(client) is None

    admin, response = sign_in("admin", PASSWORD, ip="10.1.0.2")
    assert response.status_code == 302
    assert signed_in_user(admin) == org.admin
    # The administrator is not told about a directory they did not need.
    assert UNREACHABLE not in admin.get("/admin/").content.decode()
    # Nor are local people with a local password kept out.
    customer, response = sign_in("customer", PASSWORD, ip="10.1.0.3")
    assert response.status_code == 302


def test_a_directory_entry_cannot_take_over_the_local_administrator(directory, org):
    # The directory has a uid=admin with the directory's password.
    client, response = sign_in("admin", DIRECTORY_PASSWORD)
    assert response.status_code == 200
    assert signed_in_user(client) is None

    client, response = sign_in("admin", PASSWORD, ip="10.1.0.4")
    assert response.status_code == 302
    org.admin.refresh_from_db()
    assert org.admin.email == "admin@example.co.kr"  # not the directory's admin@charterdesk.test
    assert org.admin.has_usable_password()


def test_a_directory_that_accepts_but_never_answers_gives_up_after_ldap_timeout(directory_on, org):
    # A hung domain controller, or a firewall that swallows the traffic: the
    # connection opens and nothing comes back.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        directory_on(f"ldap://127.0.0.1:{silent.getsockname()[1]}", LDAP_TIMEOUT="1")
        started = time.monotonic()
        client, response = sign_in("minji.kim", DIRECTORY_PASSWORD)
        waited = time.monotonic() - started

    assert response.status_code == 200
    assert UNREACHABLE in response.content.decode()
    assert waited < 10  # about LDAP_TIMEOUT, not the kernel's minutes
