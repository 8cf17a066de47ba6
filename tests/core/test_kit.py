"""One helper for each job (style.md, "Mend"): the local-time formatter and the
ISO helper write what the copies they replaced wrote, to the byte; and no app
grows its own ticket lock, timeline writer, ISO helper, local-time formatter,
door to the outbox, channel list, safe-redirect check or lead lookup again."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from helpdesk.core.times import iso_or_empty, local_hm, local_text
from visits.templatetags.visit_tags import local_dt
from visits.templatetags.visit_tags import local_hm as local_hm_filter

SEOUL = ZoneInfo("Asia/Seoul")
MOMENTS = [
    datetime(2026, 3, 10, 1, 0, tzinfo=UTC),  # 10:00 in Seoul
    datetime(2026, 12, 31, 15, 5, 9, tzinfo=UTC),  # past midnight in Seoul: the next year
    datetime(2026, 3, 10, 9, 30, tzinfo=SEOUL),
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_local_text_is_what_both_former_formatters_wrote(moment):
    assert local_text(moment) == date_format(timezone.localtime(moment), "Y-m-d H:i")
    assert local_text(moment) == timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    assert local_hm(moment) == timezone.localtime(moment).strftime("%H:%M")


def test_local_text_reads_seoul_time():
    assert local_text(datetime(2026, 12, 31, 15, 5, tzinfo=UTC)) == "2027-01-01 00:05"
    assert local_hm(datetime(2026, 3, 10, 1, 0, tzinfo=UTC)) == "10:00"


def test_no_moment_is_an_empty_string():
    assert local_text(None) == local_hm(None) == iso_or_empty(None) == ""


def test_iso_or_empty_keeps_the_moment_and_its_offset():
    moment = datetime(2026, 3, 10, 10, 0, tzinfo=SEOUL)
    assert iso_or_empty(moment) == "2026-03-10T10:00:00+09:00"
    assert datetime.fromisoformat(iso_or_empty(moment)) == moment


def test_the_visit_filters_keep_their_names_and_call_the_one_formatter():
    moment = MOMENTS[1]
    assert local_dt(moment) == local_text(moment) == "2027-01-01 00:05"
    assert local_hm_filter(moment) == local_hm(moment) == "00:05"
    assert local_dt(None) == local_hm_filter("") == ""


# --- one helper for each job ------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
APPS = ("helpdesk", "tickets", "standards", "desk", "visits", "charter", "demo", "bench")

# (what the copies looked like, the one module allowed to hold it)
ONE_HOME = [
    (r"Ticket\.objects\.select_for_update\(", "tickets/locks.py"),
    (r"TicketEvent\.objects\.create\(", "tickets/timeline.py"),
    (r"\.isoformat\(\) if [^\n]* else \"\"", "helpdesk/core/times.py"),
    (r"strftime\(\"%Y-%m-%d %H:%M\"\)|\"Y-m-d H:i\"|strftime\(\"%H:%M\"\)", "helpdesk/core/times.py"),
    (r"^(STAFF|CUSTOMER)_CHANNELS\b[^\n]*=", "helpdesk/notifications/doors.py"),
    (r"from helpdesk\.notifications\.services import [^\n]*\bnotify", "helpdesk/notifications/doors.py"),
    (r"url_has_allowed_host_and_scheme", "helpdesk/core/redirects.py"),
    (r"groups__name=Role\.SECTION_CHIEF|\blead\.is_active\b", "helpdesk/accounts/selectors.py"),
]


def _sources() -> list[tuple[str, str]]:
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            found.append((path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize(("pattern", "home"), ONE_HOME, ids=[home for _p, home in ONE_HOME])
def test_each_kind_of_helper_lives_in_one_module(pattern, home):
    regex = re.compile(pattern, re.MULTILINE)
    elsewhere = [name for name, text in _sources() if name != home and regex.search(text)]
    assert elsewhere == [], f"{pattern!r} belongs in {home} only"
