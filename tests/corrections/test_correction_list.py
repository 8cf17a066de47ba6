"""CR1: the leads' list of their teams' corrections."""
from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from corrections.services import correction_open
from tests.helpers.clients import logged_in
from tests.helpers.ticket_steps import move, open_ticket
from tickets.models import Kind


def _finished(org, engineer):
    now = timezone.now()
    ticket = open_ticket(org, now, kind=Kind.SUPPORT, assign=engineer)
    move(ticket, "diagnose", engineer, now)
    return move(ticket, "resolve", engineer, now, note="해결")


def test_cr1_the_lead_sees_their_teams_corrections_and_the_chief_all(org, section_chief, django_assert_max_num_queries):
    for _n in range(3):
        correction_open(ticket=_finished(org, org.engineer), actor=org.lead, reason="우리 팀", what_was_wrong="x")
    other = correction_open(ticket=_finished(org, org.other_engineer), actor=org.other_engineer, reason="다른 팀", what_was_wrong="x")
    client = logged_in(org.lead)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("corrections:list")).content.decode()
    assert page.count("data-correction=") == 3 and "다른 팀" not in page
    chief_page = logged_in(section_chief).get(reverse("corrections:list")).content.decode()
    assert chief_page.count("data-correction=") == 4 and f'data-correction="{other.pk}"' in chief_page


def test_cr1_the_list_is_for_leads_only(org):
    assert logged_in(org.engineer).get(reverse("corrections:list")).status_code == 403
    assert logged_in(org.customer).get(reverse("corrections:list")).status_code == 403


def test_cr1_the_list_pages(org):
    ticket = _finished(org, org.engineer)
    for _n in range(27):
        correction_open(ticket=ticket, actor=org.lead, reason="재점검", what_was_wrong="x")
        move(ticket, "resolve", org.engineer, timezone.now(), note="해결")
    client = logged_in(org.lead)
    assert client.get(reverse("corrections:list")).content.decode().count("data-correction=") == 25
    assert client.get(reverse("corrections:list") + "?page=2").content.decode().count("data-correction=") == 2
    assert client.get(reverse("corrections:list") + "?state=open").content.decode().count("data-correction=") == 0
