"""MT1's ladder in the browser: work that passed its deadline without a delay
notice climbs the escalation ladder in the minute sweep, and the team lead finds
it on the escalated list, highest level first, and on the ticket page."""
from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from charter.deadline_sweep import sweep_once
from charter.models import Escalation
from standards.selectors import standards_changed
from standards.services import default_standard_seed
from tests.e2e.helpers import log_in
from tests.factories import PASSWORD
from tests.helpers.clock import SEOUL
from tests.helpers.ticket_steps import open_ticket

pytestmark = pytest.mark.e2e


def _ko(message: str, **values: object) -> str:
    with translation.override("ko"):
        return gettext(message) % values if values else gettext(message)


def test_mt1_overdue_work_climbs_the_ladder_and_the_lead_sees_it(pages, org) -> None:
    # A flushed database (transactional tests) has lost what the data migration seeded.
    default_standard_seed()
    standards_changed()
    two_weeks_ago = datetime.combine(timezone.localdate() - timedelta(days=14), time(9, 0), tzinfo=SEOUL)
    late = open_ticket(org, two_weeks_ago, assign=org.engineer)
    on_time = open_ticket(org, timezone.now() - timedelta(minutes=5), assign=org.engineer)

    assert sweep_once() >= 1
    late.refresh_from_db()
    on_time.refresh_from_db()
    levels = sorted(Escalation.objects.filter(ticket=late, skipped=False).values_list("level", flat=True))
    assert late.escalation_level == max(levels) >= 2  # the handler warned, then the lead and the chief told
    assert on_time.escalation_level == 0

    lead: Page = pages.open("lead")
    log_in(lead, org.lead.username, PASSWORD)
    lead.goto(reverse("charter:escalated"))
    row = lead.locator("tbody tr", has_text=late.title)
    expect(row).to_have_count(1)
    expect(row.locator(".badge.text-bg-danger").first).to_have_text(str(late.escalation_level))
    expect(row).to_contain_text(_ko("Overdue"))
    expect(lead.locator(f"a[href='{reverse('staff:ticket_detail', args=[on_time.pk])}']")).to_have_count(0)

    with lead.expect_navigation():
        row.get_by_role("link").click()
    panel = lead.locator("#deadline-panel")
    expect(panel).to_contain_text(_ko("Level %(level)s", level=late.escalation_level))
    expect(panel.locator("strong.text-danger")).to_be_visible()  # "overdue by … (business time)"
