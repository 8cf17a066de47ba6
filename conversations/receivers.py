"""The lifecycle notices, registered on tickets.hooks."""
from __future__ import annotations
