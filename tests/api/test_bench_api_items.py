"""The API's bench items (bench/api_items.py): each answers 200 through the
full stack with a bearer token, within the query budget of issue 15 (≤ 10)."""
from __future__ import annotations

import json
from io import StringIO

from api.models import ApiToken
from bench.runner import main


def run(*argv: str) -> list[dict]:
    out = StringIO()
    assert main(list(argv), out=out, log=StringIO()) == 0
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def test_api_items_answer_with_a_token_within_ten_queries(db):
    lines = run("pages", "--tickets", "60", "--repeat", "2", "--warmup", "1", "--items", "api_ticket_list,api_ticket_detail")
    assert [line["item"] for line in lines] == ["api_ticket_list", "api_ticket_detail"]
    for line in lines:
        assert line["status"] == 200, line
        assert line["url"].startswith("/api/tickets/")
        assert 1 <= line["queries"] <= 10, line
    # One live bench token per person: a second run revokes the first run's.
    run("pages", "--tickets", "60", "--repeat", "1", "--warmup", "0", "--items", "api_ticket_detail")
    live = ApiToken.objects.filter(name="bench", revoked_at__isnull=True)
    assert live.count() == 2 and live.values("user").distinct().count() == 2
