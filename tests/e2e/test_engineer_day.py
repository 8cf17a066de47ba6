"""The engineer's day on a phone (issue 18): from the "오늘" page through a whole
visit — arrive, the checklist with "all OK", the customer's signature — with
every tap counted. Typing (the work note) is not a tap; drawing the signature is
one. The clock stands at 10:00 Seoul time today (`morning`), for the live server too.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from tests import factories as f
from tests.e2e.helpers import axe_check, log_in, path_of
from tests.helpers.clock import SEOUL
from tests.helpers.gates import identity_confirmed
from tickets.lifecycle import Status
from tickets.models import Ticket
from visits import services
from visits.models import ChecklistMark, Visit, VisitOutcome, VisitState
from visits.seed import pc_checklist_seed

pytestmark = pytest.mark.e2e

MOST_TAPS = 10


class Taps:
    """Every tap the engineer makes, counted as it is made."""

    def __init__(self) -> None:
        self.count = 0
        self.log: list[str] = []

    def tap(self, target: Locator, what: str, *, navigates: bool = True) -> None:
        self.count += 1
        self.log.append(what)
        if navigates:
            with target.page.expect_navigation():
                target.click()
        else:
            target.click()

    def sign(self, phone: Page) -> None:
        """The customer's finger on the canvas: one stroke, one tap."""
        self.count += 1
        self.log.append("signature")
        canvas = phone.locator("#signature-pad")
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        assert box is not None
        x, y = box["x"], box["y"]
        phone.mouse.move(x + 20, y + box["height"] * 0.6)
        phone.mouse.down()
        for i in range(1, 16):
            phone.mouse.move(x + 20 + i * (box["width"] - 40) / 15, y + box["height"] * (0.6 - 0.3 * ((i % 4) / 3)), steps=2)
        phone.mouse.up()


@pytest.fixture
def visit(org, morning) -> Visit:
    """The customer's PC fault, and a visit agreed on the phone for 10:30 today."""
    pc_checklist_seed()  # a journey before this one flushed what the data migration seeded
    org.customer_dept.visit_rules = "출입증 패용 필수"
    org.customer_dept.save()
    org.asset.location = "본관 3층 301호"
    org.asset.save()
    ticket = f.TicketFactory(
        reporter=org.customer, team=org.team, asset=org.asset, category=org.category, assignee=org.engineer,
        status=Status.ASSIGNED, contact_phone="010-5555-1234", title="PC 부팅 불량",
    )
    identity_confirmed(ticket)  # MT3: checking in starts the diagnosis
    start = datetime.combine(morning, time(10, 30), tzinfo=SEOUL)
    return services.visit_book(
        ticket=ticket, engineer=org.engineer, actor=org.desk_agent, start=start, end=start + timedelta(hours=1),
        purpose="PC 부팅 불량 점검", agreed_by_phone=True,
        # Today may be a weekend or a holiday; the customer asked for this time.
        off_hours_requested=True,
    )


def test_engineer_day_a_whole_visit_from_the_today_page_in_at_most_ten_taps(pages, org, visit) -> None:
    ticket: Ticket = visit.ticket
    other = f.TicketFactory(
        reporter=org.other_customer, team=org.team, assignee=org.engineer, status=Status.IN_PROGRESS,
        title="모니터 깜빡임",
    )
    phone: Page = pages.open("engineer", phone=True)
    log_in(phone, org.engineer.username)
    taps = Taps()

    # The "오늘" page is the first entry of the menu.
    taps.tap(phone.locator(".navbar-toggler"), "menu", navigates=False)
    taps.tap(phone.locator("#nav-today"), "today")
    assert path_of(phone) == reverse("today:index")

    # The next visit first: when, who, where, why; the other work below it by deadline.
    card = phone.locator("#next-visit")
    expect(card).to_contain_text("10:30")
    expect(card).to_contain_text(org.customer.display_name)
    expect(card).to_contain_text("010-5555-1234")
    expect(card).to_contain_text("본관 3층 301호")
    expect(card).to_contain_text("PC 부팅 불량 점검")
    expect(card).to_contain_text("출입증 패용 필수")
    expect(phone.locator(f"#today-work [data-ticket='{other.pk}'] [data-step='resolve']")).to_be_visible()
    expect(phone.locator(f"#today-work [data-ticket='{ticket.pk}']")).to_have_count(0)

    # Arrive: one tap on the card.
    taps.tap(phone.locator("#next-visit-step"), "arrive")
    assert path_of(phone) == reverse("visits:staff_visit", args=[visit.pk])
    expect(phone.locator("#visit-state")).to_have_attribute("class", "badge text-bg-primary")

    # The checklist: every item fine, one tap.
    expect(phone.locator("#checklist-form fieldset.checklist-item")).to_have_count(10)
    taps.tap(phone.locator("#all-ok-button"), "all OK")

    # The sign-off arrives open, the signer's name already the customer's.
    expect(phone.locator("#resolve-form")).to_be_visible()
    expect(phone.locator("#id_signoff_name")).to_have_value(ticket.reporter_name)
    phone.fill("#id_work_note", "메모리 재장착 후 정상 부팅 확인")  # typing, not a tap
    taps.sign(phone)
    taps.tap(phone.locator("#resolve-form button[type=submit]"), "sign off and finish")

    expect(phone.locator("#visit-outcome")).to_be_visible()
    expect(phone.locator("#signature-image")).to_be_visible()
    visit.refresh_from_db()
    assert visit.state == VisitState.COMPLETED and visit.outcome == VisitOutcome.RESOLVED
    assert visit.signoff_name == ticket.reporter_name and visit.signature
    assert set(visit.checklist_entries.values_list("mark", flat=True)) == {ChecklistMark.OK}
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED

    print(f"engineer's day: {taps.count} taps ({', '.join(taps.log)})")
    assert taps.count <= MOST_TAPS, taps.log
    assert taps.log == ["menu", "today", "arrive", "all OK", "signature", "sign off and finish"]

    # Back on "오늘": the visit is done, the next work is on top.
    phone.goto(reverse("today:index"))
    expect(phone.locator("#next-visit")).to_have_count(0)
    expect(phone.locator(f"#today-work [data-ticket='{other.pk}']")).to_be_visible()


def test_engineer_day_the_ticket_page_on_a_phone_folds_everything_but_the_next_step(pages, org, visit) -> None:
    ticket: Ticket = visit.ticket
    phone: Page = pages.open("engineer", phone=True)
    log_in(phone, org.engineer.username)
    phone.goto(reverse("staff:ticket_detail", args=[ticket.pk]))

    # Status, deadline and the next step on top: here the visit's (arrive).
    top = phone.locator("#next-step")
    expect(top).to_be_visible()
    expect(top.locator("[data-step='check_in']")).to_be_visible()
    # The rest folded: the timeline is there, a tap away.
    expect(phone.locator("#section-timeline")).not_to_have_attribute("open", "")
    expect(phone.locator("#section-timeline .timeline")).to_be_hidden()
    # The action bar sits at the bottom of the screen with the same step.
    bar = phone.locator("#action-bar")
    expect(bar).to_be_visible()
    box = bar.bounding_box()
    assert box is not None and box["y"] + box["height"] == pytest.approx(844, abs=1)
    expect(bar.locator("[data-step='check_in']")).to_be_visible()

    # "More" reaches a folded section: it opens and comes into view.
    bar.locator("#more-actions").click()
    axe_check(phone)
    bar.locator("a[href='#section-timeline']").click()
    expect(phone.locator("#section-timeline")).to_have_attribute("open", "")
    expect(phone.locator("#section-timeline .timeline")).to_be_visible()

    # On a wide screen every section is open, as before.
    desk: Page = pages.open("desk")
    log_in(desk, org.desk_agent.username)
    desk.goto(reverse("staff:ticket_detail", args=[ticket.pk]))
    expect(desk.locator("#section-status")).to_have_attribute("open", "")
    expect(desk.locator("#action-bar")).to_be_hidden()


def test_engineer_day_the_visits_panel_arrives_when_its_fold_opens(pages, org, visit) -> None:
    """Visits are drawn on demand (tickets.panels.OnDemand): on a phone, when their
    fold is tapped open; on a wide screen, where every fold opens, at once."""
    ticket: Ticket = visit.ticket
    phone: Page = pages.open("engineer", phone=True)
    log_in(phone, org.engineer.username)
    phone.goto(reverse("staff:ticket_detail", args=[ticket.pk]))
    fold = phone.locator("#fold-visits")
    expect(fold).not_to_have_attribute("open", "")
    expect(phone.locator("#visits[data-panel-url]")).to_have_count(1)  # only its place, not yet asked for
    fold.locator("summary").click()
    card = reverse("visits:staff_visit", args=[visit.pk])
    expect(phone.locator(f"#visits a[href='{card}']")).to_be_visible()
    expect(phone.locator("#visits[data-panel-url]")).to_have_count(0)
    axe_check(phone)

    desk: Page = pages.open("desk")
    log_in(desk, org.desk_agent.username)
    desk.goto(reverse("staff:ticket_detail", args=[ticket.pk]))
    expect(desk.locator(f"#visits a[href='{card}']")).to_be_visible()
