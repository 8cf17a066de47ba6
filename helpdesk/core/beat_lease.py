"""One beat sends: the beat lease and every beat process's heartbeat.

Why a row in the database rather than a PostgreSQL advisory lock or a Redis lock:

* It works the same on the quick start's SQLite and on PostgreSQL, so the
  quick start runs the code production runs.
* It does not depend on the broker: a Redis lock could be neither renewed nor
  read during a broker outage, exactly when two beats are most likely to
  disagree about who sends. The database is what the sweeps need anyway.
* An advisory lock belongs to one database session: it vanishes silently with
  a dropped connection (or a pooler in transaction mode) and cannot be held by
  a process that reconnects for every query, as beat does with CONN_MAX_AGE=0.
  A lease with an expiry is visible (its holder is shown by /healthz and the
  admin) and is taken over by time alone when its holder dies.

The claim is one conditional statement, `UPDATE … SET holder = me, expires_at =
now + ttl WHERE name = 'beat' AND (holder = me OR expires_at < now)`: it
renews a lease we hold, takes one that ran out, and changes nothing while
another live beat holds it. PostgreSQL re-checks the WHERE of a concurrent
UPDATE after the first commits, and SQLite runs one writer at a time, so two
claims never both succeed. Times are each beat's own clock: the lease (30 s
by default) dwarfs the skew NTP leaves between machines.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, DateTimeField, F, Q, Value, When

from .models import BeatLease, BeatProcess, BeatRole

LEASE = "beat"
# Heartbeats older than this are deleted as beats write theirs: a restarted beat
# has a new process id, so rows of dead processes would otherwise pile up.
FORGET_AFTER = timedelta(days=1)


def lease_claim(*, holder: str, now: datetime, ttl: timedelta, name: str = LEASE) -> bool:
    """Take or renew the lease for `holder` until `now + ttl`; False while another
    holder's lease has not run out."""
    if _claim(holder=holder, now=now, ttl=ttl, name=name):
        return True
    # The row does not exist yet (a fresh database): create it free, then claim it
    # like anyone else. ignore_conflicts: a second beat racing here adds nothing.
    BeatLease.objects.bulk_create(
        [BeatLease(name=name, holder="", acquired_at=now, expires_at=now - timedelta(seconds=1))],
        ignore_conflicts=True,
    )
    return _claim(holder=holder, now=now, ttl=ttl, name=name)


def _claim(*, holder: str, now: datetime, ttl: timedelta, name: str) -> bool:
    return bool(
        BeatLease.objects.filter(Q(holder=holder) | Q(expires_at__lt=now), name=name).update(
            holder=holder,
            expires_at=now + ttl,
            acquired_at=Case(
                When(holder=holder, then=F("acquired_at")),
                default=Value(now, output_field=DateTimeField()),
            ),
        )
    )


def lease_release(*, holder: str, now: datetime, name: str = LEASE) -> bool:
    """Give the lease up at once (a beat stopping cleanly), so a standby need not
    wait for it to run out."""
    return bool(BeatLease.objects.filter(name=name, holder=holder).update(expires_at=now - timedelta(seconds=1)))


def lease_holder(*, now: datetime, name: str = LEASE) -> BeatLease | None:
    """The lease while someone holds it, else None."""
    return BeatLease.objects.filter(name=name, expires_at__gte=now).exclude(holder="").first()


def beat_heartbeat_record(
    *, ident: str, host: str, pid: int, role: BeatRole, started_at: datetime, now: datetime
) -> None:
    """Record that the beat `ident` is alive in `role`; forget beats long gone."""
    fields = {"host": host, "pid": pid, "role": role, "started_at": started_at, "last_seen": now}
    if not BeatProcess.objects.filter(ident=ident).update(**fields):
        BeatProcess.objects.bulk_create([BeatProcess(ident=ident, **fields)], ignore_conflicts=True)
    BeatProcess.objects.filter(last_seen__lt=now - FORGET_AFTER).delete()


def beat_heartbeat_forget(*, ident: str) -> None:
    """A beat stopping cleanly is no longer counted."""
    BeatProcess.objects.filter(ident=ident).delete()


@dataclass(frozen=True)
class BeatsSeen:
    alive: list[BeatProcess]
    holder: BeatLease | None


def beats_seen(*, now: datetime, alive_within: timedelta, name: str = LEASE) -> BeatsSeen:
    """The beats whose heartbeat is recent, newest first, and the lease (two
    indexed queries: a range over last_seen and the lease's unique name)."""
    alive = list(BeatProcess.objects.filter(last_seen__gte=now - alive_within).order_by("-last_seen", "ident"))
    return BeatsSeen(alive=alive, holder=lease_holder(now=now, name=name))
