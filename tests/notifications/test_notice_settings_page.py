"""/notifications/settings/: everyone signed in chooses how each kind of notice
reaches them; a customer sees only customers' kinds, staff see their work's
kinds and, since they file requests too, the customers' kinds as well; locked
choices are shown on, disabled, with the reason; a bad POST saves nothing and
loses nothing."""
from __future__ import annotations

import re

import pytest
from django.urls import reverse

from helpdesk.notifications.models import NoticePreference, NoticeRule

pytestmark = pytest.mark.django_db

URL = reverse("notifications:settings")


def box(html: str, name: str) -> str:
    """The <input> of a choice."""
    found = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert found, f"no box {name}"
    return found.group(0)


def test_signing_in_is_needed(client):
    assert client.get(URL).status_code == 302


def test_a_customer_sees_the_customers_kinds_only_and_no_digest(org, en_client_for):
    html = en_client_for(org.customer).get(URL).content.decode()
    assert "About your requests" in html and "Delay notices" in html and "Visits" in html
    assert "About your work" not in html and "Deadline warnings" not in html and 'name="digest"' not in html
    assert "checked" in box(html, "customer_visits__sms")


def test_staff_see_their_work_and_their_own_requests_with_the_digest(org, en_client_for):
    html = en_client_for(org.engineer).get(URL).content.decode()
    assert html.index("About your work") < html.index("About your requests")
    assert "Work assigned to me" in html and 'name="digest"' in html
    # Deadline warnings are shown on, disabled, with why; no box is sent for them.
    assert 'name="staff_deadlines__email"' not in html
    assert "a deadline promised to a customer must not pass unnoticed" in html
    assert "Always on" in html


def test_the_page_is_korean_first_and_linked_from_the_menu_and_the_list(org, client_for):
    client = client_for(org.customer)
    page = client.get(URL)
    assert page.status_code == 200 and '<html lang="ko">' in page.content.decode()
    assert URL in client.get(reverse("notifications:list")).content.decode()
    assert f'href="{URL}"' in client.get(reverse("portal:ticket_list")).content.decode()


def test_saving_keeps_what_was_ticked(org, en_client_for):
    client = en_client_for(org.customer)
    html = client.get(URL).content.decode()
    ticked = {m for m in re.findall(r'name="([a-z_]+__[a-z_]+)"[^>]*checked', html)}
    ticked.discard("customer_visits__sms")
    response = client.post(URL, {name: "on" for name in ticked}, follow=True)
    assert response.redirect_chain[-1] == (URL, 302)
    assert "Saved: 1 choice changed." in response.content.decode()
    assert list(NoticePreference.objects.values_list("user", "kind", "channel", "enabled")) == [
        (org.customer.pk, "customer.visits", "sms", False)
    ]
    assert "checked" not in box(response.content.decode(), "customer_visits__sms")
    # The same again: nothing changes.
    again = client.post(URL, {name: "on" for name in ticked}, follow=True)
    assert "Nothing changed." in again.content.decode()


def test_staff_choose_the_digest(org, en_client_for):
    client = en_client_for(org.engineer)
    html = client.get(URL).content.decode()
    ticked = dict.fromkeys(re.findall(r'name="([a-z_]+__[a-z_]+)"[^>]*checked', html), "on")
    client.post(URL, {**ticked, "digest": "on"})
    assert NoticePreference.objects.get(user=org.engineer).kind == "*"
    assert "checked" in box(client.get(URL).content.decode(), "digest")


def test_a_bad_post_says_so_saves_nothing_and_keeps_what_was_ticked(org, en_client_for, client_for):
    client = en_client_for(org.customer)
    response = client.post(URL, {"customer_visits__email": "on", "customer_progress__email": "maybe"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Some choices could not be read, so nothing was saved." in html
    assert "This choice could not be read" in html
    assert "checked" in box(html, "customer_visits__email")
    assert "checked" not in box(html, "customer_visits__sms")  # unticked in the request: still unticked
    assert not NoticePreference.objects.exists()
    # In Korean too, never a server error.
    assert client_for(org.customer).post(URL, {"customer_progress__sms": ["x", "y"]}).status_code == 400


def test_a_locked_choice_sent_anyway_changes_nothing(org, en_client_for):
    NoticeRule.objects.create(kind="customer.surveys", may_turn_off=False, reason="설문은 꼭 받아 주세요.")
    client = en_client_for(org.customer)
    html = client.get(URL).content.decode()
    assert "설문은 꼭 받아 주세요." in html and 'name="customer_surveys__email"' not in html
    ticked = dict.fromkeys(re.findall(r'name="([a-z_]+__[a-z_]+)"[^>]*checked', html), "on")
    # The surveys' boxes are not sent (unticked as far as the request goes): nothing about them is saved.
    assert client.post(URL, ticked).status_code == 302
    assert not NoticePreference.objects.filter(kind="customer.surveys").exists()


def test_a_channel_the_admins_do_not_offer_says_so(org, en_client_for):
    NoticeRule.objects.create(kind="customer.answers", sms=False)
    html = en_client_for(org.customer).get(URL).content.decode()
    assert 'name="customer_answers__sms"' not in html and "Text message: not used" in html


def test_kakaotalk_is_a_choice_once_configured(org, en_client_for, settings):
    assert 'name="customer_visits__kakao"' not in en_client_for(org.customer).get(URL).content.decode()
    settings.SOLAPI_KAKAO_PF_ID = "KA01PF-TEST"
    html = en_client_for(org.customer).get(URL).content.decode()
    assert "checked" in box(html, "customer_visits__kakao")
    assert "KakaoTalk takes the text message's place" in html
