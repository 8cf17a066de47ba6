"""Panels of the staff ticket page drawn when their fold is opened (tickets.panels.OnDemand):
the page holds their title and place and none of their reads; the panel's own
address draws it, scoped exactly like the page."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from tickets import services
from tickets.models import Channel


@pytest.fixture
def ticket(org):
    return services.ticket_create(
        actor=org.customer, reporter=org.customer, reporter_name=org.customer.display_name,
        reporter_department=org.customer_dept, title="프린터 용지 걸림", asset=org.asset, category=org.category,
    )


def panel_url(ticket, key: str) -> str:
    return reverse("staff:ticket_panel", args=[ticket.pk, key])


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_page_holds_the_visits_fold_but_not_its_reads(org, ticket, client_for):
    client = english(client_for(org.engineer))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("staff:ticket_detail", args=[ticket.pk])).content.decode()
    assert f'data-panel-url="{panel_url(ticket, "visits")}"' in html
    assert 'id="visits"' in html  # links to #visits (the next step, the "more" menu) still find it
    # (the next step on top asks only whether a visit exists, inside its one query)
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT "visits_visit"')]


def test_the_panel_address_draws_the_visits_panel(org, ticket, client_for):
    response = english(client_for(org.engineer)).get(panel_url(ticket, "visits"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="visits"' in html
    assert reverse("visits:book", args=[ticket.pk]) in html  # the booking form, as on the page before


def test_a_first_occurrence_has_no_repeat_fold(org, ticket, client_for):
    ticket.repeat_occurrence = 1
    ticket.save(update_fields=["repeat_occurrence"])
    html = client_for(org.engineer).get(reverse("staff:ticket_detail", args=[ticket.pk])).content.decode()
    assert panel_url(ticket, "repeat") not in html


def test_a_counted_repeat_has_its_fold(org, ticket, client_for):
    ticket.repeat_occurrence = 2
    ticket.save(update_fields=["repeat_occurrence"])
    html = client_for(org.engineer).get(reverse("staff:ticket_detail", args=[ticket.pk])).content.decode()
    assert f'data-panel-url="{panel_url(ticket, "repeat")}"' in html


def test_a_panel_with_nothing_to_show_says_so(org, ticket, client_for):
    # Asked for directly while the ticket is no repeat: the panel says it has nothing.
    response = english(client_for(org.engineer)).get(panel_url(ticket, "repeat"))
    assert response.status_code == 200
    assert "Nothing here for this request." in response.content.decode()


@pytest.mark.parametrize("who", ["other_engineer", "customer"])
def test_someone_elses_ticket_is_a_404(org, ticket, client_for, who):
    outsider = f.UserFactory(team=org.other_team, department=org.maintenance_dept, roles=["engineer"])
    person = outsider if who == "other_engineer" else org.customer
    assert client_for(person).get(panel_url(ticket, "visits")).status_code == 404


def test_an_unknown_panel_is_a_404(org, ticket, client_for):
    assert client_for(org.engineer).get(panel_url(ticket, "nothing")).status_code == 404
    # A panel that is drawn on the page itself has no address of its own.
    assert client_for(org.engineer).get(panel_url(ticket, "deadline")).status_code == 404


def test_signed_out_goes_to_sign_in(ticket, client):
    response = client.get(panel_url(ticket, "visits"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_gates_drawn_on_demand_return_to_the_ticket_page(org, ticket, client_for):
    client = client_for(org.engineer)
    page = reverse("staff:ticket_detail", args=[ticket.pk])
    with CaptureQueriesContext(connection) as queries:
        html = client.get(page).content.decode()
    assert f'data-panel-url="{panel_url(ticket, "gates")}"' in html and 'id="desk-gates"' in html
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT "desk_identitycheck"')]

    gates = client.get(panel_url(ticket, "gates")).content.decode()
    assert 'id="desk-identity"' in gates  # the identity check's form, as on the page before
    assert f'name="next" value="{page}"' in gates
    assert panel_url(ticket, "gates") not in gates


def test_corrections_have_a_fold_on_finished_work_only(org, ticket, client_for):
    client = client_for(org.engineer)
    page = reverse("staff:ticket_detail", args=[ticket.pk])
    assert panel_url(ticket, "corrections") not in client.get(page).content.decode()  # open, never corrected
    ticket.status = "resolved"
    ticket.save(update_fields=["status"])
    assert f'data-panel-url="{panel_url(ticket, "corrections")}"' in client.get(page).content.decode()
    drawn = client.get(panel_url(ticket, "corrections")).content.decode()
    assert 'id="correction-panel"' in drawn and reverse("corrections:open", args=[ticket.pk]) in drawn


def test_no_id_is_used_twice_once_the_panels_arrive(org, client_for):
    import re

    # Taken by the desk on the phone: the identity check is still to do, so the
    # gates carry their form (with a "note" of its own, as the status form has).
    ticket = services.ticket_create(
        actor=org.desk_agent, reporter=org.customer, reporter_name=org.customer.display_name,
        reporter_department=org.customer_dept, title="전화 접수 장애", asset=org.asset, category=org.category,
        channel=Channel.PHONE,
    )
    client = client_for(org.engineer)
    page = client.get(reverse("staff:ticket_detail", args=[ticket.pk])).content.decode()
    drawn = [client.get(panel_url(ticket, key)).content.decode() for key in ("gates", "visits")]
    # Each placeholder is replaced by its panel, which keeps its id.
    ids = re.findall(r'\sid="([^"]+)"', page) + [i for html in drawn for i in re.findall(r'\sid="([^"]+)"', html)]
    placeholders = {"desk-gates", "visits"}
    repeated = {i for i in ids if ids.count(i) > 1} - placeholders
    assert not repeated, repeated
