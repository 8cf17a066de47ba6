"""Demo data: a realistic Korean organisation, stories told through the real
services, and a bulk generator for benchmark-sized data sets.

Used by `manage.py seed_demo` and by `python -m bench`. Nothing here runs in
production requests.
"""
from __future__ import annotations

DEMO_PASSWORD = "charterdesk"
DEFAULT_SEED = 20240901
