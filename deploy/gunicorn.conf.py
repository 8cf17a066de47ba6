"""gunicorn on each web machine, behind deploy/nginx.conf:

    gunicorn helpdesk.wsgi -c deploy/gunicorn.conf.py

Every value can be changed from the environment (GUNICORN_…), so one file serves
every machine and CI's loopback layout (.ci/multinode).
"""
from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


# Where nginx reaches this machine. 0.0.0.0 on a web machine of its own
# (firewalled so that only nginx and the probes get in); 127.0.0.1:<port> when
# nginx runs on the same machine.
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Sync workers: nginx buffers slow clients, so a worker is busy only while
# Django works. The usual 2 × cores + 1.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"

# A request longer than this is killed (and logged): the same limit as nginx's
# proxy_read_timeout, so nginx never waits for a worker that has been killed.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On a restart (deploy), requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Restart each worker after this many requests (with jitter, so they do not
# all restart at once): a slow leak in a library never grows without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# The heartbeat files on tmpfs: a busy disk must not make the master think a
# worker hung.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Only nginx may tell gunicorn the scheme (X-Forwarded-Proto); Django reads it
# through SECURE_PROXY_SSL_HEADER and the client's address through PROXY_COUNT.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# One line per request to stdout, with the client's address nginx passed on.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms'
proc_name = os.environ.get("GUNICORN_PROC_NAME", "charterdesk-web")

# gunicornc's control socket (worker counts, graceful reload). Each gunicorn on
# one machine needs its own: CI runs two side by side.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
