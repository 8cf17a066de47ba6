"""The escalated list's `?level=` (issue 16): a level from 1 to 9 filters; anything
else — text, "²", a 30-digit number, 10 — shows every level and says so."""
from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("standard")

NOTICE = "That level was not understood; every level from 1 is shown."


@pytest.mark.parametrize("typed", ["abc", "²", "٣", "9" * 30, "10", "0", "-2", "1.5"])
def test_a_level_not_on_the_ladder_shows_every_level_saying_so(org, client_for, typed):
    response = client_for(org.lead).get(reverse("charter:escalated"), {"level": typed})
    assert response.status_code == 200
    assert response.context["min_level"] == 1 and response.context["notices"] == [NOTICE]
    assert NOTICE in response.content.decode()


@pytest.mark.parametrize(("typed", "level"), [("", 1), ("1", 1), ("3", 3), ("9", 9)])
def test_a_level_on_the_ladder_filters_without_a_notice(org, client_for, typed, level):
    response = client_for(org.lead).get(reverse("charter:escalated"), {"level": typed})
    assert response.context["min_level"] == level and response.context["notices"] == []
