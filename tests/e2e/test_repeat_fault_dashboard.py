"""MT5 in the browser: the customer reports the same fault on the same PC for the
third time; it appears escalated on the team lead's dashboard (which redraws its
figures without reloading), and the lead books the joint visit with themself as
the engineer's companion.

Detection runs in a Celery task after commit; here the task runs in-process as
soon as it is queued, as a worker would pick it up. The clock is moved (for the
live server's thread too) to 10:00 Seoul time today so the visit is in the future.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from charter.models import RepeatFault
from charter.repeats import repeat_fault_check, repeat_status
from standards.selectors import standards_changed
from standards.services import default_standard_seed
from tests import factories as f
from tests.e2e.helpers import log_in, path_of, pick_person
from tests.factories import PASSWORD
from tests.helpers.clock import SEOUL
from tickets.lifecycle import Status
from tickets.models import Ticket
from tickets.services import ticket_create
from visits.models import Visit, VisitState

pytestmark = pytest.mark.e2e

TITLE = "또 전원이 들어오지 않습니다"
# How many pixels of the trend chart's canvas are painted (axes, grid, bars).
PAINTED = """() => {
  const c = document.querySelector('canvas.trend-chart');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i]) n++;
  return n;
}"""


@pytest.fixture(autouse=True)
def _worker(monkeypatch):
    """The repeat check runs as soon as it is queued; notices stay in the outbox
    (the root conftest's `_no_broker`)."""
    from charter import tasks

    monkeypatch.setattr(tasks.repeat_fault_check, "delay", lambda pk: tasks.repeat_fault_check.apply(args=[pk]))


@pytest.fixture
def earlier_faults(org, morning):
    # A flushed database (transactional tests) has lost what the data migration seeded.
    default_standard_seed()
    standards_changed()
    for days_ago in (40, 12):
        f.TicketFactory(
            reporter=org.customer, team=org.team, asset=org.asset, category=org.category, status=Status.CLOSED,
            assignee=org.engineer, title="전원 불량", created_at=datetime.now(SEOUL) - timedelta(days=days_ago),
        )


def report_the_fault(phone: Page, org) -> Ticket:
    log_in(phone, org.customer.username, PASSWORD)
    phone.goto(reverse("portal:ticket_new"))
    phone.fill("#id_title", TITLE)
    phone.select_option("#id_category", str(org.category.pk))
    question = org.category.questions.get()
    yes = phone.locator(f"input[name='q_{question.pk}'][value='yes']")
    expect(yes).to_be_visible()
    yes.check()
    phone.fill("#id_description", "한 달 사이에 세 번째입니다.")
    with phone.expect_navigation():
        phone.click("#fault-report button[type=submit]:not([name])")
    return Ticket.objects.get(title=TITLE)


def test_a_third_fault_is_escalated_on_the_dashboard_and_the_lead_books_the_joint_visit(
    pages, org, morning, earlier_faults
) -> None:
    phone = pages.open("customer", phone=True)
    third = report_the_fault(phone, org)
    assert third.asset == org.asset and third.repeat_occurrence == 3
    episode = RepeatFault.objects.get()
    assert episode.state == RepeatFault.State.ESCALATED

    # The lead's dashboard: one escalated repeat fault, and the trend chart drawn by Chart.js.
    desk = pages.open("lead")
    log_in(desk, org.lead.username, PASSWORD)
    desk.goto(reverse("charter:dashboard:index"))
    escalated = desk.locator("[data-figure='repeat_escalated'] .figure-value")
    expect(escalated).to_have_text("1")
    expect(desk.locator("[data-figure='repeat_at_risk'] .figure-value")).to_have_text("0")
    expect(desk.locator("canvas.trend-chart")).to_have_attribute("data-drawn", "30")
    assert desk.evaluate(PAINTED) > 1000

    # The figures refresh in place (htmx), without a page load: a new at-risk asset shows up.
    desk.evaluate("window.__stillHere = true")
    laptop = f.AssetFactory(owner=org.customer, department=org.customer_dept, tag="NB-000042")
    for _ in range(2):
        t = ticket_create(
            actor=org.customer, reporter=org.customer, reporter_name=org.customer.display_name,
            reporter_department=org.customer_dept, title="부팅 불가", asset=laptop, category=org.category,
        )
        repeat_fault_check(ticket_id=t.pk)
    with desk.expect_response(lambda r: "/charter/dashboard/figures/" in r.url):
        desk.evaluate(
            "() => { const el = document.getElementById('dashboard-figures');"
            " htmx.ajax('GET', el.getAttribute('hx-get'), {target: el, swap: 'outerHTML'}); }"
        )
    expect(desk.locator("[data-figure='repeat_at_risk'] .figure-value")).to_have_text("1")
    expect(desk.locator("canvas.trend-chart")).to_have_attribute("data-drawn", "30")
    assert desk.evaluate(PAINTED) > 1000  # redrawn after the swap, not a wiped canvas
    assert desk.evaluate("window.__stillHere") is True

    # Drill down to the escalated asset and book the joint visit from there.
    with desk.expect_navigation():
        desk.click("[data-figure='repeat_escalated']")
    row = desk.locator(f"[data-repeat-fault='{episode.pk}']")
    expect(row).to_contain_text("PC-000001")
    with desk.expect_navigation():
        row.locator(".book-joint-visit").click()
    assert path_of(desk) == reverse("visits:book", args=[third.pk])
    pick_person(desk, "#id_engineer", org.engineer)
    pick_person(desk, "#id_companion", org.lead)
    desk.fill("#id_date", morning.isoformat())
    desk.fill("#id_start_time", "14:00")
    desk.fill("#id_end_time", "15:00")
    desk.check("#id_agreed_by_phone")
    with desk.expect_navigation():
        desk.click("#book-form button[type=submit]")

    visit = Visit.objects.get(ticket=third)
    assert (visit.engineer, visit.companion, visit.state) == (org.engineer, org.lead, VisitState.CONFIRMED)
    assert path_of(desk) == reverse("visits:staff_visit", args=[visit.pk])
    third.refresh_from_db()
    status = repeat_status(third)
    assert status is not None and status.escalated and status.joint_visit_planned and not status.joint_visit
