"""Folding another app's panel on the staff ticket page: its summary line is the
panel's own heading (without a clause link: a summary cannot hold a link), and the
fold is named after the panel so a link to the panel finds it."""
from __future__ import annotations

from tickets.templatetags.ticket_fold_tags import panel_id, panel_title

PANEL = (
    '<section class="card mb-3" id="desk-gates" aria-labelledby="desk-gates-heading">\n'
    '  <div class="card-body">\n'
    '    <h2 class="h6" id="desk-gates-heading">작업 전 확인\n'
    '      <a class="clause-ref small text-muted" href="/charter/#clause-MT3" title="MT3">MT3</a>'
    ' <span class="badge">대기</span></h2>\n'
    '    <h2>두 번째 제목</h2>\n'
    "  </div>\n"
    "</section>"
)


def test_the_summary_line_is_the_panels_first_heading_without_its_clause_link() -> None:
    assert panel_title(PANEL) == "작업 전 확인 대기"


def test_the_fold_takes_the_panels_id() -> None:
    assert panel_id(PANEL) == "desk-gates"


def test_a_panel_without_a_heading_or_an_id_is_left_unfolded() -> None:
    assert panel_title('<div class="alert" role="note">VIP</div>') == ""
    assert panel_id('<div class="alert">VIP</div>') == ""
