"""The admin's import (helpdesk.accounts.imports.admin_flow), as an admin uses
it: the Import button, a dry-run preview of every row, then the confirmed
import; refused rows shown with line and reason and no way to confirm; a
confirmation judged again; and only those who may add and change the rows
by hand may import them."""
from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission

from helpdesk.accounts.models import Department, User
from tests.accounts.import_helpers import csv_bytes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IMPORT = "/admin/accounts/user/import/"
CONFIRM = "/admin/accounts/user/process_import/"
HEADER = ["username", "last_name", "first_name", "department"]


def upload(client, content: bytes, name: str = "people.csv", url: str = IMPORT):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url, {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def admin(en_client_for, admin_user):
    return en_client_for(admin_user)


def test_the_people_list_has_an_import_button_and_the_page_lists_the_columns(admin):
    assert IMPORT in admin.get("/admin/accounts/user/").content.decode()
    page = admin.get(IMPORT).content.decode()
    for column in ["username", "employee_no", "department", "position", "phone", "office_phone", "active"]:
        assert f"<code>{column}</code>" in page


def test_a_preview_shows_every_row_then_the_confirmed_import_writes_them(admin, org):
    content = csv_bytes(
        [HEADER, ["new.person", "박", "서연", "QA"], [org.customer.username, org.customer.last_name, "민준", "QA"]],
        encoding="cp949",
    )
    preview = upload(admin, content)

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "people.csv (CP949 (EUC-KR)): 1 new, 1 changed, 0 unchanged, 0 refused." in page
    assert 'class="import-new"' in page and 'class="import-update"' in page and "first_name" in page
    assert 'id="import-confirm"' in page
    # Nothing is written by the preview.
    assert not User.objects.filter(username="new.person").exists()

    upload_token = preview.context["confirm_form"].initial["upload"]
    done = admin.post(CONFIRM, {"upload": upload_token, "file_name": "people.csv"})

    assert done.status_code == 302 and done.url == "/admin/accounts/user/"
    assert User.objects.get(username="new.person").display_name == "박서연"
    org.customer.refresh_from_db()
    assert org.customer.first_name == "민준"
    followed = admin.get(done.url).content.decode()
    assert "Imported people.csv: 1 new, 1 changed, 0 unchanged, 0 refused." in followed
    assert LogEntry.objects.filter(object_repr__contains="박서연").exists()
    # The kept file is gone once imported: confirming twice imports nothing twice.
    again = admin.post(CONFIRM, {"upload": upload_token, "file_name": "people.csv"})
    assert again.status_code == 302 and again.url == IMPORT


def test_refused_rows_are_shown_with_line_and_reason_and_cannot_be_confirmed(admin, org):
    content = csv_bytes([HEADER, ["good", "김", "하나", "QA"], ["good", "이", "둘", "QA"], ["bad", "박", "셋", "XX"]])
    page = upload(admin, content).content.decode()

    assert "1 new, 0 changed, 0 unchanged, 2 refused." in page
    assert "Nothing can be imported while 2 rows are refused" in page
    assert "username: good appears again in this file (first on line 2)." in page
    assert "department: No department has the code XX." in page
    assert 'id="import-confirm"' not in page
    assert not User.objects.filter(username="good").exists()


def test_a_confirmation_is_judged_again_and_writes_nothing_when_a_row_is_refused_now(admin, org):
    Department.objects.create(division=org.division, name="임시부", code="TMP")
    preview = upload(admin, csv_bytes([HEADER, ["first", "김", "일", "QA"], ["second", "이", "이", "TMP"]]))
    token = preview.context["confirm_form"].initial["upload"]
    Department.objects.filter(code="TMP").delete()  # someone else, between the two steps

    response = admin.post(CONFIRM, {"upload": token, "file_name": "people.csv"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in page and "department: No department has the code TMP." in page
    assert not User.objects.filter(username="first").exists()


@pytest.mark.parametrize(
    ("post", "says"),
    [({"upload": "0" * 32, "file_name": "people.csv"}, "no longer kept"), ({"upload": "../../etc/passwd", "file_name": "x"}, "no longer kept")],
    ids=["expired", "tampered"],
)
def test_a_confirmation_without_its_file_asks_for_the_file_again(admin, org, post, says):
    response = admin.post(CONFIRM, post, follow=True)
    assert response.redirect_chain[-1][0] == IMPORT
    assert says in response.content.decode()


def test_a_file_that_cannot_be_read_is_refused_beside_the_upload(admin, org):
    response = upload(admin, "name\nMüller\n".encode("cp1252"))
    assert response.status_code == 200
    assert "characters cannot be read" in response.content.decode()
    assert response.context["report"] is None


def test_only_who_may_add_and_change_people_may_import_them(en_client_for, org):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
    client = en_client_for(viewer)
    assert client.get("/admin/accounts/user/").status_code == 200
    assert IMPORT not in client.get("/admin/accounts/user/").content.decode()
    assert client.get(IMPORT).status_code == 403
    assert upload(client, csv_bytes([HEADER, ["x", "김", "일", "QA"]])).status_code == 403
    assert client.post(CONFIRM, {"upload": "0" * 32, "file_name": "x.csv"}).status_code == 403

    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["add_user", "change_user"]))
    assert en_client_for(User.objects.get(pk=viewer.pk)).get(IMPORT).status_code == 200


def test_departments_and_positions_have_their_import_too(admin, org):
    for url, column in [("/admin/accounts/department/import/", "division"), ("/admin/accounts/position/import/", "rank")]:
        response = admin.get(url)
        assert response.status_code == 200 and f"<code>{column}</code>" in response.content.decode()
