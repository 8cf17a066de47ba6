"""Celery beat's scheduler for charterdesk: one beat sends, and a send the broker
refused is sent again once the broker is back.

`CELERY_BEAT_SCHEDULER` names it, so `celery -A helpdesk beat` uses it with no
extra flag. On top of Celery's `PersistentScheduler` (the schedule file, the
heap of entries) it adds:

* **One beat sends.** Every `BEAT_LEASE_SECONDS / 3` the beat claims or renews
  the beat lease (`helpdesk.core.beat_lease`). The holder sends; any other beat
  is a standby: it logs once that another beat holds the lease, sends nothing,
  keeps trying, and takes over when the holder's lease runs out (the holder
  died) or is given up (it stopped cleanly). Holder and standby both record a
  heartbeat (host, pid, role, last seen), which /healthz reports.
* **Catch up on taking over.** A beat that becomes the holder cannot know when
  the previous one last sent, so every interval entry is sent at once. Every
  periodic task here is an idempotent sweep, so an early run costs a query,
  while a missed one costs a deadline.
* **A refused send is not lost.** Celery advances an entry before sending it, so
  a send that fails while the broker is down is simply dropped until the
  entry's next turn: a minute later for the deadline sweep, which is how a 90 s
  outage left the sweep 179 s old. Here the entry is put back as it was (still
  due) and beat pauses its sends for `RESEND_SECONDS`; once the broker answers,
  everything that fell due meanwhile goes out at once.
* **Never blocked on the broker.** Celery's scheduler connects its producer
  with `broker_connection_max_retries` retries, backing off up to 30 s, inside
  the tick; a beat started while the broker is down would stop renewing its
  lease. Here the first connection is tried once per tick and retried later.
"""
from __future__ import annotations

import logging
import os
import secrets
import socket
from datetime import datetime, timedelta
from typing import Any

from celery.beat import PersistentScheduler, ScheduleEntry
from celery.schedules import schedule as interval_schedule
from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from .beat_lease import (
    beat_heartbeat_forget,
    beat_heartbeat_record,
    lease_claim,
    lease_holder,
    lease_release,
)
from .models import BeatRole

logger = logging.getLogger(__name__)

# How long beat waits before sending again after the broker refused a send.
RESEND_SECONDS = 5.0


def lease_seconds() -> float:
    """How long a holder's lease lasts without renewal (renewed every third of it)."""
    return float(getattr(settings, "BEAT_LEASE_SECONDS", 30))


class LeasedScheduler(PersistentScheduler):
    #: Wake at least this often, so the lease is renewed on time even when the
    #: next task is minutes away (Celery's default is 300 s).
    max_interval = 5

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.host = socket.gethostname()[:150]
        self.pid = os.getpid()
        # The random part keeps two beats apart that share a host name and a pid
        # (pid 1 in two containers given the same hostname).
        self.ident = f"{self.host}:{self.pid}:{secrets.token_hex(3)}"
        self.started_at = timezone.now()
        self.holding = False
        self._held_until: datetime | None = None
        self._next_check: datetime | None = None
        self._holder_seen: str | None = None
        self._sends_paused_until: datetime | None = None
        super().__init__(*args, **kwargs)

    # --- the tick ------------------------------------------------------------------------

    def tick(self, *args: Any, **kwargs: Any) -> float:
        now = timezone.now()
        if self._next_check is None or now >= self._next_check:
            self.lease_check(now)
        wait = self._seconds_until(self._next_check, now)
        if not self.holding:
            return wait
        if self._sends_paused_until is not None and now < self._sends_paused_until:
            return min(wait, self._seconds_until(self._sends_paused_until, now))
        if not self._producer_ready(now):
            return min(wait, RESEND_SECONDS)
        return min(super().tick(*args, **kwargs), wait)

    @staticmethod
    def _seconds_until(moment: datetime | None, now: datetime) -> float:
        return 0.0 if moment is None else max(0.0, (moment - now).total_seconds())

    # --- the lease -------------------------------------------------------------------------

    def lease_check(self, now: datetime) -> bool:
        """Claim or renew the lease, record the heartbeat; True while this beat sends."""
        ttl = timedelta(seconds=lease_seconds())
        # Beat lives for weeks: drop a connection the database closed under it.
        close_old_connections()
        holder: str | None = None
        try:
            holding = lease_claim(holder=self.ident, now=now, ttl=ttl)
            if holding:
                self._held_until = now + ttl
            else:
                lease = lease_holder(now=now)
                holder = lease.holder if lease is not None else None
            beat_heartbeat_record(
                ident=self.ident,
                host=self.host,
                pid=self.pid,
                role=BeatRole.HOLDER if holding else BeatRole.STANDBY,
                started_at=self.started_at,
                now=now,
            )
        except DatabaseError as exc:
            # Unknown who holds it: keep sending only while our own lease surely lasts.
            holding = self._held_until is not None and now < self._held_until
            logger.warning(
                "beat: could not renew the beat lease (%s: %s); %s",
                type(exc).__name__,
                exc,
                f"this beat still holds it until {self._held_until:%H:%M:%S}" if holding else "sending nothing",
            )
            close_old_connections()
        self._next_check = now + ttl / 3
        self._role_set(holding, holder)
        return holding

    def _role_set(self, holding: bool, holder: str | None) -> None:
        if holding and not self.holding:
            logger.info(
                "beat: %s holds the beat lease and sends the periodic tasks; every task is sent now to catch up",
                self.ident,
            )
            self._catch_up()
        elif not holding and (self.holding or self._holder_seen is None or holder != self._holder_seen):
            logger.warning(
                "beat: another beat (%s) holds the beat lease; this beat (%s) is a standby and sends nothing. "
                "It takes over if that beat stops for %d s. Run one beat (see README, Production).",
                holder or "unknown",
                self.ident,
                lease_seconds(),
            )
        self.holding = holding
        self._holder_seen = None if holding else (holder or "")

    def _catch_up(self) -> None:
        # Interval entries only: a crontab entry keeps its wall-clock moments.
        for name, entry in list(self.schedule.items()):
            if isinstance(entry.schedule, interval_schedule):
                entry.last_run_at = entry.default_now() - entry.schedule.run_every
                self.schedule[name] = entry
        self._heap = None  # rebuilt from the entries at the next tick

    # --- sending ---------------------------------------------------------------------------

    def apply_entry(self, entry: ScheduleEntry, producer: Any = None) -> None:
        logger.info("Scheduler: Sending due task %s (%s)", entry.name, entry.task)
        try:
            self.apply_async(entry, producer=producer, advance=False)
        except Exception as exc:  # the broker is down or refused it: send it again later
            # tick() already advanced the entry to its next turn; put it back as it
            # was, still due, and rebuild the heap from the entries.
            self.schedule[entry.name] = entry
            self._heap = None
            self._sends_paused_until = timezone.now() + timedelta(seconds=RESEND_SECONDS)
            logger.warning(
                "beat: could not send %s (%s); it stays due and is sent again in %d s",
                entry.name,
                exc,
                RESEND_SECONDS,
            )
        else:
            self._sends_paused_until = None

    def _producer_ready(self, now: datetime) -> bool:
        try:
            self.producer  # noqa: B018 - connects on first use (a cached property)
        except Exception as exc:
            self._sends_paused_until = now + timedelta(seconds=RESEND_SECONDS)
            logger.warning("beat: cannot reach the broker (%s); trying again in %d s", exc, RESEND_SECONDS)
            return False
        return True

    def _ensure_connected(self) -> Any:
        # One attempt, no back-off: tick() tries again in RESEND_SECONDS, and keeps
        # renewing the lease in between.
        return self.connection.ensure_connection(max_retries=0)

    # --- stopping --------------------------------------------------------------------------

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._leave()

    def _leave(self) -> None:
        """Give the lease up and drop the heartbeat, so a standby takes over at once."""
        try:
            close_old_connections()
            if self.holding:
                lease_release(holder=self.ident, now=timezone.now())
            beat_heartbeat_forget(ident=self.ident)
        except DatabaseError as exc:
            logger.warning("beat: could not give up the beat lease (%s); it runs out by itself", exc)
        self.holding = False

    @property
    def info(self) -> str:
        return f"{super().info}\n    . lease -> one beat sends, the holder of the beat lease ({lease_seconds():.0f} s)"
