"""Mails as they arrive: built with the standard library, in the encodings and
shapes Korean offices send (tests of mail in, the browser journey, the bench's
shapes are its own). Plain helpers, imported by the tests of this folder and
by tests/e2e/test_mail_journey.py."""
from __future__ import annotations

import base64
import itertools
from email.message import EmailMessage
from email.utils import format_datetime

from tests.helpers.clock import NOW

OUR_ADDRESS = "eservice@hcnc.co.kr"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
_numbers = itertools.count(1)


def message_id() -> str:
    return f"<test-{next(_numbers)}-{id(object())}@mail.example.co.kr>"


def mail(
    *,
    sender: str = "customer@example.co.kr",
    name: str = "김민수",
    to: str = OUR_ADDRESS,
    subject: str = "3층 프린터 용지 걸림",
    text: str | None = "3층 복합기에서 용지가 계속 걸립니다.",
    html: str | None = None,
    charset: str = "utf-8",
    msgid: str | None = "",
    headers: dict[str, str] | None = None,
    files: list[tuple[str, str, bytes]] = (),
) -> bytes:
    """A message as bytes. `msgid` "" makes a fresh Message-ID, None leaves it out;
    `files` are (name, content type, bytes)."""
    message = EmailMessage()
    message["From"] = f"{name} <{sender}>" if name else sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(NOW)
    if msgid is not None:
        message["Message-ID"] = msgid or message_id()
    for key, value in (headers or {}).items():
        message[key] = value
    if text is not None:
        message.set_content(text, charset=charset)
        if html is not None:
            message.add_alternative(html, subtype="html", charset=charset)
    elif html is not None:
        message.set_content(html, subtype="html", charset=charset)
    for filename, content_type, content in files:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def legacy_korean_mail(
    *,
    sender: str,
    subject: str,
    text: str,
    charset: str,
    msgid: str | None = None,
    files: list[tuple[str, str, bytes]] = (),
) -> bytes:
    """What an old Korean mailer sends: the header and body in `charset`
    (euc-kr, cp949, iso-2022-kr), the subject as an RFC 2047 word in that
    charset, files (name, content type, bytes) with RFC 2047 names."""
    encoded_subject = base64.b64encode(subject.encode(charset)).decode("ascii")
    body = text.encode(charset)
    transfer = "7bit" if charset == "iso-2022-kr" else "base64"
    if transfer == "base64":
        body = base64.encodebytes(body)
    body = body.replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n")
    head = (
        f"From: =?{charset}?B?{base64.b64encode('김민수'.encode(charset)).decode()}?= <{sender}>\r\n"
        f"To: {OUR_ADDRESS}\r\n"
        f"Subject: =?{charset}?B?{encoded_subject}?=\r\n"
        f"Message-ID: {msgid or message_id()}\r\n"
        "MIME-Version: 1.0\r\n"
    )
    text_part = (
        f"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: {transfer}\r\n\r\n"
    ).encode("ascii") + body
    if not files:
        return head.encode("ascii") + text_part
    boundary = "----=_Part_charterdesk_test"
    out = head.encode("ascii") + f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'.encode("ascii")
    out += f"--{boundary}\r\n".encode("ascii") + text_part + b"\r\n"
    for name, content_type, content in files:
        encoded_name = f"=?{charset}?B?{base64.b64encode(name.encode(charset)).decode()}?="
        out += (
            f"--{boundary}\r\nContent-Type: {content_type}; name=\"{encoded_name}\"\r\n"
            f"Content-Disposition: attachment; filename=\"{encoded_name}\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n"
        ).encode("ascii") + base64.encodebytes(content).replace(b"\n", b"\r\n") + b"\r\n"
    return out + f"--{boundary}--\r\n".encode("ascii")


def reply(
    *,
    sender: str,
    to: str,
    text: str,
    quoted: str = "",
    in_reply_to: str = "",
    references: str = "",
    subject: str = "Re: 요청 안내",
    files: list[tuple[str, str, bytes]] = (),
    msgid: str = "",
) -> bytes:
    """A reply as Korean Gmail writes it: the new text, then the quoted message."""
    headers = {}
    if in_reply_to:
        headers["In-Reply-To"] = in_reply_to
    if references:
        headers["References"] = references
    body = text
    if quoted:
        quoted_lines = "\n".join(f"> {line}" for line in quoted.splitlines())
        body = f"{text}\n\n2026년 3월 10일 (화) 오전 10:00, 업무지원팀 <{OUR_ADDRESS}>님이 작성:\n{quoted_lines}\n"
    return mail(sender=sender, to=to, subject=subject, text=body, headers=headers, files=files, msgid=msgid)
