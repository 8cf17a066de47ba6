"""The real services some tests need (PostgreSQL, Redis, a child process): where
the project lives, whether this is CI, and the test database as a URL."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

# The project's root folder (manage.py), the working directory of child processes.
ROOT = Path(__file__).resolve().parents[2]
# CI must prove that tests needing the real services ran: there they fail instead of skipping.
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def database_url() -> str:
    """The test database (pytest-django's test_<name>) as a URL for a child process."""
    from django.db import connection

    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s.get("HOST") or "127.0.0.1"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{quote(s['NAME'], safe='')}"
