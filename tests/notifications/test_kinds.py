"""The kinds of notice: every key the code tells people under belongs to a real
kind, found by the longest prefix, for its audience."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpdesk.notifications.kinds import CUSTOMER, KINDS, STAFF, kind_for, kinds_of
from standards import deadline_maths
from tickets.models import TicketEvent

ROOT = Path(__file__).resolve().parents[2]
APPS = ["audits", "charter", "conversations", "corrections", "desk", "feedback", "helpdesk", "largework",
        "standards", "surveys", "tickets", "visits"]
# A key is written with its ids, so as an f-string: f"<app>:<event>:…{id}…" (on
# a line about a key, a plain "<app>:<event>…" string too). URL names and cache
# keys are plain strings elsewhere, so they are not mistaken for keys.
PREFIXES = r"(?:audits|charter|conversations|corrections|desk|feedback|largework|surveys|tickets|visit)"
KEY_FSTRING = re.compile(r'\bf"(' + PREFIXES + r':[^"]*\{[^"]*)"')
KEY_PLAIN = re.compile(r'(?<![\w])"(' + PREFIXES + r':[^"]*)"')
KEY_LINE = re.compile(r"\bkey\b|\"key\":")
NOTICE_KEY_CALL = re.compile(r"\bnotice_key\(\s*([^,\s]+)")
# Placeholders in the event's place and what they stand for; a new one fails
# the walk until it is added here.
EXPANSIONS: dict[str, list[str]] = {
    # charter/repeats.py: the timeline kind of a repeat fault.
    "charter:{kind}": [TicketEvent.Kind.REPEAT_AT_RISK.value, TicketEvent.Kind.REPEAT_ESCALATED.value],
    # charter/deadline_sweep.py: notify.notice_key(s.kind, …), one of the ladder's moments.
    "notice_key(s.kind": [deadline_maths.RESPOND, deadline_maths.WARNING, deadline_maths.BREACH,
                          deadline_maths.ESCALATION],
    # conversations/notices.py: a status change told to the other side.
    "tickets:{event}": ["reopened", "cancelled"],
}


def _prefix_of(literal: str, path: Path) -> list[str]:
    """"desk:callback:{memo.pk}:new" -> ["desk:callback"]; "visit:{visit.pk}:…" -> ["visit"]."""
    app_name, _sep, rest = literal.partition(":")
    if not rest.startswith("{"):
        return [f"{app_name}:{rest.split(':', 1)[0]}"]
    placeholder = rest[: rest.index("}") + 1]
    if ".pk" in placeholder or "_id" in placeholder:
        return [app_name]  # the ids come first: the app is the prefix
    assert f"{app_name}:{placeholder}" in EXPANSIONS, f"{path}: add {app_name}:{placeholder!r} to EXPANSIONS"
    return [f"{app_name}:{e}" for e in EXPANSIONS[f"{app_name}:{placeholder}"]]


def key_prefixes() -> set[str]:
    """Every `<app>:<event>` the source tells people under, read from the code."""
    found: set[str] = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for line in path.read_text(encoding="utf-8").splitlines():
                literals = KEY_FSTRING.findall(line) + (KEY_PLAIN.findall(line) if KEY_LINE.search(line) else [])
                for literal in literals:
                    found.update(_prefix_of(literal, path))
                calls = [] if line.lstrip().startswith("def ") else NOTICE_KEY_CALL.findall(line)
                for argument in calls:
                    if argument.startswith('"'):
                        found.add(f"charter:{argument.strip(chr(34))}")
                    else:
                        call = f"notice_key({argument}"
                        assert call in EXPANSIONS, f"{path}: add {call!r} to EXPANSIONS"
                        found.update(f"charter:{e}" for e in EXPANSIONS[call])
    return found


def test_every_key_prefix_the_code_uses_maps_to_a_real_kind():
    prefixes = key_prefixes()
    # The walk itself works: it sees keys of every app that tells people.
    assert len(prefixes) >= 40, sorted(prefixes)
    assert {"charter:delay_notice", "charter:warning", "visit", "desk:callback", "surveys:follow-up-done"} <= prefixes
    uncovered = sorted(p for p in prefixes if not any(k.covers(f"{p}:x") for k in KINDS))
    assert not uncovered, f"key prefixes no kind covers (add them to helpdesk/notifications/kinds.py): {uncovered}"


@pytest.mark.parametrize(
    ("key", "audience", "code"),
    [
        ("charter:delay_notice:t4:l12:v1:u3", CUSTOMER, "customer.delay"),
        ("charter:warning:t4:l1:v1", STAFF, "staff.deadlines"),
        ("charter:repeat_escalated:t9", STAFF, "staff.repeat_vip"),
        # The same visit key is each audience's own "Visits".
        ("visit:7:v2:confirmed", CUSTOMER, "customer.visits"),
        ("visit:7:v2:prompt", STAFF, "staff.visits"),
        ("tickets:reopened:t3:1700", CUSTOMER, "customer.progress"),
        ("tickets:reopened:t3:1700", STAFF, "staff.assigned"),
        # The longest prefix wins, at a ":" boundary only.
        ("surveys:follow-up-done:f2", CUSTOMER, "customer.surveys"),
        ("surveys:follow-up:f2", STAFF, "staff.feedback"),
        ("desk:consent-ask:d5", CUSTOMER, "customer.progress"),
        ("desk:consent:5", STAFF, "staff.customer_replies"),
        ("largework:report-late:p1", STAFF, "staff.large_work"),
        ("largework:report-contact:p1", CUSTOMER, "customer.large_work"),
        # Unknown: the audience's "other".
        ("test:anything", STAFF, "staff.other"),
        ("test:anything", CUSTOMER, "customer.other"),
        ("visitor:3", CUSTOMER, "customer.other"),
    ],
)
def test_kind_for_finds_the_longest_prefix_for_the_audience(key, audience, code):
    assert kind_for(key, audience).code == code


def test_without_an_audience_any_kind_answers_and_the_unknown_is_other():
    assert kind_for("charter:breach:t1:l2:v1").code == "staff.deadlines"
    assert kind_for("no-such:key").code == "customer.other"


def test_what_cannot_be_turned_off_never_waits_for_a_digest_and_reads_nothing():
    always = {k.code for k in KINDS if not k.may_turn_off}
    assert always == {"customer.delay", "staff.deadlines", "staff.repeat_vip", "staff.audits"}
    assert all(not k.digestible and not k.reads_choices and k.always_because for k in KINDS if not k.may_turn_off)
    # Only staff e-mail waits for a digest; customers' notices never do.
    assert all(not k.digestible for k in kinds_of(CUSTOMER))
    # Time-critical staff notices go at once.
    assert {k.code for k in kinds_of(STAFF) if not k.digestible} == {
        "staff.deadlines", "staff.repeat_vip", "staff.desk", "staff.visits", "staff.audits",
    }
