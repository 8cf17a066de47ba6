"""IM1's monthly charter report: its content (the workbook's figures are the
board's, nothing typed becomes a formula, the PDF reads in Korean), the beat
task that generates it on the first business day and tells each section chief
once, who may read and generate it, and the month picker's refusals.

January 2026 is the month reported: the customer's team finished three tickets
(one late, its title written like a formula), the network team one on time;
a delay notice and a correction were filed in the month. 1 February 2026 is a
Sunday, so the report is due on Monday the 2nd; 1 March is a Sunday and a
public holiday, 2 March its substitute holiday, so February's is due on the 3rd.
"""

from __future__ import annotations

import io
import subprocess
from datetime import date, datetime, timedelta
from urllib.parse import quote

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from hypothesis import example, given
from openpyxl import load_workbook

from charter import tasks
from charter.models import DelayNotice
from charter.scoreboard.forms import ReportMonthForm
from charter.scoreboard.measures import BY_KEY
from charter.scoreboard.models import MonthlyReport
from charter.scoreboard.periods import period_of
from charter.scoreboard.report import report_content
from charter.scoreboard.rollup import days_recompute
from charter.scoreboard.selectors import Scope, board_for
from charter.scoreboard.services import monthly_report_generate, monthly_report_send
from corrections.models import Correction, CorrectionState
from helpdesk.accounts.roles import Role
from helpdesk.core.models import TaskRun
from tests import factories as f
from tests.helpers.clock import kst
from tests.helpers.fuzz import FUZZ, NASTY_DATES, text
from tests.helpers.outbox import outbox
from tickets.lifecycle import Status
from tickets.models import Kind, Ticket

pytestmark = pytest.mark.django_db

JANUARY = period_of("month", date(2026, 1, 1))
FORMULA_TITLE = '=HYPERLINK("http://evil.example","클릭")'
REPORTS = "/charter/scoreboard/reports/"


def finished(org: f.Org, *, team, assignee, resolved: datetime, due: datetime, title: str = "") -> Ticket:
    values = {
        "reporter": org.customer,
        "team": team,
        "assignee": assignee,
        "status": Status.CLOSED,
        "created_at": resolved - timedelta(days=1),
        "resolved_at": resolved,
        "resolve_by": due,
    }
    if title:
        values["title"] = title
    return f.TicketFactory(**values)


@pytest.fixture
def january(org, standard) -> dict[str, Ticket]:
    """Three tickets of the customer's team (one late), one of the network team,
    a delay notice and a correction."""
    on_time = finished(
        org, team=org.team, assignee=org.engineer, resolved=kst(2026, 1, 12, 10), due=kst(2026, 1, 12, 18)
    )
    finished(
        org, team=org.team, assignee=org.engineer, resolved=kst(2026, 1, 31, 23, 59), due=kst(2026, 2, 2, 18)
    )
    late = finished(
        org,
        team=org.team,
        assignee=org.engineer,
        resolved=kst(2026, 1, 20, 17),
        due=kst(2026, 1, 19, 18),
        title=FORMULA_TITLE,
    )
    finished(
        org,
        team=org.other_team,
        assignee=org.other_engineer,
        resolved=kst(2026, 1, 5, 11),
        due=kst(2026, 1, 6, 18),
    )
    # Outside the month: counted neither in January nor in its list of misses.
    finished(
        org, team=org.team, assignee=org.engineer, resolved=kst(2026, 2, 1, 0, 0), due=kst(2026, 1, 30, 18)
    )
    DelayNotice.objects.create(
        ticket=on_time,
        reason="=1+1 부품 입고 지연",
        old_deadline=kst(2026, 1, 12, 18),
        new_deadline=kst(2026, 1, 14, 18),
        filed_by=org.engineer,
        filed_at=kst(2026, 1, 12, 9),
        was_late=False,
        deadline_version=1,
    )
    Correction.objects.create(
        ticket=late,
        team=org.team,
        engineer=org.engineer,
        reason="드라이버 누락",
        what_was_wrong="프린터 드라이버 미설치",
        state=CorrectionState.CLOSED,
        opened_by=org.lead,
        opened_at=kst(2026, 1, 21, 9),
        result="@SUM(A1) 재설치 완료",
        closed_by=org.engineer,
        closed_at=kst(2026, 1, 22, 15),
    )
    return {"late": late, "on_time": on_time}


@pytest.fixture
def report(january, frozen) -> MonthlyReport:
    frozen.move_to(kst(2026, 2, 2, 9))
    return monthly_report_generate(month=date(2026, 1, 1))


def workbook(report: MonthlyReport):
    with report.xlsx.open("rb") as handle:
        return load_workbook(io.BytesIO(handle.read()))


def ko(text) -> str:
    """A msgid (or a lazy text) as the Korean catalogue gives it."""
    with translation.override("ko"):
        return translation.gettext(text) if isinstance(text, str) else str(text)


def rows_of(sheet) -> list[list]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- the content -------------------------------------------------------------------------------


def test_the_workbook_holds_the_boards_figures_for_the_department_and_each_team(report, org):
    book = workbook(report)
    main, teams = book.worksheets
    department = {row.measure.key: row for row in board_for(Scope(), JANUARY).rows}
    assert department["mt1_on_time"].figure == 75  # 3 of the 4 January tickets on time
    rows = rows_of(main)
    titles = ("Clause", "Promise", "Figure", "Target", "Met or missed", "Previous month", "Counted", "Missed")
    header = rows.index([ko(h) for h in titles])
    by_label = {(r[0], r[1]): r for r in rows[header + 1 : header + 1 + len(department)]}
    assert len(by_label) == len(department)
    for key, row in department.items():
        cells = by_label[(row.measure.clause, ko(row.measure.label))]
        assert cells[2] == (None if row.figure is None else float(row.figure)), key
        assert cells[3] == (None if row.target is None else float(row.target)), key
        assert cells[4] == ko(
            {"met": "Met", "missed": "Missed", "no_target": "No target", "no_data": "No data"}[row.verdict]
        )
    mt1_row = header + 1 + list(department).index("mt1_on_time") + 1  # openpyxl counts from 1
    assert main.cell(row=mt1_row, column=3).number_format == '0.0"%"'

    team_rows = {(r[0], r[2]): r for r in rows_of(teams)[1:]}
    for team, expected in ((org.team, 2 / 3), (org.other_team, 1)):
        board = {row.measure.key: row for row in board_for(Scope(team_ids=(team.pk,)), JANUARY).rows}
        cells = team_rows[(team.name, ko(BY_KEY["mt1_on_time"].label))]
        assert cells[3] == float(board["mt1_on_time"].figure) == round(expected * 100, 1)
    assert report.summary["missed"] == sum(1 for r in department.values() if r.verdict == "missed") >= 1
    assert {
        "key": "mt1_on_time",
        "clause": "MT1",
        "figure": "75.0",
        "target": "90",
        "verdict": "missed",
        "previous": None,
    } in report.summary["rows"]


def test_nothing_typed_becomes_a_formula_and_the_late_ticket_is_among_the_worst_items(report, january):
    book = workbook(report)
    cells = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]
    # The late ticket's title, the notice's reason and the correction's result are there, as text.
    assert " " + FORMULA_TITLE in texts
    assert f"#{january['late'].pk}" in texts
    assert any(t.startswith(" =1+1 부품 입고 지연") for t in texts)
    assert any("@SUM(A1) 재설치 완료" in t for t in texts)


def test_the_worst_items_come_furthest_from_the_target_first(january, frozen, org):
    # BS1: the one support request of the month finished after the requested time (0 % against 90 %),
    # further from its target than MT1 (75 % against 90 %).
    f.TicketFactory(
        reporter=org.customer,
        team=org.team,
        assignee=org.engineer,
        kind=Kind.SUPPORT,
        status=Status.CLOSED,
        created_at=kst(2026, 1, 7, 9),
        requested_by=kst(2026, 1, 8, 12),
        resolved_at=kst(2026, 1, 9, 12),
    )
    frozen.move_to(kst(2026, 2, 2, 9))
    days_recompute(JANUARY.first, JANUARY.last)
    content = report_content(JANUARY.first)
    assert [item.line.measure.key for item in content.worst] == ["bs1_on_time", "mt1_on_time"]
    mt1 = content.worst[1]
    # Only the January ticket that missed, not the one finished at midnight on 1 February.
    assert [r.ref for r in mt1.rows] == [f"#{january['late'].pk}"]
    assert mt1.gap_text == ko("%(gap)s percentage points below the target") % {"gap": "15"}
    actions = {group.key: group for group in content.actions}
    assert (actions["delay_notices"].count, actions["corrections"].count, actions["trainings"].count) == (
        1,
        1,
        0,
    )
    assert actions["corrections"].examples[0][1] == f"#{january['late'].pk}"


def test_the_pdf_is_a4_in_korean_with_the_department_and_the_promises(report, settings, tmp_path):
    with report.pdf.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout
    words = " ".join(text.split())  # a label wrapped in its cell reads on
    assert settings.SERVICE_CONTACT_NAME in words  # 서비스지원부 업무지원팀
    assert "업무지원팀" in words and "네트워크팀" in words  # the per-team table
    assert "2026-01" in words
    # Every promise's label as the Korean catalogue gives it: the report is Korean whoever asks.
    missing = [m.key for m in BY_KEY.values() if ko(m.label) not in words]
    assert not missing
    assert ko("Every promise, the whole department") in words
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info


def test_the_content_costs_the_same_queries_whatever_the_months_size(january, frozen, org):
    frozen.move_to(kst(2026, 2, 2, 9))
    days_recompute(JANUARY.first, JANUARY.last)
    report_content(JANUARY.first)  # the standards' cache, warm
    with CaptureQueriesContext(connection) as small:
        report_content(JANUARY.first)
    for day in range(1, 21):
        finished(
            org,
            team=org.team,
            assignee=org.engineer,
            resolved=kst(2026, 1, day, 15),
            due=kst(2026, 1, day, 9),
        )
    days_recompute(JANUARY.first, JANUARY.last)
    with CaptureQueriesContext(connection) as large:
        content = report_content(JANUARY.first)
    assert len(large) == len(small)
    assert len(next(item for item in content.worst if item.line.measure.key == "mt1_on_time").rows) == 5


def test_generating_a_month_again_replaces_its_files_and_keeps_one_row(
    report, frozen, section_chief, django_capture_on_commit_callbacks
):
    old = (report.xlsx.name, report.pdf.name)
    monthly_report_send(report)
    frozen.move_to(kst(2026, 2, 5, 14))
    with django_capture_on_commit_callbacks(execute=True):
        again = monthly_report_generate(month=date(2026, 1, 15), actor=section_chief)
    assert MonthlyReport.objects.count() == 1 and again.pk == report.pk
    assert (again.generated_by, again.generated_at) == (section_chief, kst(2026, 2, 5, 14))
    assert again.sent_at == kst(2026, 2, 2, 9)  # told once, not again
    assert again.xlsx.name not in old and default_storage.exists(again.xlsx.name)
    assert not any(default_storage.exists(name) for name in old)


def test_a_month_not_yet_ended_is_refused(org, standard, frozen):
    from helpdesk.core.errors import ActionRefused

    frozen.move_to(kst(2026, 1, 31, 23))
    with pytest.raises(ActionRefused, match="once it has ended"):
        monthly_report_generate(month=date(2026, 1, 1))
    assert not MonthlyReport.objects.exists()


# --- the beat task ---------------------------------------------------------------------------


@pytest.fixture
def chiefs(org, section_chief):
    """The section chief, and a former one whose account is closed (never told)."""
    f.UserFactory(
        username="oldchief", department=org.maintenance_dept, roles=[Role.SECTION_CHIEF], is_active=False
    )
    return [section_chief]


def test_the_task_waits_for_the_first_business_day_and_tells_each_chief_once(january, chiefs, frozen):
    frozen.move_to(kst(2026, 2, 1, 10))  # Sunday the 1st
    assert tasks.monthly_report() == 0
    assert not MonthlyReport.objects.exists()
    frozen.move_to(kst(2026, 2, 2, 0, 30))  # Monday the 2nd, the first business day
    assert tasks.monthly_report() == 1
    report = MonthlyReport.objects.get()
    assert (report.month, report.generated_by, report.sent_at) == (
        date(2026, 1, 1),
        None,
        kst(2026, 2, 2, 0, 30),
    )
    told = outbox(key__startswith="charter:monthly-report:2026-01")
    assert sorted(told.values_list("recipient__username", "channel")) == [
        ("chief", "email"),
        ("chief", "in_app"),
    ]
    assert told.first().context["link"] == f"{REPORTS}#report-2026-01"
    frozen.move_to(kst(2026, 2, 2, 1))  # the next run of the day
    assert tasks.monthly_report() == 0
    assert MonthlyReport.objects.count() == 1 and told.count() == 2
    assert TaskRun.objects.get(task="charter.tasks.monthly_report").result == 0


def test_holidays_are_skipped_and_a_missed_first_business_day_is_caught_up(org, standard, chiefs, frozen):
    frozen.move_to(kst(2026, 3, 2, 9))  # Monday, the substitute holiday for 1 March
    assert tasks.monthly_report() == 0
    frozen.move_to(kst(2026, 3, 4, 9))  # beat was down on Tuesday the 3rd
    assert tasks.monthly_report() == 1
    assert list(MonthlyReport.objects.values_list("month", flat=True)) == [date(2026, 2, 1)]
    assert outbox(key__startswith="charter:monthly-report:2026-02", channel="in_app").count() == 1


def test_a_report_generated_by_hand_first_is_sent_by_the_task_not_generated_again(january, chiefs, frozen):
    frozen.move_to(kst(2026, 2, 2, 8))
    by_hand = monthly_report_generate(month=date(2026, 1, 1), actor=chiefs[0])
    frozen.move_to(kst(2026, 2, 2, 8, 30))
    assert tasks.monthly_report() == 1
    report = MonthlyReport.objects.get()
    assert (report.xlsx.name, report.generated_by, report.sent_at) == (
        by_hand.xlsx.name,
        chiefs[0],
        kst(2026, 2, 2, 8, 30),
    )
    assert monthly_report_send(report) == 0


# --- the pages -----------------------------------------------------------------------------


def test_customers_and_engineers_get_a_404_for_the_reports(report, org, client_for):
    file_url = reverse("charter:scoreboard:report_file", args=[report.pk, "xlsx"])
    for person in (org.customer, org.engineer):
        assert client_for(person).get(REPORTS).status_code == 404
        assert client_for(person).get(file_url).status_code == 404
    assert (
        client_for(org.engineer)
        .post(reverse("charter:scoreboard:report_generate"), {"month": "2026-01"})
        .status_code
        == 404
    )


def test_a_lead_downloads_both_files_with_their_korean_names_but_may_not_generate(report, org, client_for):
    lead = client_for(org.lead)
    page = lead.get(REPORTS)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="report-2026-01"' in html and 'id="report-generate"' not in html
    for fmt, magic in (("xlsx", b"PK"), ("pdf", b"%PDF")):
        response = lead.get(reverse("charter:scoreboard:report_file", args=[report.pk, fmt]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(magic)
        name = f"고객서비스헌장_이행보고서_2026-01.{fmt}"
        assert f"filename*=utf-8''{quote(name)}" in response["Content-Disposition"]
        assert response["Content-Disposition"].startswith("attachment")
    assert lead.get(reverse("charter:scoreboard:report_file", args=[report.pk, "csv"])).status_code == 404
    refused = lead.post(reverse("charter:scoreboard:report_generate"), {"month": "2026-01"})
    assert refused.status_code == 403
    assert MonthlyReport.objects.get().generated_by is None


def test_the_board_links_to_the_reports_for_those_who_may_read_them(org, standard, client_for):
    board = reverse("charter:scoreboard:board")
    assert REPORTS in client_for(org.lead).get(board).content.decode()
    assert REPORTS not in client_for(org.engineer).get(board).content.decode()


def test_a_section_chief_generates_a_month(january, section_chief, client_for, frozen):
    frozen.move_to(kst(2026, 2, 10, 9))
    chief = client_for(section_chief)
    response = chief.post(reverse("charter:scoreboard:report_generate"), {"month": "2026-01"})
    assert response.status_code == 302 and response["Location"] == f"{REPORTS}#report-2026-01"
    report = MonthlyReport.objects.get()
    assert (report.month, report.generated_by, report.sent_at) == (date(2026, 1, 1), section_chief, None)
    page = chief.get(REPORTS).content.decode()
    assert "The charter report for 2026-01 was generated." in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-13", "Enter a month such as 2026-11."),
        ("지난달", "Enter a month such as 2026-11."),
        ("0000-01", "Enter a month such as 2026-11."),
        ("2026-02", "A month can be reported once it has ended: choose 2026-01 or earlier."),
        ("2019-12", "Choose 2021-01 or later."),
        ("", "Choose the month to report, such as 2026-11."),
    ],
)
def test_a_month_not_understood_is_refused_with_what_was_typed_kept(
    org, standard, section_chief, client_for, frozen, typed, message
):
    frozen.move_to(kst(2026, 2, 10, 9))
    response = client_for(section_chief).post(reverse("charter:scoreboard:report_generate"), {"month": typed})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'value="{typed}"' in html and 'type="text"' in html
    assert not MonthlyReport.objects.exists()


def test_a_month_typed_without_a_picker_is_understood(january, section_chief, client_for, frozen):
    frozen.move_to(kst(2026, 2, 10, 9))
    response = client_for(section_chief).post(
        reverse("charter:scoreboard:report_generate"), {"month": " 2026.1 "}
    )
    assert response.status_code == 302
    assert MonthlyReport.objects.get().month == date(2026, 1, 1)


@FUZZ
@given(typed=text)
@example(typed="٢٠٢٦-٠١")  # digits, but not the ones a month picker sends
def test_the_month_picker_answers_any_text_with_a_month_or_a_message(typed):
    for value in (typed, *NASTY_DATES):
        form = ReportMonthForm({"month": value})
        if form.is_valid():
            month = form.cleaned_data["month"]
            assert month.day == 1 and value.strip()[:4] == f"{month:%Y}"
        else:
            assert form.errors["month"]
