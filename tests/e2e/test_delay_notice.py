"""MT1 in the browser: an engineer on a phone files an advance delay notice from
the ticket page. Bad input is refused beside its field with what was typed
kept; the accepted notice moves the committed date, goes into the outbox for
the customer by e-mail and SMS, and the customer sees the new date and the
reason on their own ticket page."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from charter.models import DelayNotice
from helpdesk.notifications.models import Notification
from standards.selectors import standards_changed
from standards.services import default_standard_seed
from tests.e2e.helpers import log_in
from tests.factories import PASSWORD
from tickets.models import Ticket
from tickets.services import ticket_assign, ticket_create

pytestmark = pytest.mark.e2e

REASON = "교체할 메인보드가 입고되지 않아 작업이 늦어집니다."
LOCAL = "%Y-%m-%dT%H:%M"  # what a datetime-local input takes


def _ko(message: str) -> str:
    with translation.override("ko"):
        return gettext(message)


@pytest.fixture
def ticket(org) -> Ticket:
    # A flushed database (transactional tests) has lost what the data migration seeded.
    default_standard_seed()
    standards_changed()
    ticket = ticket_create(
        actor=org.customer, reporter=org.customer, reporter_name=org.customer.display_name,
        reporter_department=org.customer_dept, title="프린터 급지 불량", asset=org.asset, category=org.category,
    )
    ticket = ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.lead)
    ticket.refresh_from_db()
    assert ticket.resolve_by is not None and ticket.resolve_by > timezone.now()
    return ticket


def send(page: Page) -> None:
    """Submit the panel's form; htmx posts it and swaps the panel in place."""
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/delay-notice/")):
        page.locator("#deadline-panel button[type=submit]").click()


def test_mt1_an_engineer_files_a_delay_notice_and_the_customer_sees_it(pages, org, ticket) -> None:
    engineer: Page = pages.open("engineer", phone=True)
    log_in(engineer, org.engineer.username, PASSWORD)
    engineer.goto(reverse("staff:ticket_detail", args=[ticket.pk]))
    # On a phone the ticket page's sections are folded: open the deadline's, then its delay notice form.
    engineer.locator("#fold-deadline-panel > summary").click()
    engineer.locator("#deadline-panel summary").click()
    new_date = (timezone.localtime(ticket.resolve_by) + timedelta(days=2)).replace(
        hour=15, minute=0, second=0, microsecond=0
    )

    # No reason: refused beside the reason, the date typed is kept.
    engineer.fill("#id_new_date", new_date.strftime(LOCAL))
    send(engineer)
    expect(engineer.locator("#deadline-panel")).to_contain_text(_ko("Tell the customer why the work is late."))
    expect(engineer.locator("#id_new_date")).to_have_value(new_date.strftime(LOCAL))

    # A date in the past: refused beside the date, the reason typed is kept.
    engineer.fill("#id_reason", REASON)
    engineer.fill("#id_new_date", (timezone.localtime() - timedelta(days=1)).strftime(LOCAL))
    send(engineer)
    expect(engineer.locator("#deadline-panel")).to_contain_text(_ko("The new expected date must be in the future."))
    expect(engineer.locator("#id_reason")).to_have_value(REASON)
    assert not DelayNotice.objects.exists()

    # Accepted: the panel shows the notice and the date it commits to.
    engineer.fill("#id_new_date", new_date.strftime(LOCAL))
    send(engineer)
    panel = engineer.locator("#deadline-panel")
    expect(panel).to_contain_text(REASON)
    expect(panel).to_contain_text(_ko("by delay notice"))
    expect(panel).to_contain_text(new_date.strftime("%Y-%m-%d %H:%M"))

    notice = DelayNotice.objects.get(ticket=ticket)
    assert notice.reason == REASON and not notice.was_late
    ticket.refresh_from_db()
    assert ticket.resolve_by == new_date and ticket.resolve_by_from_notice
    told = Notification.objects.filter(ticket=ticket, template="delay_notice", recipient=org.customer)
    assert set(told.values_list("channel", flat=True)) == {"email", "sms", "in_app"}

    # The customer, on their phone, sees the new date and why.
    customer: Page = pages.open("customer", phone=True)
    log_in(customer, org.customer.username, PASSWORD)
    customer.goto(reverse("portal:ticket_detail", args=[ticket.pk]))
    expected = customer.locator("#deadline-customer")
    expect(expected).to_contain_text(new_date.strftime("%Y-%m-%d %H:%M"))
    expect(expected).to_contain_text(REASON)
