"""Visits in tests: the day's instants, a drawn signature as canvas.toDataURL
makes it, and booking and checklist steps through visits.services. The
fixtures (a ticket, visits in each state, the signature) are in
tests/visits/conftest.py."""
from __future__ import annotations

import base64
import struct
import zlib
from datetime import timedelta

from tests.helpers.clock import kst
from visits import services
from visits.models import Visit

# A Tuesday morning in Seoul: every test that books runs at this moment (the
# visits' `frozen_at`); the visit is that afternoon.
NOW = kst(2026, 3, 10, 9)
START = kst(2026, 3, 10, 14)
END = START + timedelta(hours=1)


def png(width: int = 40, height: int = 20, *, blank: bool = False) -> bytes:
    """An 8-bit RGBA PNG as canvas.toDataURL makes it; a diagonal stroke unless blank."""
    rows = []
    for y in range(height):
        row = bytearray(width * 4)
        if not blank:
            x = min(width - 1, y * width // height)
            row[x * 4 : x * 4 + 4] = b"\x11\x11\x11\xff"
        rows.append(b"\x00" + bytes(row))
    raw = zlib.compress(b"".join(rows))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def data_url(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode()


def book(ticket, org, *, start=START, end=END, companion=None, by_phone=False) -> Visit:
    return services.visit_book(
        ticket=ticket,
        engineer=org.engineer,
        companion=companion,
        actor=org.desk_agent,
        start=start,
        end=end,
        purpose="PC 부팅 불량 점검",
        agreed_by_phone=by_phone,
    )


def fill_checklist(visit: Visit, actor) -> Visit:
    marks = {e.item_id: ("ok", "") for e in visit.checklist_entries.all()}
    return services.visit_checklist_fill(visit=visit, actor=actor, marks=marks)
