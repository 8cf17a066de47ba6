"""Importing assets from the asset register (tickets.imports): an Excel file
with Korean headings and real dates; owners by username or employee number;
a person's department taken from them; duplicated tags, unknown owners and
departments, impossible dates refused with their lines — and then nothing
written; the admin's preview and confirmation on the asset list."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.accounts.import_helpers import csv_bytes, outcome, run, xlsx_bytes
from tickets.models import Asset, AssetType

pytestmark = pytest.mark.django_db

HEADER = ["자산번호", "종류", "모델명", "일련번호", "사용자", "부서코드", "위치", "설치일"]


def test_an_excel_asset_register_with_korean_headings(org):
    content = xlsx_bytes(
        [
            HEADER,
            ["NB-000101", "노트북", "LG gram 16", "LG16G01", org.customer.username, None, "본관 3층", datetime(2024, 3, 15)],
            ["MON-000102", "Monitor", "Dell P2723DE", "CN0P27", org.other_customer.employee_no, "", "본관 3층", "2024.03.15"],
            ["PRN-000103", "printer", "Canon iR-ADV", "CNR39", None, "SVC", "별관 1층", 20220620],
        ],
        sheet="자산대장",
    )
    report = run("assets", content, "자산대장.xlsx")

    assert outcome(report) == [(2, "new", "NB-000101"), (3, "new", "MON-000102"), (4, "new", "PRN-000103")]
    laptop, monitor, printer = (Asset.objects.get(tag=t) for t in ("NB-000101", "MON-000102", "PRN-000103"))
    assert (laptop.asset_type, laptop.owner, laptop.department) == (AssetType.LAPTOP, org.customer, org.customer_dept)
    assert laptop.installed_on == date(2024, 3, 15)
    assert monitor.owner == org.other_customer and monitor.installed_on == date(2024, 3, 15)
    assert (printer.owner, printer.department, printer.installed_on) == (None, org.maintenance_dept, date(2022, 6, 20))


def test_an_asset_already_registered_is_updated_by_its_tag(org):
    content = csv_bytes([["tag", "type", "model", "owner", "location"], [org.asset.tag, "desktop", "OptiPlex 7010", org.customer.username, "본관 5층"]])
    report = run("assets", content)

    assert outcome(report) == [(2, "update", org.asset.tag)]
    assert report.rows[0].changes == ("location",)
    org.asset.refresh_from_db()
    assert org.asset.location == "본관 5층"


def test_duplicated_tags_unknown_owners_and_departments_are_refused_and_nothing_is_written(org):
    content = csv_bytes(
        [
            ["tag", "type", "owner", "department", "installed_on"],
            ["PC-000201", "desktop", org.customer.username, "", "2023-01-02"],
            ["PC-000202", "desktop", "nobody", "", ""],
            ["PC-000203", "desktop", "", "NOWHERE", ""],
            ["pc-000201", "laptop", org.customer.username, "", ""],
            ["PC-000204", "toaster", "", "QA", ""],
            ["PC-000205", "desktop", "", "QA", "2023-02-30"],
            ["PC-000206", "desktop", "", "QA", "2999-01-01"],
            ["PC-000207", "desktop", "", "", ""],
        ]
    )
    report = run("assets", content)

    today = timezone.localdate()
    refused = {row.line: row.reasons for row in report.rows if row.action == "refused"}
    assert refused == {
        3: ("owner: No person has the username or employee number nobody.",),
        4: ("department: No department has the code NOWHERE.",),
        5: ("tag: pc-000201 appears again in this file (first on line 2).",),
        6: ("type: toaster is not a type of equipment; write one of Desktop PC, Laptop, Monitor, Printer, Network device, Other.",),
        7: ("installed_on: 2023-02-30 is not a date; write it as 2024-03-15.",),
        8: (f"installed_on: Enter a date between {today.year - 30}-01-01 and {today.isoformat()}.",),
        9: ("department: Give the department code, or an owner whose department is known.",),
    }
    assert not report.written
    assert not Asset.objects.filter(tag__in=["PC-000201", "PC-000202"]).exists()


def test_a_tag_written_in_another_case_is_the_same_asset(org):
    # Tags are typed by people: the register's "pc-000001" is our PC-000001.
    report = run("assets", csv_bytes([["tag", "type", "department"], ["pc-000001", "desktop", "QA"]]))
    assert outcome(report) == [(2, "unchanged", "pc-000001")]
    assert Asset.objects.count() == 1


def test_the_asset_admin_previews_and_imports(en_client_for, admin_user, org):
    client = en_client_for(admin_user)
    assert "/admin/tickets/asset/import/" in client.get("/admin/tickets/asset/").content.decode()
    content = xlsx_bytes([HEADER, ["NB-000301", "노트북", "ThinkPad X1", "PF3X1", org.customer.username, "", "본관", date(2024, 1, 5)]])

    preview = client.post("/admin/tickets/asset/import/", {"file": SimpleUploadedFile("assets.xlsx", content)})
    assert "assets.xlsx (Excel): 1 new, 0 changed, 0 unchanged, 0 refused." in preview.content.decode()
    assert not Asset.objects.filter(tag="NB-000301").exists()

    token = preview.context["confirm_form"].initial["upload"]
    done = client.post("/admin/tickets/asset/process_import/", {"upload": token, "file_name": "assets.xlsx"})
    assert done.status_code == 302
    assert Asset.objects.get(tag="NB-000301").owner == org.customer
