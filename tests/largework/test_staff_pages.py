"""The staff's plan pages through HTTP (BS2–BS4): who sees them, the plan
edited with its windows and asset list, a refusal shown beside its field with
everything typed kept, the plan submitted, windows recorded, the thread, the
completion report, and a fixed number of queries for the plan page."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from largework.models import CompletionReport, PlanMessage, PlanState, PlanVersion, WindowState, WorkPlan
from largework.services import plan_save
from tests import factories as f
from tests.helpers.clock import kst
from tests.helpers.large_work import content, windows
from tests.largework.staff_steps import PDF, approve, csv_file, record_all, windows_of
from tickets.lifecycle import Status
from tickets.models import Kind

pytestmark = pytest.mark.django_db


def url(name: str, plan: WorkPlan) -> str:
    return reverse(f"largework:{name}", args=[plan.pk])


def window_row(day: str, start: str = "10:00", end: str = "12:00", *, what: str = "", off_hours: bool = False) -> dict[str, str]:
    row = {"start_date": day, "start_time": start, "end_date": "", "end_time": end, "what": what or f"{day} PC 교체",
           "seats_out_minutes": "30"}
    if off_hours:
        row["off_hours_requested"] = "on"
    return row


def edit_data(org, rows: list[dict[str, str]] | None = None, *, empty_rows: int = 3, **changes: object) -> dict[str, object]:
    """What the edit page sends: the plan's content and its window rows (a few left empty)."""
    rows = [window_row("2026-03-05"), window_row("2026-03-06")] if rows is None else rows
    data: dict[str, object] = {
        "title": "품질관리부 PC 일괄 교체",
        "departments": [org.customer_dept.pk],
        "scope": "품질관리부 전 좌석 PC 40대 교체",
        "seats": "40",
        "staffing": "PC지원팀 3명",
        "risks": "데이터 이전 실패 시 기존 PC로 원복",
        "customer_notice": "교체 시간 동안 좌석을 비워 주십시오.",
        "windows-TOTAL_FORMS": str(len(rows) + empty_rows),
        "windows-INITIAL_FORMS": "0",
        "windows-MIN_NUM_FORMS": "0",
        "windows-MAX_NUM_FORMS": "200",
    }
    for i, row in enumerate(rows):
        data.update({f"windows-{i}-{k}": v for k, v in row.items()})
    data.update(changes)
    return data


@pytest.fixture
def approved_plan(plan, org, approver):
    return approve(plan, org, approver)


# --- Who sees the pages ----------------------------------------------------------------------


def test_the_plan_pages_render_for_the_lead(plan, org, client_for):
    page = client_for(org.lead).get(url("plan", plan))
    assert page.status_code == 200
    html = page.content.decode()
    assert "품질관리부 PC 일괄 교체" in html and 'id="plan-state"' in html
    assert url("plan_edit", plan) in html and url("plan_submit", plan) in html
    edit = client_for(org.lead).get(url("plan_edit", plan))
    assert edit.status_code == 200
    html = edit.content.decode()
    # The windows as rows of dates and times, three empty rows, and the "add a window" script.
    assert 'value="2026-03-05"' in html and 'value="10:00"' in html and "5일 PC 교체" in html
    assert edit.context["formset"].total_form_count() == 2 + 3
    assert "largework/plan_edit.js" in html and "<script>" not in html


@pytest.mark.parametrize("who", ["customer", "other_engineer"])
def test_a_customer_and_staff_who_do_not_see_the_request_get_a_404(plan, org, client_for, who):
    client = client_for(getattr(org, who))
    for name in ("plan", "plan_edit"):
        assert client.get(url(name, plan)).status_code == 404
    for name in ("plan_edit", "plan_submit", "plan_message", "plan_report"):
        assert client.post(url(name, plan), edit_data(org)).status_code == 404
    window = windows_of(plan)[0]
    assert client.post(reverse("largework:window_record", args=[window.pk]), {"w-outcome": "done"}).status_code == 404
    plan.refresh_from_db()
    assert plan.state == PlanState.DRAFT and not PlanMessage.objects.exists()


def test_an_engineer_of_the_team_reads_the_plan_but_does_not_edit_it(plan, org, en_client_for):
    client = en_client_for(org.engineer)
    page = client.get(url("plan", plan))
    assert page.status_code == 200 and url("plan_edit", plan) not in page.content.decode()
    response = client.get(url("plan_edit", plan), follow=True)
    assert response.redirect_chain[-1][0] == url("plan", plan)
    assert "or a team lead can change the plan." in response.content.decode()


# --- Opening the plan from the ticket ----------------------------------------------------------


def test_opening_the_plan_goes_to_its_edit_page(work, org, client_for):
    response = client_for(org.lead).post(reverse("largework:plan_open", args=[work.pk]))
    plan = WorkPlan.objects.get(ticket=work)
    assert response.status_code == 302 and response["Location"] == url("plan_edit", plan)


def test_a_refused_opening_is_shown_on_the_ticket_page(org, frozen, en_client_for):
    # The customer's department has no supervising department to approve the work.
    work = f.TicketFactory(kind=Kind.LARGE_WORK, reporter=org.customer, team=org.team, status=Status.DIAGNOSING)
    response = en_client_for(org.lead).post(reverse("largework:plan_open", args=[work.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("staff:ticket_detail", args=[work.pk])
    assert "has no supervising department" in response.content.decode()
    assert not WorkPlan.objects.exists()


# --- Editing ---------------------------------------------------------------------------------


def test_the_lead_saves_the_plan_with_its_windows_and_asset_list(plan, org, client_for):
    asset = f.AssetFactory(department=org.customer_dept, tag="QA-100")
    data = edit_data(
        org,
        [window_row("2026-03-09", what="1차 교체"), window_row("2026-03-10", "19:00", "21:00", what="야간 교체", off_hours=True)],
        title="품질관리부 PC 교체 (수정)",
        asset_file=csv_file([["자산번호", "비고"], ["QA-100", "팀장석"]], encoding="cp949"),
    )
    response = client_for(org.lead).post(url("plan_edit", plan), data)
    assert response.status_code == 302 and response["Location"] == url("plan", plan)
    version = PlanVersion.objects.get(pk=plan.current_id)
    assert version.title == "품질관리부 PC 교체 (수정)" and version.number == 1
    assert [(w.what, w.starts_at, w.off_hours_requested) for w in version.windows.order_by("starts_at")] == [
        ("1차 교체", kst(2026, 3, 9, 10), False),
        ("야간 교체", kst(2026, 3, 10, 19), True),
    ]
    assert [(a.asset, a.note) for a in version.assets.all()] == [(asset, "팀장석")]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([window_row("2026-03-02", what="지난 날 작업")], "Window 1 starts in the past"),
        ([window_row("2026-03-05", what="첫 작업"), window_row("2026-03-05", "11:00", "12:00", what="겹친 작업")], "Windows 1 and 2 overlap"),
        ([window_row("2026-03-05", "19:00", "21:00", what="저녁 작업")], "outside working hours or on a closed day"),
        ([window_row("2026-03-07", what="토요일 작업")], "Window 1 (2026-03-07 10:00) is outside working hours"),
    ],
)
def test_a_bad_window_is_refused_beside_the_windows_keeping_what_was_typed(plan, org, en_client_for, rows, message):
    before = list(PlanVersion.objects.get(pk=plan.current_id).windows.values_list("starts_at", flat=True))
    response = en_client_for(org.lead).post(url("plan_edit", plan), edit_data(org, rows, title="바뀐 제목", staffing="4명"))
    assert response.status_code == 200
    assert any(message in error for error in response.context["window_errors"])
    html = response.content.decode()
    assert 'id="window-errors"' in html and message in html
    # Everything typed is drawn again: the content and every window row.
    assert 'value="바뀐 제목"' in html and "4명</textarea>" in html
    for row in rows:
        assert f'value="{row["start_date"]}"' in html and f'value="{row["start_time"]}"' in html and row["what"] in html
    # Nothing was saved.
    version = PlanVersion.objects.get(pk=plan.current_id)
    assert version.title == "품질관리부 PC 일괄 교체" and list(version.windows.values_list("starts_at", flat=True)) == before


@pytest.mark.parametrize("day", ["9999-01-01", "0001-01-01", "2026-02-30", "20266-03-05", "2029-01-01"])
def test_a_date_the_browser_sends_out_of_range_is_a_message_beside_it(plan, org, en_client_for, day):
    response = en_client_for(org.lead).post(url("plan_edit", plan), edit_data(org, [window_row(day)]))
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors["start_date"]
    assert errors == ["Enter a date between 2024-01-01 and 2028-12-31."] or errors == ["Enter a valid date."]
    assert f'value="{day}"' in response.content.decode()


def test_a_window_row_half_filled_is_named_and_empty_rows_are_skipped(plan, org, en_client_for):
    rows = [window_row("2026-03-05"), {"start_date": "2026-03-06", "what": "시간 없음"}]
    response = en_client_for(org.lead).post(url("plan_edit", plan), edit_data(org, rows))
    assert response.status_code == 200
    assert "start_time" in response.context["formset"].forms[1].errors
    assert response.context["window_rows"][1].number == 2  # labelled "Window 2", as the service would name it


def test_a_removed_window_is_left_out_and_the_rest_renumbered(plan, org, client_for):
    rows = [window_row("2026-03-05", what="뺄 작업"), window_row("2026-03-06", what="남길 작업")]
    data = edit_data(org, rows, **{"windows-0-DELETE": "on"})
    assert client_for(org.lead).post(url("plan_edit", plan), data).status_code == 302
    assert [w.what for w in windows_of(plan)] == ["남길 작업"]


def test_a_bad_asset_list_names_its_lines_beside_the_file_and_keeps_the_rest(plan, org, en_client_for):
    data = edit_data(org, title="자산 포함 계획", asset_file=csv_file([["자산번호"], ["QA-404"]], encoding="cp949"))
    response = en_client_for(org.lead).post(url("plan_edit", plan), data)
    assert response.status_code == 200
    errors = " ".join(response.context["plan_form"].errors["asset_file"])
    assert "Line 2: no asset has the tag QA-404." in errors
    html = response.content.decode()
    assert 'value="자산 포함 계획"' in html and "Correct the file, then choose it again." in html
    assert PlanVersion.objects.get(pk=plan.current_id).title == "품질관리부 PC 일괄 교체"


def test_a_refusal_about_a_field_is_shown_beside_it(plan, org, en_client_for):
    response = en_client_for(org.lead).post(url("plan_edit", plan), edit_data(org, departments=[]))
    assert response.status_code == 200
    assert response.context["plan_form"].errors["departments"]
    response = en_client_for(org.lead).post(url("plan_edit", plan), edit_data(org, staffing="   "))
    assert response.context["plan_form"].errors["staffing"]


def test_editing_an_approved_plan_says_it_writes_a_new_version(approved_plan, org, en_client_for):
    client = en_client_for(org.lead)
    assert 'id="new-version-notice"' in client.get(url("plan_edit", approved_plan)).content.decode()
    assert client.post(url("plan_edit", approved_plan), edit_data(org, seats="45")).status_code == 302
    approved_plan.refresh_from_db()
    assert approved_plan.state == PlanState.DRAFT and approved_plan.current.number == 2


# --- Submitting, recording, the thread, the report -----------------------------------------------


def test_the_plan_is_submitted_from_its_page_and_a_second_submission_is_refused_there(plan, org, en_client_for):
    client = en_client_for(org.lead)
    assert client.post(url("plan_submit", plan)).status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.SUBMITTED
    response = client.post(url("plan_submit", plan))
    assert response.status_code == 200
    assert "already submitted" in " ".join(response.context["submit_form"].non_field_errors())


def test_a_plan_without_windows_is_not_submitted_and_says_so(work, org, en_client_for):
    client = en_client_for(org.lead)
    client.post(reverse("largework:plan_open", args=[work.pk]))
    plan = WorkPlan.objects.get(ticket=work)
    response = client.post(url("plan_submit", plan))
    assert "Complete the plan first" in response.content.decode()


def test_windows_are_recorded_on_the_plan_page_and_a_refusal_keeps_the_note(approved_plan, org, en_client_for, frozen):
    client = en_client_for(org.lead)
    first, second = windows_of(approved_plan)
    record = reverse("largework:window_record", args=[first.pk])
    html = client.get(url("plan", approved_plan)).content.decode()
    assert f'id="record-{first.pk}"' in html and f'id="record-{second.pk}"' in html
    response = client.post(record, {f"w{first.pk}-outcome": "done", f"w{first.pk}-note": "조기 완료"})
    assert response.status_code == 200
    assert "has not started yet" in response.content.decode() and 'value="조기 완료"' in response.content.decode()
    response = client.post(record, {f"w{first.pk}-outcome": "postponed", f"w{first.pk}-note": ""})
    assert "Say why the window is postponed" in " ".join(response.context["rows"][0].form.errors["note"])
    response = client.post(record, {f"w{first.pk}-outcome": "postponed", f"w{first.pk}-note": "고객 요청"})
    assert response.status_code == 302 and response["Location"].endswith("#windows")
    frozen.move_to(kst(2026, 3, 6, 12, 5))
    client.post(reverse("largework:window_record", args=[second.pk]), {f"w{second.pk}-outcome": "done"})
    assert [w.state for w in windows_of(approved_plan)] == [WindowState.POSTPONED, WindowState.DONE]


def test_the_thread_takes_a_message_and_refuses_an_empty_one(plan, org, en_client_for):
    client = en_client_for(org.lead)
    response = client.post(url("plan_message", plan), {"body": "  "})
    assert response.status_code == 200 and response.context["message_form"].errors["body"] == ["Write a message."]
    assert client.post(url("plan_message", plan), {"body": "원복 절차를 보완했습니다."}).status_code == 302
    assert "원복 절차를 보완했습니다." in client.get(url("plan", plan)).content.decode()


def test_the_report_form_appears_once_every_window_is_recorded(approved_plan, org, client_for, frozen):
    client = client_for(org.lead)
    assert 'id="report-form"' not in client.get(url("plan", approved_plan)).content.decode()
    record_all(approved_plan, org, frozen)
    assert 'id="report-form"' in client.get(url("plan", approved_plan)).content.decode()


def test_a_report_without_documents_is_refused_keeping_the_text(approved_plan, org, en_client_for, frozen):
    record_all(approved_plan, org, frozen)
    client = en_client_for(org.lead)
    typed = {"summary": "40대 교체 완료", "by_department": "품질관리부 40대", "exceptions": "", "follow_ups": "재점검"}
    response = client.post(url("plan_report", approved_plan), typed)
    assert response.status_code == 200
    assert "at least one file" in " ".join(response.context["report_form"].errors["attachments"])
    html = response.content.decode()
    assert "40대 교체 완료</textarea>" in html and "재점검</textarea>" in html
    bad = SimpleUploadedFile("보고.pdf", b"not a pdf", "application/pdf")
    response = client.post(url("plan_report", approved_plan), {**typed, "attachments": [bad]})
    errors = " ".join(response.context["report_form"].errors["attachments"])
    assert "does not look like" in errors and "choose the files again" in errors
    good = [SimpleUploadedFile("완료.pdf", PDF, "application/pdf"), SimpleUploadedFile("사진.png", b"\x89PNG\r\n\x1a\n....", "image/png")]
    response = client.post(url("plan_report", approved_plan), {**typed, "attachments": good})
    assert response.status_code == 302
    report = CompletionReport.objects.get(plan=approved_plan)
    assert report.attachments.count() == 2
    html = client.get(url("plan", approved_plan)).content.decode()
    assert url("report_pdf", approved_plan) in html and url("report_xlsx", approved_plan) in html and "완료.pdf" in html


# --- The ticket page's panel -------------------------------------------------------------------


def test_the_panel_offers_edit_and_submit_to_the_lead_only(plan, work, org, render_panel):
    html = render_panel("largework/_staff_panel.html", work, org.lead)
    assert url("plan_edit", plan) in html and url("plan_submit", plan) in html
    html = render_panel("largework/_staff_panel.html", work, org.engineer)
    assert url("plan", plan) in html and url("plan_edit", plan) not in html


# --- Queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [(5, 6), (5, 6, 9, 10, 11, 12, 13, 16, 17, 18)])
def test_the_plan_page_makes_a_fixed_number_of_queries(plan, org, approver, client_for, django_assert_max_num_queries, days):
    assets = [f.AssetFactory(department=org.customer_dept, tag=f"QQ-{n:03d}") for n in range(len(days))]
    plan_save(plan=plan, actor=org.lead, **content(org, windows=windows(*days)), assets=[(a, "메모") for a in assets])
    approve(plan, org, approver)
    client = client_for(org.lead)
    client.post(url("plan_message", plan), {"body": "질문 있습니다"})
    client.get(url("plan", plan))  # warm the session and the permission caches
    # Session, user, permissions, the plan, one query per list of plan_detail, and
    # the team's engineers a window's visit can be booked for (two): the same for 2 or 10 windows.
    with django_assert_max_num_queries(16):
        response = client.get(url("plan", plan))
    assert response.status_code == 200 and len(response.context["rows"]) == len(days)


def test_the_plan_of_a_closed_request_is_not_edited(plan, work, org, en_client_for):
    work.status, work.closed_at = Status.CLOSED, work.created_at
    work.save()
    response = en_client_for(org.lead).get(url("plan_edit", plan), follow=True)
    assert response.redirect_chain[-1][0] == url("plan", plan)
    assert "its plan can no longer change" in response.content.decode()
    assert url("plan_edit", plan) not in response.content.decode()


@pytest.mark.parametrize(
    "changes",
    [
        {"windows-TOTAL_FORMS": "abc"},
        {"windows-TOTAL_FORMS": "100000"},
        {"departments": ["999999"], "seats": "많이"},
        {"windows-0-start_time": "25:99", "windows-0-seats_out_minutes": "-5"},
    ],
)
def test_a_hand_made_request_is_answered_with_the_form_not_an_error(plan, org, client_for, changes):
    data = edit_data(org)
    data.update(changes)
    response = client_for(org.lead).post(url("plan_edit", plan), data)
    assert response.status_code == 200
    assert PlanVersion.objects.get(pk=plan.current_id).windows.count() == 2
