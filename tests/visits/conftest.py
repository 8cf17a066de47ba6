"""Visit fixtures: a ticket on the customer's PC, visits in each state, and a drawn signature."""
from __future__ import annotations

import base64
import struct
import zlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from helpdesk.accounts.roles import Role
from tests import factories as f
from tests.desk.gates import identity_confirmed
from tickets.lifecycle import Status
from visits import services
from visits.models import Visit

SEOUL = ZoneInfo("Asia/Seoul")
# A Tuesday morning in Seoul: every test that books runs at this moment.
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=SEOUL)
START = datetime(2026, 3, 10, 14, 0, tzinfo=SEOUL)
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


@pytest.fixture
def signature() -> str:
    return data_url(png())


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _pc_checklist(db) -> None:
    """The data migration seeds the PC checklist, but a transactional test (the
    browser journeys) flushes every table; seed it again where it is missing."""
    from visits.seed import pc_checklist_seed

    pc_checklist_seed()


@pytest.fixture
def ticket(org, frozen):
    """The customer's PC does not boot; assigned to the engineer."""
    org.customer_dept.visit_rules = "출입증 패용, 09:00–18:00 방문 가능"
    org.customer_dept.save()
    ticket = f.TicketFactory(
        reporter=org.customer,
        team=org.team,
        asset=org.asset,
        category=org.category,
        assignee=org.engineer,
        status=Status.ASSIGNED,
        contact_phone="010-5555-1234",
    )
    identity_confirmed(ticket)  # MT3: check-in starts the diagnosis
    return ticket


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


@pytest.fixture
def proposed(ticket, org) -> Visit:
    return book(ticket, org)


@pytest.fixture
def confirmed(proposed, org) -> Visit:
    return services.visit_confirm(visit=proposed, actor=org.customer)


@pytest.fixture
def checked_in(confirmed, org, frozen) -> Visit:
    frozen.move_to(START + timedelta(minutes=3))
    return services.visit_check_in(visit=confirmed, actor=org.engineer)


def fill_checklist(visit: Visit, actor) -> Visit:
    marks = {e.item_id: ("ok", "") for e in visit.checklist_entries.all()}
    return services.visit_checklist_fill(visit=visit, actor=actor, marks=marks)


@pytest.fixture
def section_chief(org):
    return f.UserFactory(
        username="chief", last_name="오", first_name="과장", department=org.maintenance_dept, team=org.team,
        roles=[Role.SECTION_CHIEF],
    )


@pytest.fixture
def vip_customer(org):
    head = f.PositionFactory(name="부서장", name_en="Head of Department", rank=55)
    return f.UserFactory(username="vip", last_name="장", first_name="부장", department=org.customer_dept, position=head, roles=[Role.CUSTOMER])


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch) -> list[int]:
    """Outbox rows are what we assert on; nothing is queued to a broker."""
    queued: list[int] = []
    from helpdesk.notifications import tasks

    monkeypatch.setattr(tasks.deliver_notification, "delay", lambda pk: queued.append(pk))
    return queued


def notices(**filters):
    from helpdesk.notifications.models import Notification

    return Notification.objects.filter(**filters)


def keys(**filters) -> set[str]:
    return set(notices(**filters).values_list("key", flat=True))
