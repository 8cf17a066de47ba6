"""The charter page lists every clause the product keeps (the clause list's
non-H clauses, in the charter's order) with the screens that keep it, as far as
the reader may open them, and either the scoreboard rows that measure it or why
it has no figure."""
from __future__ import annotations

import re
from pathlib import Path

from django.urls import reverse

from charter.clause_screens import CLAUSES
from charter.scoreboard.measures import BY_KEY, MEASURED_CLAUSES, MEASURES

ROOT = Path(__file__).resolve().parents[2]
# The clause list, copied into the repository beside the charter's text (as
# charter-ko.txt is) so that a fresh clone's tests read it too.
CLAUSE_LIST = ROOT / "charter" / "texts" / "clauses.md"
SHARED_CLAUSE_LIST = ROOT.parent / "shared" / "charter" / "clauses.md"
BOARD = reverse("charter:scoreboard:board")


def clause_list() -> list[tuple[str, bool]]:
    """(code, human conduct only?) of every row of the clause list's tables, in order."""
    rows = []
    for line in CLAUSE_LIST.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and re.fullmatch(r"[A-Z]{1,2}\d+", cells[0]):
            rows.append((cells[0], cells[2] == "H"))
    return rows


def kept_codes() -> list[str]:
    return [code for code, human in clause_list() if not human]


def page_of(client) -> dict[str, str]:
    """Each clause's item on the charter page, by code, in the page's order."""
    html = client.get(reverse("charter:charter")).content.decode()
    return dict(re.findall(r'<li class="list-group-item" id="clause-([A-Z0-9]+)">(.*?)</li>', html, re.S))


def part(item: str, css: str) -> str:
    found = re.search(rf'<div class="[^"]*\b{css}\b[^"]*">(.*?)</div>', item, re.S)
    return found.group(1) if found else ""


def hrefs(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


def links_of(client, code: str) -> set[str]:
    """The screens offered for a clause (its scoreboard links are apart)."""
    items = page_of(client)
    assert code in items, f"{code} is not on the charter page"
    return hrefs(part(items[code], "clause-screens"))


# --- Every clause, in order ----------------------------------------------------------------------


def test_the_clause_list_is_read_as_the_charter_lists_it():
    rows = clause_list()
    # The parser still finds the tables: every section, H clauses marked.
    assert len(rows) == 44
    assert rows[0] == ("P1", False) and rows[-1] == ("CT1", False)
    assert {code for code, human in rows if human} == {"P2", "OV6", "SV2", "PH4"}


def test_the_clause_list_in_the_repository_is_the_shared_one():
    # A clone without ../shared (CI) has only the copy; beside the shared
    # folder the copy must not have drifted from it.
    if SHARED_CLAUSE_LIST.exists():
        assert CLAUSE_LIST.read_bytes() == SHARED_CLAUSE_LIST.read_bytes(), "copy ../shared/charter/clauses.md again"
    assert CLAUSE_LIST.read_text(encoding="utf-8").count("| CT1 |") == 1


def test_every_clause_the_product_keeps_is_listed_in_the_charters_order():
    assert [c.code for c in CLAUSES] == kept_codes()


def test_the_page_shows_every_clause_in_order_to_anyone(en_client, db):
    assert list(page_of(en_client)) == kept_codes()


def test_each_clause_has_either_scoreboard_rows_or_a_reason():
    for clause in CLAUSES:
        if clause.is_board:
            assert not clause.measures and clause.reason, clause.code
        else:
            # A reason must never hide a figure the scoreboard has, nor a figure lack one.
            assert bool(clause.measures) != bool(clause.reason), clause.code
    assert MEASURED_CLAUSES <= {c.code for c in CLAUSES}


def test_the_readme_names_exactly_the_clauses_without_a_figure():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"the charter page shows every other clause below with the reason(.*?)\n\n", readme, re.S)
    assert found, "the README's paragraph on clauses without a figure is gone"
    named = set(re.findall(r"\b([A-Z]{1,2}\d)\b", found.group(1))) - {"IM1"}
    assert named == {c.code for c in CLAUSES if c.reason and not c.is_board}


def test_for_whoever_may_view_the_board_every_clause_links_to_its_rows_or_says_why_not(client_for, section_chief):
    items = page_of(client_for(section_chief))
    for code in kept_codes():
        item = items[code]
        figures = hrefs(part(item, "clause-figures"))
        reason = part(item, "clause-reason").strip()
        rows = {f"{BOARD}#row-{m.key}" for m in MEASURES if m.clause == code}
        if code == "IM1":
            assert figures == {BOARD} and not reason  # the scoreboard itself
        elif rows:
            assert figures == rows and not reason, code
        else:
            assert not figures and reason, code


def test_every_row_of_the_scoreboard_is_linked_from_its_clause_and_exists(client_for, section_chief):
    client = client_for(section_chief)
    items = page_of(client)
    board = client.get(BOARD).content.decode()
    for measure in MEASURES:
        assert f'href="{BOARD}#row-{measure.key}"' in items[measure.clause], measure.key
        assert f'id="row-{measure.key}"' in board, measure.key


def test_whoever_may_not_view_the_board_sees_what_is_measured_without_links(client_for, customer):
    items = page_of(client_for(customer))
    assert not any(BOARD in item for item in items.values())
    assert str(BY_KEY["mt1_on_time"].label) in part(items["MT1"], "clause-figures")
    # IM1 cannot link the scoreboard for them, so it says what keeps the promise.
    assert "charter scoreboard" in part(items["IM1"], "clause-reason")
    assert "nothing to miss" in part(items["MT3"], "clause-reason")


def test_an_engineer_may_view_the_board_and_gets_its_links(client_for, engineer):
    items = page_of(client_for(engineer))
    assert f"{BOARD}#row-sv1_on_time" in hrefs(part(items["SV1"], "clause-figures"))


# --- The screens, shown to the right people -----------------------------------------------------


def test_every_voice_clause_is_listed_for_anyone(client, db):
    for code in ("P1", "P4", "IM2", "CP1", "CC1", "CC3", "CR1", "CR2", "CR3"):
        assert links_of(client, code) == set()  # the promise is public; its screens need a sign-in


def test_a_signed_out_visitor_is_shown_only_the_public_standards(client, db):
    items = page_of(client)
    assert hrefs(part(items["P5"], "clause-screens")) == {reverse("standards")}
    assert all(hrefs(part(item, "clause-screens")) <= {reverse("standards")} for item in items.values())


def test_a_customer_is_shown_where_to_speak_up(client_for, customer):
    client = client_for(customer)
    assert reverse("surveys:mine") in links_of(client, "IM2")
    assert reverse("feedback:my_new") in links_of(client, "CP1")
    assert links_of(client, "CR2") == {reverse("audits:report")}
    assert links_of(client, "P4") == set()
    assert links_of(client, "CR1") == set()
    assert links_of(client, "CC2") == {reverse("portal:ticket_new")}
    assert links_of(client, "MT1") == set()  # the queues are staff's


def test_a_lead_is_shown_the_queues(client_for, lead):
    client = client_for(lead)
    assert links_of(client, "P4") == {reverse("surveys:follow_ups")}
    assert links_of(client, "CR1") == {reverse("corrections:list")}
    assert reverse("feedback:team") in links_of(client, "CR3")
    assert reverse("audits:cases") not in links_of(client, "CR2")
    assert links_of(client, "MT1") == {reverse("staff:queue"), reverse("charter:escalated")}
    assert links_of(client, "PH1") == set()  # the phone intake is the desk agents'


def test_a_desk_agent_is_shown_the_phone_and_the_walk_ins(client_for, desk_agent):
    client = client_for(desk_agent)
    assert links_of(client, "PH1") == {reverse("desk:phone")}
    assert reverse("desk:walk_ins") in links_of(client, "OV4")
    assert links_of(client, "MT5") == set()  # the dashboard is the leads'


def test_only_an_approver_is_shown_the_plans_to_approve(client_for, approver, lead):
    assert links_of(client_for(approver), "BS2") == {reverse("largework:approvals")}
    assert links_of(client_for(lead), "BS2") == set()


def test_only_an_auditor_is_shown_the_audit_cases(client_for, auditor, admin_user):
    assert reverse("audits:cases") in links_of(client_for(auditor), "CR2")
    # A superuser holds every permission, but the cases are the auditors' alone.
    assert reverse("audits:cases") not in links_of(client_for(admin_user), "CR2")
