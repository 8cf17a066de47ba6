"""The charter page links each customer-voice clause (P1, P4, IM2, CP1, CC1,
CC3, CR1–CR3) to the screens that keep it, as far as the reader may open them."""
from __future__ import annotations

import re

from django.urls import reverse


def links_of(client, code: str) -> set[str]:
    html = client.get(reverse("charter:charter")).content.decode()
    item = re.search(rf'<li class="list-group-item" id="clause-{code}">(.*?)</li>', html, re.S)
    assert item, f"{code} is not on the charter page"
    return set(re.findall(r'href="([^"]+)"', item.group(1)))


def test_every_voice_clause_is_listed_for_anyone(client, db):
    for code in ("P1", "P4", "IM2", "CP1", "CC1", "CC3", "CR1", "CR2", "CR3"):
        assert links_of(client, code) == set()  # the promise is public; its screens need a sign-in


def test_a_customer_is_shown_where_to_speak_up(client_for, customer):
    client = client_for(customer)
    assert reverse("surveys:mine") in links_of(client, "IM2")
    assert reverse("feedback:my_new") in links_of(client, "CP1")
    assert links_of(client, "CR2") == {reverse("audits:report")}
    assert links_of(client, "P4") == set()
    assert links_of(client, "CR1") == set()


def test_a_lead_is_shown_the_queues(client_for, lead):
    client = client_for(lead)
    assert links_of(client, "P4") == {reverse("surveys:follow_ups")}
    assert links_of(client, "CR1") == {reverse("corrections:list")}
    assert reverse("feedback:team") in links_of(client, "CR3")
    assert reverse("audits:cases") not in links_of(client, "CR2")


def test_only_an_auditor_is_shown_the_audit_cases(client_for, auditor, admin_user):
    assert reverse("audits:cases") in links_of(client_for(auditor), "CR2")
    # A superuser holds every permission, but the cases are the auditors' alone.
    assert reverse("audits:cases") not in links_of(client_for(admin_user), "CR2")
