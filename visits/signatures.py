"""The customer's drawn signature: a PNG data URL from the phone's canvas.

Checked before anything is stored: it must be a real PNG (signature bytes and
a well-formed IHDR), within a size limit, of sane dimensions, and not blank —
an untouched canvas is a transparent image and signs nothing.
"""
from __future__ import annotations

import base64
import binascii
import struct
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from helpdesk.core.errors import ActionRefused

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
DATA_URL_PREFIX = "data:image/png;base64,"
MAX_SIDE = 4000


def max_bytes() -> int:
    return int(getattr(settings, "VISIT_SIGNATURE_MAX_BYTES", 512 * 1024))


@dataclass(frozen=True)
class Signature:
    data: bytes
    width: int
    height: int


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks = []
    pos = len(PNG_MAGIC)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if len(body) != length:
            break
        chunks.append((kind, body))
        pos += 12 + length
        if kind == b"IEND":
            break
    return chunks


def _is_blank(chunks: list[tuple[bytes, bytes]], width: int, height: int, depth: int, colour: int, interlace: int) -> bool:
    """True when an 8-bit RGBA, non-interlaced image (what canvas.toDataURL makes)
    has no pixel at all. Other formats are not inspected and count as drawn."""
    if depth != 8 or colour != 6 or interlace != 0:
        return False
    row = 1 + 4 * width
    expected = row * height
    raw = b"".join(body for kind, body in chunks if kind == b"IDAT")
    inflater = zlib.decompressobj()
    try:
        # Bounded: a tiny file that inflates to gigabytes is refused, not expanded.
        pixels = inflater.decompress(raw, expected + 1)
    except zlib.error:
        raise ActionRefused(_("The signature image is damaged; please sign again."), field="signature") from None
    if len(pixels) != expected:
        raise ActionRefused(_("The signature image is damaged; please sign again."), field="signature")
    # Each row starts with its filter byte; with every pixel zero, every filter gives zeros.
    for start in range(0, expected, row):
        if pixels[start + 1 : start + row].strip(b"\x00"):
            return False
    return True


def signature_parse(data_url: str) -> Signature:
    """Decode and check a canvas signature; raise ActionRefused (field 'signature') otherwise."""
    value = (data_url or "").strip()
    if not value:
        raise ActionRefused(_("The customer's signature is missing; ask them to sign on the screen."), field="signature")
    if not value.startswith(DATA_URL_PREFIX):
        raise ActionRefused(_("The signature must be a PNG image drawn on the screen."), field="signature")
    encoded = value[len(DATA_URL_PREFIX) :]
    # Base64 is 4/3 of the bytes: refuse before decoding something huge.
    if len(encoded) > max_bytes() * 4 // 3 + 4:
        raise ActionRefused(
            _("The signature image is too large (the limit is %(limit)s).") % {"limit": filesizeformat(max_bytes())},
            field="signature",
        )
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ActionRefused(_("The signature must be a PNG image drawn on the screen."), field="signature") from None
    if len(data) > max_bytes():
        raise ActionRefused(
            _("The signature image is too large (the limit is %(limit)s).") % {"limit": filesizeformat(max_bytes())},
            field="signature",
        )
    if not data.startswith(PNG_MAGIC):
        raise ActionRefused(_("The signature must be a PNG image drawn on the screen."), field="signature")
    chunks = _chunks(data)
    if not chunks or chunks[0][0] != b"IHDR" or len(chunks[0][1]) != 13:
        raise ActionRefused(_("The signature image is damaged; please sign again."), field="signature")
    width, height, depth, colour, _compression, _filter, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise ActionRefused(_("The signature image has an unusable size."), field="signature")
    if _is_blank(chunks, width, height, depth, colour, interlace):
        raise ActionRefused(_("The signature is empty; ask the customer to sign on the screen."), field="signature")
    return Signature(data=data, width=width, height=height)
