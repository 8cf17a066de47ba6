"""PH1–PH3 journey: a customer phones the desk; the agent greets with team and
name, records the rings, finds the caller by the last digits of their number,
and — the engineer being busy — takes a callback memo. The engineer sees it on
a phone, calls back and records what was said."""
from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from desk.models import CallbackMemo, PhoneCall
from helpdesk.notifications.models import Notification
from tests.e2e.helpers import log_in, pick_person
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

MATTER = "공유 프린터로 인쇄가 되지 않는데, 담당 엔지니어와 통화하고 싶습니다."
SAID = "드라이버를 다시 설치하도록 안내했고 인쇄가 되는 것을 함께 확인했습니다."


def test_a_call_ends_in_a_callback_memo_and_the_callback_is_made(pages, org) -> None:
    customer, engineer, agent = org.customer, org.engineer, org.desk_agent
    desk: Page = pages.open("desk")
    field: Page = pages.open("engineer", phone=True)

    # PH1: the intake screen gives the greeting with the agent's team and name.
    log_in(desk, agent.username, PASSWORD)
    desk.goto(reverse("desk:phone"))
    expect(desk.locator("#greeting")).to_contain_text(agent.display_name)
    expect(desk.locator("#greeting")).to_contain_text(org.team.name)

    # The caller is found by the last four digits of their number (htmx lookup).
    desk.fill("#id_q", customer.phone.as_national[-4:])
    choose = desk.locator("#lookup-results li a.btn").first
    expect(choose).to_be_visible()
    with desk.expect_navigation():
        choose.click()
    expect(desk.locator("#chosen-caller")).to_contain_text(customer.display_name)
    desk.fill("#id_rings", "2")
    with desk.expect_navigation():
        desk.click("#call-start button[type=submit]")
    call = PhoneCall.objects.get()
    assert re.search(rf"/frontdesk/calls/{call.pk}/$", desk.url)
    assert call.caller == customer and call.rings == 2 and call.answered_in_time
    expect(desk.locator("#call-caller")).to_contain_text(customer.display_name)

    # PH3: the engineer is busy; the memo gets the caller's details from the call.
    desk.locator("#callback summary").click()
    memo_form = desk.locator("#callback form")
    expect(memo_form.locator("#id_caller_name")).to_have_value(customer.display_name)
    pick_person(desk, "#callback #id_handler", engineer)
    # Nothing lost on a refusal: without the matter the form comes back as typed.
    with desk.expect_navigation():
        memo_form.locator("button[type=submit]").click()
    expect(desk.locator("#callback .invalid-feedback, #callback .alert-danger").first).to_be_visible()
    assert not CallbackMemo.objects.exists()
    memo_form = desk.locator("#callback form")
    expect(memo_form.locator("#id_caller_name")).to_have_value(customer.display_name)
    memo_form.locator("#id_matter").fill(MATTER)
    with desk.expect_navigation():
        memo_form.locator("button[type=submit]").click()
    memo = CallbackMemo.objects.get()
    assert (memo.for_handler, memo.call, memo.caller, memo.matter) == (engineer, call, customer, MATTER)
    assert memo.phone == customer.phone and memo.due_at > memo.taken_at
    expect(desk.locator("#call-memos")).to_contain_text(engineer.display_name)
    # The handler is told at once.
    assert Notification.objects.filter(recipient=engineer, channel="in_app", key__contains=f"callback:{memo.pk}:new").exists()

    # The engineer, on a phone, finds the memo and calls back.
    log_in(field, engineer.username, PASSWORD)
    field.goto(reverse("desk:callbacks"))
    field.locator("#memo-list a", has_text=customer.display_name).click()
    field.wait_for_url(f"**/frontdesk/callbacks/{memo.pk}/")
    expect(field.locator("#memo-phone")).to_have_attribute("href", f"tel:{customer.phone.as_e164}")
    field.fill("#id_note", SAID)
    with field.expect_navigation():
        field.click("#close-form button[type=submit]")
    expect(field.locator("#callback-made")).to_contain_text(SAID)

    memo.refresh_from_db()
    assert memo.closed_by == engineer and memo.callback_note == SAID and memo.next_check_at is None
    field.goto(reverse("desk:callbacks"))
    expect(field.locator("#memo-list")).to_have_count(0)
