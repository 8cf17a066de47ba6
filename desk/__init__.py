"""The service desk and the charter's fault gates (PH1–PH3, OV1–OV5, MT3, MT4).

A Django app of its own (label ``desk``) inside the tickets package: phone calls,
callback memos, walk-ins, the staff directory, identity checks, symptom
answers, diagnoses with their expected duration, and the customer's consent.
It hooks into the ticket lifecycle only through ``tickets.hooks``.
"""
from __future__ import annotations
