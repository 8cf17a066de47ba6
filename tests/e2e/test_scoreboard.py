"""IM1 in the browser: the section chief opens the charter scoreboard, narrows
it to a team and last month, opens the list behind a missed target, and
downloads the month's charter report.

Last month the support team finished five jobs, two of them after their
deadline (60 % against a target of 90 %); the network team finished one on
time, which must not show in the team's figures. The rollup runs as beat would
run it for those days."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from charter.scoreboard.periods import last_month
from charter.scoreboard.rollup import days_recompute, local_today
from charter.scoreboard.services import monthly_report_generate
from standards.selectors import standards_changed
from standards.services import default_standard_seed
from tests import factories as f
from tests.e2e.helpers import log_in
from tests.factories import PASSWORD
from tests.helpers.clock import SEOUL
from tickets.lifecycle import Status

pytestmark = pytest.mark.e2e


@pytest.fixture
def last_months_work(org, section_chief):
    default_standard_seed()  # a flushed database (transactional tests) lost the seeded standard
    standards_changed()
    month = last_month(local_today())
    finished = datetime.combine(month.first + timedelta(days=9), datetime.min.time(), tzinfo=SEOUL) + timedelta(hours=14)
    for i, late in enumerate((False, False, False, True, True)):
        f.TicketFactory(
            title=f"프린터 용지 걸림 {i}", reporter=org.customer, team=org.team, assignee=org.engineer,
            status=Status.RESOLVED, created_at=finished - timedelta(days=2), resolved_at=finished,
            resolve_by=finished + (timedelta(hours=-3) if late else timedelta(hours=3)),
        )
    f.TicketFactory(
        title="스위치 교체", reporter=org.customer, team=org.other_team, assignee=org.other_engineer,
        status=Status.RESOLVED, created_at=finished - timedelta(days=1), resolved_at=finished,
        resolve_by=finished + timedelta(hours=1),
    )
    days_recompute(month.first, month.last)
    # What beat's task did on the month's first business day.
    monthly_report_generate(month=month.first)
    return month


def test_the_section_chief_finds_a_missed_promise_and_downloads_the_months_report(
    desktop: Page, org, section_chief, last_months_work
):
    month = last_months_work
    log_in(desktop, section_chief.username, PASSWORD)
    desktop.goto("/")
    desktop.locator("#mainnav .dropdown-toggle", has_text="서비스 품질").click()
    with desktop.expect_navigation():
        desktop.click("#nav-scoreboard")
    expect(desktop.locator("h1")).to_have_text("헌장 이행 현황판")

    desktop.select_option("#sb-period", "month")
    desktop.fill("#sb-day", month.first.isoformat())
    desktop.select_option("#sb-team", str(org.team.pk))
    with desktop.expect_navigation():
        desktop.click("#scoreboard-filters button[type=submit]")
    expect(desktop.locator("#scoreboard-period")).to_have_text(f"{month.first.year}년 {month.first.month}월")

    row = desktop.locator("#row-mt1_on_time")
    expect(row.locator("td").nth(1)).to_contain_text("60%")
    expect(row).to_have_attribute("data-verdict", "missed")
    with desktop.expect_navigation():
        row.locator("a.scoreboard-missed").click()
    listed = desktop.locator("#scoreboard-rows tbody tr")
    expect(listed).to_have_count(2)
    expect(desktop.locator("#scoreboard-rows")).not_to_contain_text("스위치 교체")

    desktop.goto(reverse("charter:scoreboard:reports"))
    with desktop.expect_download() as download:
        desktop.locator("a[data-format=xlsx]").first.click()
    assert download.value.suggested_filename.endswith(f"{month.first:%Y-%m}.xlsx")
