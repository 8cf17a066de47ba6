"""Benchmarks: `python -m bench SCENARIO --tickets N` (see bench/README.md).

Not part of the test suite's timing: tests/bench only checks that the runner
works and prints what it promises.
"""
from __future__ import annotations
