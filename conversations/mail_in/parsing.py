"""A raw message as what mail in needs from it: addresses, subject, readable
text, files and the headers that say what kind of mail it is.

The standard library parses (`email` with policy.default); what it leaves
wrong for Korean mail is read here: header values are taken raw and decoded by
`charsets.header_decode` (8-bit EUC-KR headers, CP949 under an EUC-KR label),
bodies by `charsets.text_decode`, HTML-only mail by `html_text`. Malformed MIME
never raises out of `mail_parse`: a part that cannot be read is noted in
`defects` and skipped, and a message that cannot be parsed at all still gives
its bytes as text.
"""
from __future__ import annotations

import hashlib
import logging
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser, BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from pathlib import PurePath

from .charsets import header_decode, text_decode
from .html_text import html_to_text

logger = logging.getLogger(__name__)

# A comment or a description longer than this is cut (the raw file keeps it all).
TEXT_MAX = 100_000
MESSAGE_ID_MAX = 255
_IDS = re.compile(r"<[^<>\s]{1,500}>")
_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")
# Where a message says whom it was delivered to, most reliable first: the
# envelope's recipient, then the visible headers.
RECIPIENT_HEADERS = ("delivered-to", "x-original-to", "envelope-to", "to", "cc")


@dataclass(frozen=True)
class MailFile:
    name: str
    content_type: str
    content: bytes


@dataclass
class ParsedMail:
    message_id: str = ""
    from_address: str = ""
    from_name: str = ""
    subject: str = ""
    text: str = ""
    content_type: str = "text/plain"
    recipients: list[str] = field(default_factory=list)
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    # Top-level headers, lower-case name -> decoded values.
    headers: dict[str, list[str]] = field(default_factory=dict)
    files: list[MailFile] = field(default_factory=list)
    date: datetime | None = None
    size: int = 0
    defects: list[str] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        """The first value of a top-level header, None when it is absent."""
        values = self.headers.get(name.lower())
        return values[0] if values else None

    @property
    def thread_ids(self) -> list[str]:
        """The ids this message answers, the one it replies to directly first."""
        return list(dict.fromkeys([*self.in_reply_to, *reversed(self.references)]))


def mail_key(parsed: ParsedMail, raw: bytes) -> str:
    """What makes the message unique: its Message-ID, or a hash of its bytes
    when it has none (or one too long to store)."""
    if parsed.message_id and len(parsed.message_id) <= MESSAGE_ID_MAX:
        return parsed.message_id
    return f"<{hashlib.sha256(raw).hexdigest()}@raw>"


def _ids(value: str) -> list[str]:
    return _IDS.findall(value or "")


def _address(value: str) -> tuple[str, str]:
    name, address = parseaddr(value or "")
    address = address.strip().lower()
    if not _ADDRESS.fullmatch(address):
        found = _ADDRESS.search(value or "")
        address = found.group(0).lower().strip(".,;") if found else ""
    return name.strip().strip('"')[:200], address[:254]


def _headers_of(message: Message) -> dict[str, list[str]]:
    headers: dict[str, list[str]] = {}
    for name, value in message.raw_items():
        headers.setdefault(name.lower(), []).append(header_decode(value))
    return headers


def _part_header(part: Message, name: str) -> str:
    for key, value in part.raw_items():
        if key.lower() == name:
            return header_decode(value)
    return ""


def _filename(part: Message, number: int) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    if not name or "\ufffd" in name:
        # 8-bit bytes in the parameter (Korean Outlook): read the raw header ourselves.
        for header in ("content-disposition", "content-type"):
            found = re.search(r'(?:file)?name\*?\s*=\s*"?([^";]+)"?', _part_header(part, header), re.IGNORECASE)
            if found:
                name = found.group(1).strip()
                break
    name = PurePath(name.replace("\\", "/")).name.strip() if name else ""
    if not name:
        extension = mimetypes.guess_extension(part.get_content_type()) or ".bin"
        name = f"attachment-{number}{extension}"
    return name[:200]


def _leaves(part: Message) -> Iterator[Message]:
    """The message's leaf parts; an attached message is one leaf (a file), its
    own text is not the sender's."""
    if part.get_content_maintype() == "message":
        yield part
    elif part.is_multipart():
        payload = part.get_payload()
        for sub in payload if isinstance(payload, list) else []:
            yield from _leaves(sub)
    else:
        yield part


def _content(part: Message) -> bytes:
    if part.get_content_maintype() == "message":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else inner
        return inner.as_bytes() if isinstance(inner, Message) else b""
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _body_and_files(message: Message, parsed: ParsedMail) -> None:
    plain: list[str] = []
    html: list[str] = []
    for number, part in enumerate(_leaves(message), start=1):
        try:
            content_type = part.get_content_type()
            disposition = part.get_content_disposition()
            has_name = bool(part.get_param("name") or part.get_param("filename", header="content-disposition"))
            content = _content(part)
            if content_type in ("text/plain", "text/html") and disposition != "attachment" and not has_name:
                text = text_decode(content, part.get_param("charset"))
                (plain if content_type == "text/plain" else html).append(text)
            elif content:
                parsed.files.append(MailFile(_filename(part, number), content_type, content))
        except Exception as exc:  # one unreadable part must not lose the rest
            parsed.defects.append(f"part {number}: {type(exc).__name__}: {exc}"[:300])
    if plain:
        text = "\n\n".join(t.strip("\r\n") for t in plain)
    else:
        text = "\n\n".join(html_to_text(h) for h in html)
    # PostgreSQL's text cannot hold NUL; nobody wrote one on purpose.
    text = text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    parsed.text = text[:TEXT_MAX]


def _fill_headers(message: Message, parsed: ParsedMail) -> None:
    headers = _headers_of(message)
    parsed.headers = headers
    first = {name: values[0] for name, values in headers.items()}
    parsed.message_id = next(iter(_ids(first.get("message-id", ""))), "")
    parsed.from_name, parsed.from_address = _address(first.get("from", ""))
    parsed.subject = " ".join(first.get("subject", "").split())[:255]
    parsed.in_reply_to = _ids(" ".join(headers.get("in-reply-to", [])))
    parsed.references = _ids(" ".join(headers.get("references", [])))
    recipients: list[str] = []
    for name in RECIPIENT_HEADERS:
        for value in headers.get(name, []):
            recipients += [address.strip().lower() for _n, address in getaddresses([value]) if "@" in address]
    parsed.recipients = list(dict.fromkeys(recipients))
    try:
        parsed.content_type = message.get_content_type()
    except Exception:
        parsed.content_type = "text/plain"
    if first.get("date"):
        try:
            parsed.date = parsedate_to_datetime(first["date"])
        except (TypeError, ValueError, IndexError, OverflowError):
            parsed.date = None


def mail_parse(raw: bytes, *, headers_only: bool = False) -> ParsedMail:
    """Read `raw` (see the module's docstring). `headers_only` skips the body, for
    a message too large to read whole."""
    parsed = ParsedMail(size=len(raw))
    try:
        if headers_only:
            message = BytesHeaderParser(policy=policy.default).parsebytes(raw)
        else:
            message = BytesParser(policy=policy.default).parsebytes(raw)
        parsed.defects += [type(d).__name__ for d in message.defects]
        _fill_headers(message, parsed)
        if not headers_only:
            _body_and_files(message, parsed)
    except Exception as exc:
        logger.warning("Unparseable mail (%s bytes): %s", len(raw), exc, exc_info=True)
        parsed.defects.append(f"unparseable: {type(exc).__name__}: {exc}"[:300])
        if not parsed.text and not headers_only:
            parsed.text = text_decode(raw).replace("\x00", "")[:TEXT_MAX]
    return parsed
