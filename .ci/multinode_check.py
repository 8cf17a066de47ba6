"""After the burst (.ci/multinode_traffic.py): what the database and nginx's log
say, compared with what the browsers did.

* every title filed is there exactly once (none lost, none doubled), nothing else with the run's prefix;
* every staff action once: one comment, one assignment, one start of diagnosis per ticket;
* each ticket's deadlines set (the charter's clock started on every web machine);
* the outbox drained (the workers delivered everything due; SMS held for quiet
  hours may wait), no row given up, and no notification twice, by idempotency
  key or by (ticket, recipient, template, channel);
* no 5xx in the browsers' answers or in nginx's log, and both web machines served;
* the dashboard read through the replica alias, and sign-in throttling counted
  the address nginx saw (not nginx's, not one the client wrote itself).

Runs with the same environment as the machines (DATABASE_URL and the rest).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DRAIN_WAIT = 90  # seconds for the workers to deliver what the burst queued
# .ci/multinode names the replica alias's sessions so (DATABASE_REPLICA_URL).
REPLICA_APPLICATION_NAME = "charterdesk-replica"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--access-log", required=True)
    parser.add_argument("--backends", required=True, help="host:port,host:port of the web machines")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count

    from helpdesk.notifications.models import Notification, NotificationState
    from tickets.models import Comment, Ticket, TicketEvent

    manifest = json.loads(Path(args.manifest).read_text(encoding="utf-8"))
    problems: list[str] = list(manifest["errors"])
    titles: list[str] = manifest["titles"]
    prefix = f"MN-{manifest['run_id']}-"

    # --- Tickets: none lost, none doubled -----------------------------------------------------
    tickets = list(Ticket.objects.filter(title__startswith=prefix).values("pk", "title", "resolve_by", "warn_at", "status"))
    by_title = Counter(t["title"] for t in tickets)
    lost = [t for t in titles if by_title[t] == 0]
    doubled = [t for t, n in by_title.items() if n > 1]
    stray = [t for t in by_title if t not in titles]
    if lost or doubled or stray or len(tickets) != len(titles):
        problems.append(f"tickets: {len(tickets)} for {len(titles)} titles; lost {lost[:5]}, doubled {doubled[:5]}, stray {stray[:5]}")
    filed = {w["pk"]: w for w in manifest["filed"]}
    if set(filed) != {t["pk"] for t in tickets}:
        problems.append("the tickets in the database are not the ones the customers were shown")
    no_deadline = [t["pk"] for t in tickets if t["resolve_by"] is None or t["warn_at"] is None]
    if no_deadline:
        problems.append(f"tickets without deadlines: {no_deadline[:10]}")

    # --- Staff actions: each exactly once -------------------------------------------------------
    pks = [t["pk"] for t in tickets]
    handled = {w["pk"]: w["actions"] for w in manifest["handled"]}
    if set(handled) != set(pks):
        problems.append(f"staff handled {len(handled)} of {len(pks)} tickets")
    comments = Counter(
        Comment.objects.filter(ticket_id__in=pks, body__startswith=prefix, body__endswith="담당자가 확인했습니다.")
        .values_list("ticket_id", flat=True)
    )
    assigned = Counter(
        TicketEvent.objects.filter(ticket_id__in=pks, kind=TicketEvent.Kind.ASSIGNED).values_list("ticket_id", flat=True)
    )
    diagnosed = Counter(
        TicketEvent.objects.filter(ticket_id__in=pks, kind=TicketEvent.Kind.STATUS_CHANGED, data__to="diagnosing")
        .values_list("ticket_id", flat=True)
    )
    for name, counts in (("comment", comments), ("assignment", assigned), ("diagnosis", diagnosed)):
        wrong = {pk: counts[pk] for pk in pks if counts[pk] != 1}
        if wrong:
            problems.append(f"{name}s not recorded exactly once: {dict(list(wrong.items())[:10])}")
    not_diagnosing = [t["pk"] for t in Ticket.objects.filter(pk__in=pks).exclude(status="diagnosing").values("pk")]
    if not_diagnosing:
        problems.append(f"tickets not in diagnosis: {not_diagnosing[:10]}")

    # --- The outbox: drained, nothing twice ----------------------------------------------------------
    pending_states = [NotificationState.PENDING, NotificationState.SENDING, NotificationState.FAILED]
    ours = Notification.objects.filter(ticket_id__in=pks)
    waited = time.monotonic()
    while ours.filter(state__in=pending_states).exists() and time.monotonic() - waited < DRAIN_WAIT:
        time.sleep(2)
    states = Counter(ours.values_list("state", flat=True))
    if any(states[s] for s in pending_states) or states[NotificationState.DEAD]:
        problems.append(f"outbox not drained within {DRAIN_WAIT}s: {dict(states)}")
    if not states[NotificationState.SENT]:
        problems.append("no notification of the burst was delivered")
    same_key = Notification.objects.values("key").annotate(n=Count("pk")).filter(n__gt=1).count()
    twice = (
        # The same message (its context: the lifecycle notices of one ticket are
        # several "generic" ones) to the same address on the same channel.
        ours.values("ticket_id", "recipient_id", "to_phone", "to_email", "template", "channel", "context")
        .annotate(n=Count("pk")).filter(n__gt=1)
    )
    if same_key or twice.exists():
        problems.append(f"notifications twice: {same_key} keys, {list(twice[:5])}")

    # --- nginx: no 5xx, both web machines -----------------------------------------------------------
    backends = args.backends.split(",")
    served: Counter[str] = Counter()
    nginx_5xx = 0
    lines = 0
    for line in Path(args.access_log).read_text(encoding="utf-8", errors="replace").splitlines():
        match = re.search(r'" (\d{3}) \d+ upstream=(\S+)', line)
        if not match:
            continue
        lines += 1
        if int(match.group(1)) >= 500:
            nginx_5xx += 1
        for addr in match.group(2).split(", "):
            served[addr] += 1
    if nginx_5xx:
        problems.append(f"nginx logged {nginx_5xx} answers of 5xx")
    for backend in backends:
        if not served[backend]:
            problems.append(f"web machine {backend} served no request ({dict(served)})")

    # --- The dashboard's reads went through the replica alias on a web machine ----------------------
    replica_sessions = 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
                [REPLICA_APPLICATION_NAME],
            )
            replica_sessions = cursor.fetchone()[0]
        if not replica_sessions:
            problems.append(f"no {REPLICA_APPLICATION_NAME!r} session: the dashboard did not read through the replica alias")

    # --- Sign-in throttling counted the address nginx saw -----------------------------------------------
    from axes.models import AccessAttempt

    probe = manifest["address_probe"]
    counted = list(AccessAttempt.objects.filter(username=probe["username"]).values_list("ip_address", flat=True))
    if counted != [probe["source"]]:
        problems.append(f"a failed sign-in from {probe['source']} (header forged {probe['forged']}) was counted for {counted}")

    statuses = manifest["statuses"]
    print(
        "multinode: "
        f"{len(tickets)}/{len(titles)} tickets, each once, deadlines set; "
        f"{sum(comments.values())} comments, {sum(assigned.values())} assignments, {sum(diagnosed.values())} diagnoses; "
        f"outbox {dict(states)}; "
        f"{manifest['requests']} requests ({statuses}) in {manifest['burst_seconds']}s; "
        f"nginx {lines} lines, per web machine {dict(served)}, 5xx {nginx_5xx}; "
        f"sweep seen {manifest['sweep_wait_seconds']}s after the burst; replica sessions {replica_sessions}; "
        f"failed sign-in counted for {counted}"
    )
    for problem in problems:
        print(f"ERROR: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
