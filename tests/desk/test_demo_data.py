"""The desk's demo data (demo.desk_steps.desk_demo_ensure), made through the
real services on top of `seed_demo`, and safe to repeat; and the demo stories
meet the fault gates (MT3, MT4) through the desk's services."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from demo.desk_steps import desk_demo_ensure
from desk.models import (
    CallbackMemo,
    Consent,
    Diagnosis,
    IdentityCheck,
    PhoneCall,
    TeamAssetType,
    WalkIn,
)
from desk.services.callback_sweep import callback_sweep_once
from helpdesk.accounts.models import User
from tests.helpers.clock import NOW
from tickets.models import AssetType

pytestmark = pytest.mark.django_db


def test_desk_demo_data_is_made_once_and_shows_each_desk_feature(frozen):
    frozen.move_to(NOW.replace(hour=15))  # a Tuesday afternoon: the morning's callbacks are due
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    # The stories walked their faults through the gates with the desk's services.
    assert IdentityCheck.objects.filter(method="employee_no_phone").exists()
    assert Diagnosis.objects.exists() and Consent.objects.filter(how="portal").exists()

    people = {u.username: u for u in User.objects.all()}
    # seed_demo made them already; a second call adds nothing.
    assert desk_demo_ensure(people) == 0
    # Today's morning at the desk; the days before hold the scoreboard's history (demo.scoreboard_history).
    today = NOW.replace(hour=0)
    calls, memos = PhoneCall.objects.filter(received_at__gte=today), CallbackMemo.objects.filter(taken_at__gte=today)
    walk_ins = WalkIn.objects.filter(arrived_at__gte=today)
    assert calls.count() == 3 and memos.count() == 2 and walk_ins.count() == 2
    assert not PhoneCall.objects.filter(received_at__gte=today, external_id__startswith="demo-history-").exists()
    assert set(TeamAssetType.objects.filter(team__code="PRN").values_list("asset_type", flat=True)) == {AssetType.PRINTER}
    assert memos.filter(closed_at__isnull=False).count() == 1
    assert WalkIn.objects.filter(served_at__isnull=True).count() == 1
    # The open memo was taken four hours ago: the sweep reminds and escalates it.
    assert callback_sweep_once() == 1
    assert CallbackMemo.objects.get(closed_at__isnull=True).escalated_at is not None
