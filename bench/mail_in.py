"""`mail_in_per_min`: how many mails a minute the poller turns into tickets and
comments, reading a real IMAP server.

N realistic mails (`--size`, default 300) are APPENDed to a fresh folder of an
IMAP server (BENCH_MAIL_IMAP, default the tests' Dovecot of .ci/dovecot:
imap://charterdesk:charterdesk-mail@127.0.0.1:1143): six in ten are new mails
from the data set's customers (one in four with a photo or a PDF, one in ten in
EUC-KR), three in ten their replies to their own first mail (In-Reply-To,
quoted text, becoming comments), one in ten robots and strangers (an
out-of-office reply, an unknown address). Then the folder is read by
`mailbox_poll` as beat's task reads it, timed from the first fetch to the last
flag: fetching, parsing, the upload checks, the ticket and comment services
with every receiver (deadlines, notices), the record, the raw file and the
\\Seen flag. Delivering the notices is not part of it (the outbox's own item);
they are only written.

Printed: `value` (mails per minute), `queries_per_mail`, `seconds` (wall) and
`cpu_seconds` (this process), `n`, and how many became new tickets, comments,
ignored and refused. What the run made
(tickets, their comments and notices, the records) is deleted afterwards, and
the folder with it. Needs PostgreSQL for real figures and the IMAP server.
"""
from __future__ import annotations

import imaplib
import os
import random
import time
import uuid
from collections import Counter
from datetime import datetime
from email.message import EmailMessage
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from conversations.mail_in.mailboxes import Mailbox, mailbox_parse
from conversations.mail_in.poller import mailbox_poll
from conversations.models import InboundMail
from helpdesk.accounts.models import User
from helpdesk.notifications.models import Notification
from tickets.models import Ticket

DEFAULT_IMAP = "imap://charterdesk:charterdesk-mail@127.0.0.1:1143"
OUR_ADDRESS = "eservice@hcnc.co.kr"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
PDF = b"%PDF-1.4\n" + b"0" * 20_000
SUBJECTS = ["3층 복합기 용지 걸림", "모니터 화면 깜빡임", "노트북 배터리 부풀음", "VPN 접속 불가", "프린터 드라이버 설치 요청"]
TEXTS = [
    "안녕하세요. {subject} 건으로 연락드립니다.\n오전부터 증상이 계속됩니다. 확인 부탁드립니다.",
    "{subject}\n\n자리: 본관 3층 품질관리부\n연락처는 메신저로 주세요.",
]


def _customers(limit: int = 200) -> list[User]:
    return list(
        User.objects.filter(is_active=True, department__isnull=False)
        .exclude(email="")
        .order_by("pk")[:limit]
    )


def _new_mail(rng: random.Random, sender: User, i: int, msgid: str) -> bytes:
    subject = f"{rng.choice(SUBJECTS)} ({i})"
    message = EmailMessage()
    message["From"] = f"{sender.display_name} <{sender.email}>"
    message["To"] = OUR_ADDRESS
    message["Subject"] = subject
    message["Message-ID"] = msgid
    charset = "euc-kr" if i % 10 == 3 else "utf-8"
    message.set_content(rng.choice(TEXTS).format(subject=subject), charset=charset)
    if i % 4 == 0:
        message.add_attachment(PNG, maintype="image", subtype="png", filename=f"오류 화면 {i}.png")
    elif i % 4 == 1 and i % 3 == 0:
        message.add_attachment(PDF, maintype="application", subtype="pdf", filename="견적서.pdf")
    return message.as_bytes()


def _reply(sender: User, first_id: str, i: int) -> bytes:
    message = EmailMessage()
    message["From"] = f"{sender.display_name} <{sender.email}>"
    message["To"] = OUR_ADDRESS
    message["Subject"] = "Re: 요청 접수 안내"
    message["Message-ID"] = f"<bench-reply-{i}-{uuid.uuid4().hex[:8]}@mail.example.com>"
    message["In-Reply-To"] = first_id
    message["References"] = first_id
    message.set_content(
        "추가로 말씀드립니다. 오후 2시 이후에 자리에 있습니다.\n\n"
        f"2026년 3월 10일 (화) 오전 10:00, 업무지원팀 <{OUR_ADDRESS}>님이 작성:\n> 요청이 접수되었습니다.\n> 감사합니다.\n"
    )
    return message.as_bytes()


def _robot(i: int) -> bytes:
    message = EmailMessage()
    if (i // 10) % 2:
        message["From"] = f"부재중 <away{i}@example.com>"
        message["Auto-Submitted"] = "auto-replied"
        message["Subject"] = "부재중 자동 응답"
    else:
        message["From"] = f"outsider{i}@gmail.com"
        message["Subject"] = "견적 문의"
    message["To"] = OUR_ADDRESS
    message["Message-ID"] = f"<bench-robot-{i}-{uuid.uuid4().hex[:8]}@mail.example.com>"
    message.set_content("This is an automatic reply." if (i // 10) % 2 else "견적 부탁드립니다.")
    return message.as_bytes()


def mails_make(n: int, customers: list[User], *, seed: int = 14) -> list[bytes]:
    """N mails in delivery order: a customer's reply always after their first mail."""
    rng = random.Random(seed)
    firsts: list[tuple[User, str]] = []
    out: list[bytes] = []
    for i in range(n):
        slot = i % 10
        if slot == 9:
            out.append(_robot(i))
        elif slot in (6, 7, 8) and firsts:
            sender, first_id = rng.choice(firsts)
            out.append(_reply(sender, first_id, i))
        else:
            sender = customers[i % len(customers)]
            msgid = f"<bench-{i}-{uuid.uuid4().hex[:8]}@mail.example.com>"
            firsts.append((sender, msgid))
            out.append(_new_mail(rng, sender, i, msgid))
    return out


def _folder(url: str, name: str) -> tuple[Mailbox, imaplib.IMAP4]:
    parts = urlsplit(url)
    box = mailbox_parse(f"{parts.scheme}://{parts.netloc}/{name}")
    conn = imaplib.IMAP4(box.host, box.port, timeout=30)
    conn.login(box.user, box.password)
    conn.create(name)
    return box, conn


def _cleanup(label: str, since: datetime) -> None:
    rows = InboundMail.objects.filter(mailbox=label)
    ticket_ids = set(rows.exclude(state="comment").exclude(ticket=None).values_list("ticket_id", flat=True))
    rows.delete()
    # The run's own tickets: their events, comments, files and notices go with them.
    Ticket.objects.filter(pk__in=ticket_ids, channel="email").delete()
    # The replies to strangers, which name no ticket.
    Notification.objects.filter(key__startswith="conversations:", ticket=None, created_at__gte=since).delete()


def mail_in_per_min(n: int = 300) -> dict[str, Any]:
    url = os.environ.get("BENCH_MAIL_IMAP", DEFAULT_IMAP)
    customers = _customers()
    if not customers:
        raise RuntimeError("mail_in needs customers with an e-mail address and a department (seed_demo)")
    raws = mails_make(n, customers)
    box, conn = _folder(url, f"bench-{uuid.uuid4().hex[:10]}")
    since = timezone.now()
    try:
        for raw in raws:
            status, data = conn.append(box.folder, None, None, raw)
            if status != "OK":
                raise RuntimeError(f"APPEND failed: {data!r}")
        with override_settings(
            MAIL_IN_ADDRESS=settings.MAIL_IN_ADDRESS or OUR_ADDRESS,
            MAIL_IN_DONE_FOLDER="",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ), mock.patch("helpdesk.notifications.services._enqueue", lambda ids: None):
            with CaptureQueriesContext(connection) as queries:
                started, cpu_started = time.perf_counter(), time.process_time()
                processed = 0
                while processed < n:
                    result = mailbox_poll(mailbox=box, batch=n)
                    if not result.processed:
                        break
                    processed += result.processed
                elapsed = time.perf_counter() - started
                cpu = time.process_time() - cpu_started
        outcomes = Counter(InboundMail.objects.filter(mailbox=box.label).values_list("state", flat=True))
    finally:
        _cleanup(box.label, since)
        try:
            conn.delete(box.folder)
            conn.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
    return {
        "item": "mail_in_per_min",
        "value": round(processed / elapsed * 60, 1) if elapsed > 0 else 0.0,
        "n": n,
        "processed": processed,
        "seconds": round(elapsed, 2),
        # This process's CPU (parsing, rendering, the ORM): the rest of the wall
        # time is waiting on PostgreSQL's commits and the IMAP server.
        "cpu_seconds": round(cpu, 2),
        "queries_per_mail": round(len(queries.captured_queries) / max(processed, 1), 1),
        "new_tickets": outcomes.get("ticket", 0),
        "comments": outcomes.get("comment", 0),
        "ignored": outcomes.get("ignored", 0),
        "refused": outcomes.get("refused", 0),
        "waiting": outcomes.get("waiting", 0),
    }
