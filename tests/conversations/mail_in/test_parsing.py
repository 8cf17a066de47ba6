"""Reading mail as Korean offices send it (conversations.mail_in.parsing): every
charset, raw 8-bit headers, HTML-only mail, attachments, and malformed MIME
that must never raise."""
from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conversations.mail_in.parsing import mail_key, mail_parse
from tests.conversations.mail_in.helpers import PNG, legacy_korean_mail, mail

SUBJECT = "모니터 화면 깜빡임 똠방각하"  # 똠 is in CP949, not in EUC-KR
TEXT = "안녕하세요.\n2층 회계팀 모니터가 계속 깜빡입니다."


@pytest.mark.parametrize("charset", ["euc-kr", "cp949", "iso-2022-kr", "utf-8"])
def test_the_subject_sender_and_body_read_in_every_korean_charset(charset):
    subject = SUBJECT if charset in ("cp949", "utf-8") else "모니터 화면 깜빡임"
    raw = legacy_korean_mail(sender="Kim@Example.co.kr", subject=subject, text=TEXT, charset=charset)
    parsed = mail_parse(raw)
    assert parsed.subject == subject
    assert parsed.from_name == "김민수" and parsed.from_address == "kim@example.co.kr"
    assert parsed.text == TEXT


def test_cp949_text_under_an_euc_kr_label_reads_whole():
    """Outlook and old mailers label CP949 as EUC-KR (or ks_c_5601-1987)."""
    body = base64.encodebytes(SUBJECT.encode("cp949")).decode("ascii")
    for label in ("euc-kr", "ks_c_5601-1987"):
        raw = (
            f"From: a@example.co.kr\r\nSubject: =?{label}?B?{base64.b64encode(SUBJECT.encode('cp949')).decode()}?=\r\n"
            f"Content-Type: text/plain; charset={label}\r\nContent-Transfer-Encoding: base64\r\n\r\n{body}"
        ).encode("ascii")
        parsed = mail_parse(raw)
        assert parsed.subject == SUBJECT and parsed.text == SUBJECT, label


def test_raw_8bit_headers_and_a_missing_charset_are_read_as_korean():
    raw = b"From: " + "홍길동".encode("cp949") + b" <hong@example.co.kr>\r\nSubject: " + "프린터 고장".encode("euc-kr")
    raw += b"\r\nContent-Type: text/plain\r\n\r\n" + "용지가 걸렸습니다".encode("euc-kr")
    parsed = mail_parse(raw)
    assert parsed.subject == "프린터 고장"
    assert parsed.from_name == "홍길동" and parsed.from_address == "hong@example.co.kr"
    assert parsed.text == "용지가 걸렸습니다"


def test_a_wrong_charset_falls_back_to_what_the_bytes_are():
    utf8 = b"Subject: x\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    assert mail_parse(utf8 + "한글 본문".encode()).text == "한글 본문"
    assert mail_parse(utf8 + "한글 본문".encode("cp949")).text == "한글 본문"
    nonsense = b"Subject: x\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n\r\n\xff\xfe\xfd ok"
    assert mail_parse(nonsense).text.endswith("ok")


def test_an_html_only_mail_becomes_readable_text():
    html = (
        "<html><head><style>p {color: red}</style><script>alert(1)</script></head><body>"
        "<p>안녕하세요,</p><p>3층 프린터가&nbsp;고장&amp;났습니다.<br>확인 부탁드립니다.</p>"
        "<ul><li>모델: HP 400</li><li>위치: 3층</li></ul></body></html>"
    )
    parsed = mail_parse(mail(text=None, html=html))
    assert parsed.text == "안녕하세요,\n\n3층 프린터가 고장&났습니다.\n확인 부탁드립니다.\n\n- 모델: HP 400\n- 위치: 3층"
    assert "alert" not in parsed.text and "color" not in parsed.text


def test_the_plain_part_of_an_alternative_is_preferred():
    parsed = mail_parse(mail(text="plain words", html="<p>html words</p>"))
    assert parsed.text == "plain words" and parsed.files == []


def test_attachments_keep_their_korean_names_and_bytes():
    raw = mail(files=[("오류 화면.png", "image/png", PNG), ("견적서.pdf", "application/pdf", b"%PDF-1.4 1")])
    parsed = mail_parse(raw)
    assert [(f.name, f.content_type, f.content) for f in parsed.files] == [
        ("오류 화면.png", "image/png", PNG),
        ("견적서.pdf", "application/pdf", b"%PDF-1.4 1"),
    ]


def test_a_raw_8bit_attachment_name_and_a_path_in_a_name_are_cleaned():
    raw = (
        b'From: a@example.co.kr\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: text/plain\r\n\r\nbody\r\n--b\r\n"
        b'Content-Type: application/pdf\r\nContent-Disposition: attachment; filename="' + "견적.pdf".encode("cp949")
        + b'"\r\n\r\n%PDF-1\r\n--b\r\n'
        b'Content-Type: text/plain\r\nContent-Disposition: attachment; filename="../../etc/passwd.txt"\r\n\r\nx\r\n--b--\r\n'
    )
    names = [f.name for f in mail_parse(raw).files]
    assert names == ["견적.pdf", "passwd.txt"]


def test_a_forwarded_message_is_one_file_not_the_senders_text():
    inner = mail(subject="원본", text="다른 사람의 글")
    raw = (
        b'From: a@example.co.kr\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + "전달합니다".encode() + b"\r\n--b\r\n"
        b"Content-Type: message/rfc822\r\n\r\n" + inner + b"\r\n--b--\r\n"
    )
    parsed = mail_parse(raw)
    assert parsed.text == "전달합니다"
    assert len(parsed.files) == 1 and parsed.files[0].content_type == "message/rfc822"


def test_threading_headers_and_recipients_are_read():
    raw = mail(
        to="eservice+12-3-abcdefabcdef@hcnc.co.kr, other@example.co.kr",
        headers={
            "Cc": "Third <third@example.co.kr>",
            "Delivered-To": "eservice@hcnc.co.kr",
            "In-Reply-To": "<a@x>",
            "References": "<ticket-12@hcnc.co.kr> <a@x>",
        },
    )
    parsed = mail_parse(raw)
    assert parsed.recipients == [
        "eservice@hcnc.co.kr", "eservice+12-3-abcdefabcdef@hcnc.co.kr", "other@example.co.kr", "third@example.co.kr",
    ]
    assert parsed.in_reply_to == ["<a@x>"] and parsed.references == ["<ticket-12@hcnc.co.kr>", "<a@x>"]
    assert parsed.thread_ids == ["<a@x>", "<ticket-12@hcnc.co.kr>"]


def test_a_mail_without_message_id_is_known_by_its_bytes():
    raw = mail(msgid=None)
    parsed = mail_parse(raw)
    assert parsed.message_id == ""
    assert mail_key(parsed, raw) == mail_key(mail_parse(raw), raw) != mail_key(parsed, raw + b" ")
    assert mail_key(parsed, raw).endswith("@raw>")


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\x01\x02 not a mail at all \xff",
        b"From: <<>>@@\r\nSubject: =?utf-8?B?broken\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\n"
        b"Content-Type: text/plain; charset=unknown-8bit\r\n\r\n\xc7\xc1\xb8\xb0",
        b"Content-Type: multipart/mixed\r\n\r\nno boundary at all",
        b"Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!",
        b"Subject: " + b"x" * 100_000 + b"\r\n\r\nlong header",
        b"Content-Type: multipart/alternative; boundary=\"a\"\r\n\r\n--a\r\nContent-Type: multipart/mixed; boundary=\"a\"\r\n\r\n--a--",
    ],
)
def test_malformed_mime_never_raises_and_keeps_what_it_can(raw):
    parsed = mail_parse(raw)
    assert isinstance(parsed.text, str) and "\x00" not in parsed.text and "\x00" not in parsed.subject
    assert len(parsed.subject) <= 255


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_parse_without_raising(raw):
    parsed = mail_parse(raw)
    assert isinstance(parsed.text, str) and "\x00" not in parsed.text
