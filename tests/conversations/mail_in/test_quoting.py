"""A reply keeps only what was written above the quoted message (conversations.mail_in.quoting)."""
from __future__ import annotations

import pytest

from conversations.mail_in.quoting import reply_trim


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # Korean Gmail, and its header wrapped onto two lines.
        ("잘 해결되었습니다.\n\n2026년 3월 10일 (화) 오전 10:00, 업무지원팀 <eservice@hcnc.co.kr>님이 작성:\n> 요청 #12",
         "잘 해결되었습니다."),
        ("감사합니다\n\n2026년 3월 10일 (화) 오전 10:00, 업무지원팀 <eservice@hcnc.co.kr>\n님이 작성:\n> 안내",
         "감사합니다"),
        # English Gmail, one line and wrapped.
        ("Thanks!\n\nOn Tue, Mar 10, 2026 at 10:00 AM Service Desk <eservice@hcnc.co.kr> wrote:\n> hi", "Thanks!"),
        ("Thanks!\n\nOn Tue, Mar 10, 2026 at 10:00 AM Service Desk <eservice@hcnc.co.kr>\nwrote:\n> hi", "Thanks!"),
        # Outlook: the separator, and the header block without one (Korean and English).
        ("네 알겠습니다\n\n-----원본 메시지-----\n보낸 사람: 업무지원팀\n제목: 안내", "네 알겠습니다"),
        ("OK\n\n-----Original Message-----\nFrom: Desk\nSubject: x", "OK"),
        ("확인했습니다\n________________________________\n보낸 사람: 업무지원팀 <eservice@hcnc.co.kr>\n"
         "보낸 날짜: 2026년 3월 10일 화요일 오전 10:00\n받는 사람: 김민수\n제목: 요청 #12", "확인했습니다"),
        ("OK\n________________________________\nFrom: Service Desk <eservice@hcnc.co.kr>\n"
         "Sent: Tuesday, March 10, 2026 10:00 AM\nTo: Kim\nSubject: #12", "OK"),
        # Our own marker, in any language.
        ("Reply text\n##- 이 줄 위에 답장을 쓰시면 요청에 의견으로 추가됩니다. -##\n요청 #12 본문", "Reply text"),
        ("위에 씁니다\n\n##- Reply above this line to add a comment to the ticket. -##\nOld notice", "위에 씁니다"),
        # Answers between quoted lines keep the answers.
        ("> question?\nmy answer\n> another?\nanswer 2", "my answer\nanswer 2"),
    ],
)
def test_the_quoted_message_is_cut(text, kept):
    assert reply_trim(text) == kept


def test_a_line_that_only_looks_like_a_header_stays():
    text = "From: me I think the printer is broken\nit stops on page 2"
    assert reply_trim(text) == text


def test_a_reply_written_only_below_the_quote_is_kept_whole_rather_than_lost():
    assert reply_trim("> only quoted") == "> only quoted"
    assert reply_trim("") == ""


def test_an_html_only_reply_is_cut_at_its_quote_too():
    from conversations.mail_in.html_text import html_to_text

    gmail = (
        '<div dir="ltr">네, 내일 오전이 좋습니다.</div><br><div class="gmail_quote"><div class="gmail_attr">'
        "2026년 3월 10일 (화) 오전 10:00, 업무지원팀 &lt;eservice@hcnc.co.kr&gt;님이 작성:<br></div>"
        '<blockquote class="gmail_quote"><div>##- 이 줄 위에 답장을 쓰시면 … -##</div><p>요청 #12 안내</p></blockquote></div>'
    )
    outlook = (
        "<div>확인했습니다.</div><hr><div id=\"divRplyFwdMsg\"><b>보낸 사람:</b> 업무지원팀 &lt;eservice@hcnc.co.kr&gt;<br>"
        "<b>보낸 날짜:</b> 2026년 3월 10일 화요일 오전 10:00<br><b>받는 사람:</b> 김민수<br><b>제목:</b> #12</div><div>본문</div>"
    )
    assert reply_trim(html_to_text(gmail)) == "네, 내일 오전이 좋습니다."
    assert reply_trim(html_to_text(outlook)) == "확인했습니다."
