"""Text in the charsets Korean mail arrives in, read without ever raising.

Declared charsets are often wrong: EUC-KR is declared for text with CP949's
extra syllables (Outlook's "ks_c_5601-1987" is CP949 in practice), a Korean
mail arrives as "us-ascii", "unknown-8bit" or with no charset at all. So a
declared Korean charset is read as CP949 (its superset), and when the declared
one fails: ISO-2022-KR if its escape is there, then UTF-8 (valid UTF-8 is
almost never anything else), then CP949, and finally UTF-8 with replacement
characters, so nothing is refused for its bytes.
"""
from __future__ import annotations

import codecs
from email.header import decode_header

# What a declared name is read as.
_READ_AS = {"euc_kr": "cp949", "ks_c_5601-1987": "cp949", "ks_c_5601": "cp949", "x-windows-949": "cp949"}
_ISO_2022_KR_ESCAPE = b"\x1b$)C"


def _codec(declared: str | None) -> str | None:
    name = (declared or "").strip().strip('"').lower()
    if not name or name in ("unknown-8bit", "x-unknown", "default"):
        return None
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return None
    return _READ_AS.get(name) or _READ_AS.get(canonical) or canonical


def text_decode(data: bytes, declared: str | None = None) -> str:
    """`data` as text: the declared charset if it reads, else the usual suspects."""
    if not data:
        return ""
    codec = _codec(declared)
    tried: list[str] = []
    if codec:
        tried.append(codec)
    if _ISO_2022_KR_ESCAPE in data:
        tried.append("iso2022_kr")
    tried += ["utf-8", "cp949"]
    for name in dict.fromkeys(tried):
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


def header_decode(raw: str | bytes | None) -> str:
    """A header value as text: raw 8-bit bytes (old Korean mailers send EUC-KR
    unencoded) and RFC 2047 encoded words in any charset, one line."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        # The parser keeps undecodable bytes as surrogates; get them back.
        raw = raw.encode("ascii", errors="surrogateescape")
    value = text_decode(raw)
    try:
        chunks = decode_header(value)
    except Exception:  # a broken encoded word: keep the text as it came
        return " ".join(value.replace("\x00", "").split())
    pieces: list[str] = []
    previous_encoded = False
    for chunk, charset in chunks:
        if isinstance(chunk, bytes):
            piece = text_decode(chunk, charset) if charset else chunk.decode("utf-8", errors="replace")
        else:
            piece = chunk
        encoded = charset is not None
        # Adjacent encoded words join without a space (RFC 2047 §6.2); decode_header
        # strips the spaces around plain text, so put one back there.
        if pieces and not (encoded and previous_encoded):
            pieces.append(" ")
        pieces.append(piece)
        previous_encoded = encoded
    text = "".join(pieces)
    return " ".join(text.replace("\x00", "").split())
