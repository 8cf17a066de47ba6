"""The desk's timeline lines read in the reader's language, from kind and data."""
from __future__ import annotations

import pytest
from django.utils import translation

from desk.presenters import desk_event_text, duration_text, wait_text
from desk.services import DeskEvent
from tickets.models import TicketEvent


@pytest.mark.parametrize(
    ("kind", "data", "text"),
    [
        ("identity_checked", {"method": "employee_no_phone"}, "Reporter's identity confirmed: Employee number and phone match"),
        ("symptoms_recorded", {"count": 2}, "Symptom answers recorded (2)"),
        ("diagnosis_recorded", {"findings": "SSD", "minutes": 90}, "Diagnosis: SSD — expected duration 1 h 30 min"),
        ("consent_given", {"given_by": "김민수", "how": "portal"}, "김민수 agreed to the repair (In the portal)"),
        ("phone_call", {"agent": "한지민"}, "Phone call taken by 한지민"),
        ("callback_requested", {"caller": "김민수", "handler": "박준호"}, "Callback promised to 김민수 by 박준호"),
        ("callback_made", {"caller": "김민수"}, "Called back 김민수"),
        ("walk_in", {"visitor": "김민수", "handler": "박준호"}, "김민수 came to the office; 박준호 serves them"),
    ],
)
def test_every_desk_kind_has_a_sentence(kind, data, text):
    with translation.override("en"):
        assert desk_event_text(TicketEvent(kind=kind, data=data)) == text


def test_every_kind_the_desk_writes_is_covered_and_others_are_left_alone():
    with translation.override("en"):
        for kind in DeskEvent.ALL:
            assert desk_event_text(TicketEvent(kind=kind, data={})) is not None
        assert desk_event_text(TicketEvent(kind=TicketEvent.Kind.CREATED, data={})) is None


@pytest.mark.parametrize(("minutes", "text"), [(45, "45 min"), (60, "1 h"), (150, "2 h 30 min"), (None, ""), (0, "")])
def test_durations(minutes, text):
    with translation.override("en"):
        assert duration_text(minutes) == text


@pytest.mark.parametrize(("seconds", "text"), [(None, "—"), (42, "42 s"), (270, "4 min"), (3600, "1 h")])
def test_waits(seconds, text):
    with translation.override("en"):
        assert wait_text(seconds) == text
