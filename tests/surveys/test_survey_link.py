"""IM2: the survey page behind the signed link — no login, one tap, once.
A tampered, expired or used link gets a kind page and records nothing; an
out-of-range score is refused with a translated message."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from surveys.links import DETAILS_WINDOW, details_token, survey_token
from surveys.models import FollowUp, Survey
from tests.surveys.survey_steps import link_of
from tickets.models import TicketEvent

pytestmark = pytest.mark.django_db


def _recorded(survey: Survey) -> tuple:
    survey.refresh_from_db()
    return survey.overall, survey.answered_at, survey.details_at, survey.comment


def test_the_link_opens_five_big_buttons_without_login_in_korean(survey):
    page = Client().get(link_of(survey))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('name="overall"') == 5
    assert '<html lang="ko">' in html  # Korean first, for a visitor who is not signed in


def test_one_tap_records_the_overall_score_then_offers_the_optional_part(survey):
    client = Client()
    page = client.post(link_of(survey), {"overall": "4"})
    assert page.status_code == 200
    assert 'id="survey-details-form"' in page.content.decode()
    survey.refresh_from_db()
    assert survey.overall == 4 and survey.answered_at is not None
    assert TicketEvent.objects.filter(ticket=survey.ticket, kind="survey_answered", data__overall=4).exists()


@pytest.mark.parametrize("token", ["", "x", "abc:def", "1:AAAAAAAAAAAAAAAAAAAAAAAAAAA"])
def test_a_tampered_link_gets_a_kind_page_and_records_nothing(survey, token):
    good = survey_token(survey.pk)
    bad = token or good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    for method in ("get", "post"):
        page = getattr(Client(), method)(reverse("surveys:answer", args=[bad]), {"overall": "5"})
        assert page.status_code == 200
        assert 'data-state="invalid"' in page.content.decode()
    assert _recorded(survey) == (None, None, None, "")


def test_a_link_for_another_salt_does_not_open_a_survey(survey):
    # The details token (another salt) is not a survey link.
    page = Client().post(reverse("surveys:answer", args=[details_token(survey.pk)]), {"overall": "5"})
    assert 'data-state="invalid"' in page.content.decode()
    assert _recorded(survey)[0] is None


def test_the_link_works_until_the_second_it_expires(survey, frozen):
    frozen.move_to(survey.expires_at - timedelta(seconds=1))
    assert 'name="overall"' in Client().get(link_of(survey)).content.decode()
    frozen.move_to(survey.expires_at)
    for method in ("get", "post"):
        page = getattr(Client(), method)(link_of(survey), {"overall": "1"})
        assert 'data-state="expired"' in page.content.decode()
    assert _recorded(survey) == (None, None, None, "")
    assert not FollowUp.objects.exists()


def test_a_used_link_says_thank_you_and_changes_nothing(survey):
    Client().post(link_of(survey), {"overall": "5"})
    before = _recorded(survey)
    for method in ("get", "post"):
        page = getattr(Client(), method)(link_of(survey), {"overall": "1"})
        assert page.status_code == 200
        assert 'data-state="answered"' in page.content.decode()
    assert _recorded(survey) == before
    assert not FollowUp.objects.exists()
    assert TicketEvent.objects.filter(kind="survey_answered").count() == 1


@pytest.mark.parametrize("value", ["0", "6", "-1", "abc", "", "３", "99999999999999999999"])
def test_an_out_of_range_score_is_refused_with_a_message_and_nothing_is_recorded(survey, value):
    page = Client(HTTP_COOKIE="django_language=en").post(link_of(survey), {"overall": value})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Choose a score from 1 to 5." in html
    assert html.count('name="overall"') == 5
    assert _recorded(survey) == (None, None, None, "")


def test_the_optional_part_is_added_once_in_the_same_visit(survey):
    client = Client()
    client.post(link_of(survey), {"overall": "3"})
    token = details_token(survey.pk)
    page = client.post(reverse("surveys:details"), {"details": token, "speed": "2", "kindness": "5", "comment": "친절했어요"})
    assert 'id="survey-thanks"' in page.content.decode()
    survey.refresh_from_db()
    assert (survey.overall, survey.speed, survey.kindness, survey.result, survey.comment) == (3, 2, 5, None, "친절했어요")
    # The same token again (a second tab, a replay): nothing changes.
    page = client.post(reverse("surveys:details"), {"details": token, "speed": "1", "comment": "바꿈"})
    assert 'data-state="answered"' in page.content.decode()
    survey.refresh_from_db()
    assert (survey.speed, survey.comment) == (2, "친절했어요")


def test_the_optional_part_closes_after_the_visit(survey, frozen):
    Client().post(link_of(survey), {"overall": "4"})
    token = details_token(survey.pk)
    frozen.shift(DETAILS_WINDOW + timedelta(seconds=1))
    page = Client().post(reverse("surveys:details"), {"details": token, "comment": "늦게"})
    assert 'data-state="details_closed"' in page.content.decode()
    assert _recorded(survey)[2:] == (None, "")


def test_a_forged_details_token_or_one_before_any_answer_adds_nothing(survey):
    page = Client().post(reverse("surveys:details"), {"details": survey_token(survey.pk), "comment": "x"})
    assert 'data-state="details_closed"' in page.content.decode()
    # A valid-looking token for a survey nobody answered: refused too.
    page = Client().post(reverse("surveys:details"), {"details": details_token(survey.pk), "comment": "x"})
    assert 'data-state="expired"' in page.content.decode() or 'data-state="answered"' in page.content.decode()
    assert _recorded(survey) == (None, None, None, "")


def test_an_out_of_range_optional_score_is_refused_keeping_the_comment(survey):
    client = Client(HTTP_COOKIE="django_language=en")
    client.post(link_of(survey), {"overall": "4"})
    page = client.post(
        reverse("surveys:details"), {"details": details_token(survey.pk), "speed": "9", "comment": "빨랐어요"}
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "빨랐어요" in html and "Choose a score from 1 to 5." in html
    survey.refresh_from_db()
    assert survey.details_at is None and survey.speed is None


def test_a_signed_in_customer_sees_open_surveys_in_the_portal(survey, client_for, org):
    page = client_for(org.customer).get(reverse("surveys:mine"))
    assert link_of(survey) in page.content.decode()
    detail = client_for(org.customer).get(reverse("portal:ticket_detail", args=[survey.ticket_id]))
    assert link_of(survey) in detail.content.decode()
    # Another customer sees nothing of it.
    assert link_of(survey) not in client_for(org.other_customer).get(reverse("surveys:mine")).content.decode()
