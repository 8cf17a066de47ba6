"""The signed survey link (no login) and the one-visit token for the optional part.

The link carries only the survey id, signed with the project's secret and a salt
of its own, so it cannot be forged or pointed at another survey. Whether it may
still be used is the database's answer (`expires_at`, `answered_at`), not the
token's: a link works once and never after its survey expired.

The optional scores and comment ride on a second token that only the page
answering the overall score hands out, valid for `DETAILS_WINDOW`: whoever
holds only the e-mailed link can never add to or change an answer.
"""
from __future__ import annotations

from datetime import timedelta

from django.core import signing
from django.urls import reverse

LINK_SALT = "surveys.answer-link"
DETAILS_SALT = "surveys.answer-details"
# How long after the overall score the optional part may be added (the same visit).
DETAILS_WINDOW = timedelta(minutes=30)


def survey_token(survey_id: int) -> str:
    return signing.dumps(survey_id, salt=LINK_SALT, compress=False)


def survey_link(survey_id: int) -> str:
    """The path of the survey's page (e-mail and SMS make it absolute)."""
    return reverse("surveys:answer", args=[survey_token(survey_id)])


def survey_id_from(token: str) -> int | None:
    """The survey id a link names, or None for a tampered or malformed one."""
    try:
        value = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def details_token(survey_id: int) -> str:
    return signing.dumps(survey_id, salt=DETAILS_SALT, compress=False)


def details_survey_id(token: str) -> int | None:
    """The survey id of a still-valid details token, else None (tampered, or the visit is over)."""
    try:
        value = signing.loads(token, salt=DETAILS_SALT, max_age=DETAILS_WINDOW)
    except signing.BadSignature:  # SignatureExpired is a BadSignature
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
