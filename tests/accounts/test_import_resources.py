"""Importing departments, positions and people (helpdesk.accounts.imports):
what each row does, why a bad row is refused — with its line — and that a
file with a refused row, or a dry run, writes nothing at all."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from helpdesk.accounts.models import Department, Position, User
from helpdesk.accounts.roles import Role
from tests.accounts.import_helpers import csv_bytes, outcome, run, xlsx_bytes
from tests.factories import DivisionFactory, PositionFactory

pytestmark = pytest.mark.django_db

PEOPLE_HEADER = ["username", "employee_no", "last_name", "first_name", "department", "position", "phone", "office_phone", "email", "active"]


@pytest.fixture
def staff_position(db):
    return PositionFactory(name="사원", name_en="Staff", rank=10)


@pytest.fixture
def manager_position(db):
    return PositionFactory(name="과장", name_en="Manager", rank=30)


def reasons(report, line: int) -> list[str]:
    return [reason for row in report.rows if row.line == line for reason in row.reasons]


# --- departments ------------------------------------------------------------


def test_departments_are_added_and_updated_by_code(org):
    DivisionFactory(code="MGMT", name="경영지원사업부")
    content = csv_bytes(
        [
            ["code", "name", "division"],
            ["PLAN", "경영기획부", "MGMT"],
            ["QA", "품질보증부", "생산사업부"],  # renamed; the division by its name
            ["SVC", "서비스지원부", "PROD"],  # as it is
        ]
    )
    report = run("departments", content)

    assert outcome(report) == [(2, "new", "PLAN"), (3, "update", "QA"), (4, "unchanged", "SVC")]
    assert report.rows[1].changes == ("name",)
    assert report.written
    assert Department.objects.get(code="PLAN").division.code == "MGMT"
    assert Department.objects.get(code="QA").name == "품질보증부"


def test_a_department_of_an_unknown_division_is_refused_and_nothing_is_written(org):
    content = csv_bytes([["code", "name", "division"], ["PLAN", "경영기획부", "PROD"], ["LAB", "시험분석부", "RND"]])
    report = run("departments", content)

    assert outcome(report) == [(2, "new", "PLAN"), (3, "refused", "LAB")]
    assert reasons(report, 3) == ["division: No division has the code or name RND; add the division in the admin first."]
    assert not report.written
    assert not Department.objects.filter(code="PLAN").exists()


# --- positions --------------------------------------------------------------


def test_positions_with_their_ranks_and_the_vip_they_make(settings, staff_position):
    settings.VIP_MIN_RANK = 50
    content = csv_bytes(
        [["name", "name_en", "rank", "vip"], ["사원", "Staff", "10", "N"], ["부장", "General Manager", "50", "Y"], ["상무", "Director", "60", ""]]
    )
    report = run("positions", content)

    assert outcome(report) == [(2, "unchanged", "사원"), (3, "new", "부장"), (4, "new", "상무")]
    assert "VIP" in report.rows[1].summary and "VIP" not in report.rows[0].summary
    assert Position.objects.get(name="부장").is_vip


def test_a_vip_flag_that_disagrees_with_the_rank_and_a_rank_that_is_not_a_number_are_refused(settings, db):
    settings.VIP_MIN_RANK = 50
    content = csv_bytes([["name", "rank", "vip"], ["차장", "40", "Y"], ["부장", "오십", ""], ["사원", "10", "N"]])
    report = run("positions", content)

    assert [row.action for row in report.rows] == ["refused", "refused", "new"]
    assert reasons(report, 2) == ["rank: VIP follows from the rank: positions ranked 50 or higher are VIP."]
    assert reasons(report, 3) == ["rank: Write a whole number, not 오십."]
    assert not Position.objects.exists()


# --- people -----------------------------------------------------------------


def test_a_new_person_gets_the_customer_role_and_no_password(org, staff_position):
    content = csv_bytes(
        [PEOPLE_HEADER, ["Seoyeon.Park", "N2025001", "박", "서연", "QA", "Staff", "010-2480-1357", "052-203-2102", "seoyeon.park@example.com", "Y"]],
        encoding="cp949",
    )
    report = run("people", content)

    assert outcome(report) == [(2, "new", "Seoyeon.Park")]
    person = User.objects.get(username="seoyeon.park")  # usernames as the directory signs them in: lower case
    assert person.display_name == "박서연"
    assert (person.department, person.position) == (org.customer_dept, staff_position)
    assert (person.phone.as_e164, person.office_phone.as_e164) == ("+821024801357", "+82522032102")
    assert not person.has_usable_password()
    assert list(person.groups.values_list("name", flat=True)) == [Role.CUSTOMER]


def test_a_known_person_is_updated_and_an_unchanged_one_left_alone(org, staff_position, manager_position):
    customer = org.customer
    row = [customer.username, customer.employee_no, customer.last_name, customer.first_name, "QA", "", customer.phone.as_e164, "", customer.email, "Y"]
    moved = [org.other_customer.username, org.other_customer.employee_no, "이", "영희", "SVC", "과장", "", "", org.other_customer.email, "N"]
    report = run("people", csv_bytes([PEOPLE_HEADER, row, moved]))

    assert outcome(report) == [(2, "unchanged", "customer"), (3, "update", "other")]
    assert set(report.rows[1].changes) == {"department", "position", "phone", "active"}
    org.other_customer.refresh_from_db()
    assert org.other_customer.department == org.maintenance_dept
    assert org.other_customer.position == manager_position
    assert not org.other_customer.is_active
    assert org.other_customer.has_usable_password()  # an update never touches the password
    assert Group.objects.get(name=Role.CUSTOMER) in org.other_customer.groups.all()


def test_bad_people_rows_are_refused_with_their_line_and_reason(org, staff_position):
    content = csv_bytes(
        [
            PEOPLE_HEADER,
            ["ok.person", "N1", "김", "하나", "QA", "사원", "010-2480-1357", "", "ok@example.com", "Y"],
            ["", "N2", "이", "둘", "QA", "", "", "", "", ""],
            ["bad.dept", "N3", "박", "셋", "ZZ", "", "", "", "", ""],
            ["bad.position", "N4", "최", "넷", "QA", "인턴", "", "", "", ""],
            ["bad.phone", "N5", "정", "다섯", "QA", "", "12345", "", "", ""],
            ["bad.email", "N6", "강", "여섯", "QA", "", "", "", "not-an-address", ""],
            ["bad.active", "N7", "조", "일곱", "QA", "", "", "", "", "maybe"],
            ["taken.number", org.customer.employee_no, "윤", "여덟", "QA", "", "", "", "", ""],
            ["OK.PERSON", "N9", "장", "아홉", "QA", "", "", "", "", ""],
        ]
    )
    report = run("people", content)

    assert [row.action for row in report.rows] == ["new"] + ["refused"] * 8
    assert reasons(report, 3) == ["username: This column must not be empty."]
    assert reasons(report, 4) == ["department: No department has the code ZZ."]
    assert reasons(report, 5) == ["position: No position is called 인턴; import the positions first, or add it in the admin."]
    assert reasons(report, 6) == ["phone: 12345 is not a Korean phone number."]
    assert reasons(report, 7) == ["email: Enter a valid email address."]
    assert reasons(report, 8) == ["active: Write Y or N (yes or no), not maybe."]
    assert reasons(report, 9) == ["employee_no: User with this Employee number already exists."]
    assert reasons(report, 10) == ["username: OK.PERSON appears again in this file (first on line 2)."]
    # Nothing half-imported: the good first row is not written either.
    assert not report.written
    assert not User.objects.filter(username="ok.person").exists()


def test_people_without_an_employee_number_do_not_clash(org):
    content = xlsx_bytes([PEOPLE_HEADER[:5], ["one", None, "김", "일", "QA"], ["two", "", "이", "이", "QA"]])
    report = run("people", content, "people.xlsx")

    assert [row.action for row in report.rows] == ["new", "new"]
    assert list(User.objects.filter(username__in=["one", "two"]).values_list("employee_no", flat=True)) == [None, None]


def test_a_dry_run_writes_nothing(org, staff_position):
    report = run("people", csv_bytes([PEOPLE_HEADER[:5], ["new.person", "N77", "김", "새롬", "QA"]]), dry_run=True)

    assert outcome(report) == [(2, "new", "new.person")]
    assert not report.written
    assert not User.objects.filter(username="new.person").exists()
