"""The deadline engine's records are in the admin for the people who answer for them.
(The service standards' admin: tests/standards/test_standards_admin.py.)"""
from __future__ import annotations

from django.urls import reverse


def test_every_charter_model_is_in_the_admin(admin_user, client_for) -> None:
    admin = client_for(admin_user)
    for app, name in (
        ("charter", "delaynotice"),
        ("charter", "escalation"),
        ("charter", "sweeprun"),
    ):
        assert admin.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200
