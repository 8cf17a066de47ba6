"""The foundation journey: a customer files a fault in Korean on a phone and
follows it; an engineer finds it in the queue, takes it, works it through the
lifecycle; the customer closes it. Every step is on the timeline."""
from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.e2e.helpers import log_in
from tests.factories import PASSWORD
from tests.helpers.gates import diagnosed_and_consented
from tickets.lifecycle import TRANSITIONS_BY_ACTION, Status
from tickets.models import Ticket, TicketEvent

pytestmark = pytest.mark.e2e

TITLE = "모니터 화면이 켜지지 않습니다"


def _ko(label) -> str:
    with translation.override("ko"):
        return str(label)


def test_customer_files_a_fault_and_an_engineer_works_it_to_closed(pages, org) -> None:
    customer, engineer = org.customer, org.engineer
    phone: Page = pages.open("customer", phone=True)
    desk: Page = pages.open("engineer")

    # The customer reports the fault in Korean from a phone.
    log_in(phone, customer.username, PASSWORD)
    phone.goto(reverse("portal:ticket_new"))
    phone.fill("#id_title", TITLE)
    phone.select_option("#id_category", str(org.category.pk))
    question = org.category.questions.get()
    # htmx swaps in the category's symptom questions (MT3).
    yes = phone.locator(f"input[name='q_{question.pk}'][value='yes']")
    expect(yes).to_be_visible()
    yes.check()
    phone.fill("#id_description", "전원 버튼을 눌러도 화면이 검게 나옵니다.")
    with phone.expect_navigation():
        phone.click("#fault-report button[type=submit]:not([name])")
    ticket = Ticket.objects.get(title=TITLE)
    assert re.search(rf"/my/tickets/{ticket.pk}/$", phone.url)
    assert ticket.reporter == customer and ticket.team == org.team
    assert ticket.symptom_answers[0]["answer"] == "yes"

    phone.goto(reverse("portal:ticket_list"))
    expect(phone.get_by_text(TITLE)).to_be_visible()

    # The engineer sees it in the team queue and takes it.
    log_in(desk, engineer.username, PASSWORD)
    desk.goto(reverse("staff:queue") + "?queue=team")
    desk.get_by_role("link", name=TITLE).click()
    desk.wait_for_url(f"**/desk/tickets/{ticket.pk}/")
    # The picker asks for the team's people when it comes into view, as a person scrolling to it would.
    desk.locator("#id_assignee").scroll_into_view_if_needed()
    desk.select_option("#id_assignee", str(engineer.pk))
    with desk.expect_navigation():
        desk.click(f"form[action='{reverse('staff:ticket_assign', args=[ticket.pk])}'] button[type=submit]")
    with desk.expect_navigation():
        desk.click("button[name=action][value=diagnose]")
    # MT4: the estimate and the customer's consent (their own journey: test_desk_consent.py).
    # Recording the consent starts the repair: the page shows it once reloaded.
    diagnosed_and_consented(ticket, engineer)
    desk.reload()
    desk.fill("#status_note", "그래픽 케이블 교체")
    with desk.expect_navigation():
        desk.click("button[name=action][value=resolve]")
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.assignee == engineer

    # The customer sees who handles it and closes it.
    phone.goto(reverse("portal:ticket_detail", args=[ticket.pk]))
    expect(phone.get_by_text(engineer.display_name).first).to_be_visible()
    phone.locator("details summary", has_text=_ko(TRANSITIONS_BY_ACTION["close"].label)).click()
    with phone.expect_navigation():
        phone.locator("details[open] button[type=submit]").click()
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    expect(phone.locator(".badge-status").first).to_have_text(_ko(Status.CLOSED.label))

    statuses = list(
        ticket.events.filter(kind=TicketEvent.Kind.STATUS_CHANGED).order_by("created_at", "pk").values_list("data__to", flat=True)
    )
    assert statuses == ["diagnosing", "in_progress", "resolved", "closed"]
    assert ticket.events.filter(kind=TicketEvent.Kind.CREATED).exists()
    assert ticket.events.filter(kind=TicketEvent.Kind.ASSIGNED, actor=engineer).exists()
