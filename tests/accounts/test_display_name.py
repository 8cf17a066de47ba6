"""A person's name reads the same everywhere: from the person, and from a row's
columns (the API's lists, the dashboard's load table)."""
from __future__ import annotations

import pytest

from helpdesk.accounts.models import User, display_name_of


@pytest.mark.parametrize(
    ("last", "first", "username", "shown"),
    [("홍", "길동", "hong", "홍길동"), ("", "", "hong", "hong"), (" ", "", "hong", "hong"), (None, None, "kim", "kim")],
)
def test_family_name_first_without_a_space_else_the_username(last, first, username, shown):
    assert display_name_of(last, first, username) == shown
    if last is not None:
        assert User(last_name=last, first_name=first, username=username).display_name == shown
