"""The worker's broker reconnects, bounded: after an outage the worker is back
within seconds of the broker, not half a minute later.

Celery 5.7's consumer reconnects with `Connection.ensure_connection(errback,
broker_connection_max_retries)` and kombu's default back-off: 2 s, then 2 s
more after every failure, up to 30 s between attempts. Nothing in the settings
reaches those intervals: `broker_transport_options` `interval_start`,
`interval_step` and `interval_max` are read only when a channel is opened on a
dropped connection (`Connection.default_channel`), never by the consumer's
reconnect loop. After a 90 s outage the worker was trying every 20 s, so a
sweep beat sent the moment Redis returned could wait that long in the queue.

This consumer passes the same three transport options to its reconnect loop, so
one setting (`CELERY_BROKER_TRANSPORT_OPTIONS`) bounds every reconnect. It is
set by `CELERY_WORKER_CONSUMER`.
"""
from __future__ import annotations

from functools import partial
from typing import Any

from celery.worker.consumer import Consumer

# Used when the transport options leave them out: at most 5 s between attempts.
INTERVALS = {"interval_start": 1.0, "interval_step": 1.0, "interval_max": 5.0}


def reconnect_intervals(transport_options: dict[str, Any] | None) -> dict[str, float]:
    """interval_start/step/max for a reconnect loop, from the transport options."""
    options = transport_options or {}
    return {key: float(options.get(key, default)) for key, default in INTERVALS.items()}


class BoundedReconnectConsumer(Consumer):
    def ensure_connected(self, conn: Any) -> Any:
        # Celery's ensure_connected (retry settings, logging, the retry counter)
        # stays as it is; only the back-off of its retry loop is bounded.
        conn.ensure_connection = partial(conn.ensure_connection, **reconnect_intervals(conn.transport_options))
        return super().ensure_connected(conn)
