"""The notifications list says how long ago in Korean style: "2일 19시간 전", never "2일, 19시간 전"."""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from helpdesk.notifications.models import Notification
from tests.helpers.clock import NOW

pytestmark = pytest.mark.django_db


def test_the_list_shows_korean_relative_times_that_do_not_wrap(customer, client_for):
    with time_machine.travel(NOW, tick=False):
        Notification.objects.create(
            key="inapp:ago", channel="in_app", template="generic", recipient=customer, state="sent",
            subject="알림", context={"link": "/my/tickets/1/"},
        )
    with time_machine.travel(NOW + timedelta(days=2, hours=19, minutes=5), tick=False):
        html = client_for(customer).get(reverse("notifications:list")).content.decode()
    assert ">2일 19시간 전</time>" in html
    assert '<time class="nowrap"' in html
