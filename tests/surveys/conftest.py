"""Surveys start on a Tuesday at 10:00 in Seoul (tests.helpers.clock.NOW), with
the seeded service standard active: quiet period 30 days, reminder after 48
hours, links valid 14 days, a follow-up at a score of 2 or less, due in 2
business days."""
from __future__ import annotations

import pytest

from surveys.models import Survey
from tests.surveys.survey_steps import resolved, survey_of


@pytest.fixture
def survey(org, standard, frozen) -> Survey:
    """The survey the customer got when the engineer resolved their ticket."""
    return survey_of(resolved(org))
