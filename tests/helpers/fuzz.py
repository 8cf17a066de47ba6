"""Property-based tests' shared pieces (hypothesis): what a browser, a hand-edited
link or a script may send, and the one property every page keeps: whatever
comes in, the answer is never a server error.

Quick on purpose: thirty examples a test, one request each, through one client
per person for the whole test (`kept_client_for`: a new client costs 0.1 s);
no example database written to the tree, no deadline (a first request warms
caches). The test client raises a view's exception instead of answering 500,
so a failure shows its traceback and hypothesis its smallest input.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# The dates of the probe, the edges of a month, and nonsense shaped like a date.
NASTY_DATES = [
    "2026-02-30", "2026-02-29", "2028-02-29", "9999-12-31", "0001-01-01", "0000-00-00", "20266-03-05",
    "2026-13-01", "2026-00-10", "-2026-03-10", "2026-3-1", "10000-01-01", "2026-03-10T10:00", "",
]
NASTY_NUMBERS = [
    "0", "-1", "1e308", "1e309", "NaN", "Infinity", "-0", "9" * 30, "9" * 5000, "2147483648", "1.5", "٣", "²", "0x10",
]

# Text a person could type: no surrogates (a browser cannot send them); NUL and
# other control characters included.
text = st.text(max_size=40)
dates = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31)),  # near: valid ones too
).map(date.isoformat)
date_text = st.one_of(st.sampled_from(NASTY_DATES), dates, text)
datetime_text = st.one_of(
    st.builds(lambda d, h, m: f"{d}T{h:02d}:{m:02d}", dates, st.integers(0, 30), st.integers(0, 70)),
    st.sampled_from([f"{d}T10:00" for d in NASTY_DATES] + NASTY_DATES),
    text,
)
time_text = st.one_of(
    st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(-1, 30), st.integers(0, 99)),
    st.sampled_from(["24:00", "23:59", "00:00", "12:60", "9:5", ""]),
    text,
)
number_text = st.one_of(
    st.sampled_from(NASTY_NUMBERS),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    text,
)


def fields(**strategies: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A form's data where every named field may be junk or left out."""
    return st.fixed_dictionaries({}, optional=strategies)


def no_server_error(response: Any) -> None:
    assert response.status_code < 500, (response.status_code, response.content[:500])
