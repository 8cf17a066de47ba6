"""The staff's daily digest: a day's e-mails in one.

A member of staff who chose it has their e-mail of a digestible kind written
in the state `digest`, with no next attempt, so no worker and no retry sweep
takes it (the app's notice went at once, as always; deadline warnings and
other kinds that cannot wait are never held: kinds.py). Beat runs
`digest_send_due` every five minutes. Once the digest moment of a working day
has come (`NOTIFY_DIGEST_AT`, local time), each person's rows written before
it are gathered into one e-mail, an ordinary outbox row keyed
`notifications:digest:u<pk>:<date>` and delivered like any other (retries,
at-least-once), and are marked `digested`, pointing at it, in the same
transaction.

Running twice writes one digest: the key is unique, and a person whose digest
of that date exists is passed over. A row that arrives after the moment, or
that committed just after its person's digest was made, waits for the next
working day's digest; none is lost, none is sent twice. A beat that was down
at the moment sends the digest when it is back.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from helpdesk.core.times import local_text

from .models import Notification, NotificationChannel, NotificationState
from .policy import is_working_day
from .rendering import absolute_url, render_subject, template_context
from .services import language_for, notify

# One e-mail stays readable: the rest are counted, and are all in the app.
MAX_ITEMS = 100
# Bounded work a run; what is left goes in the next run, five minutes later.
PEOPLE_PER_RUN = 500
# How far back to look for the last working day (the longest Korean holidays are shorter).
LOOKBACK_DAYS = 31


def digest_time() -> time:
    return time.fromisoformat(getattr(settings, "NOTIFY_DIGEST_AT", "08:00"))


def digest_moment(now: datetime) -> datetime | None:
    """The latest digest moment at or before `now`: NOTIFY_DIGEST_AT on a working
    day, in local time. Rows written before it belong to that day's digest."""
    local = timezone.localtime(now)
    at = digest_time()
    day = local.date()
    for _n in range(LOOKBACK_DAYS):
        moment = datetime.combine(day, at, tzinfo=local.tzinfo)
        if moment <= now and is_working_day(day):
            return moment
        day -= timedelta(days=1)
    return None


def digest_key(recipient_id: int, moment: datetime) -> str:
    return f"notifications:digest:u{recipient_id}:{timezone.localtime(moment).date().isoformat()}"


def digest_send_due(*, now: datetime | None = None) -> int:
    """Write every digest that is due; returns how many were written."""
    now = now or timezone.now()
    moment = digest_moment(now)
    if moment is None:
        return 0
    people = list(
        Notification.objects.filter(state=NotificationState.DIGEST, created_at__lt=moment)
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()[:PEOPLE_PER_RUN]
    )
    return sum(digest_gather(recipient_id=pk, moment=moment) for pk in people)


@transaction.atomic
def digest_gather(*, recipient_id: int | None, moment: datetime) -> bool:
    """One person's digest for the day of `moment`; True when this call wrote it."""
    waiting = Notification.objects.filter(
        recipient_id=recipient_id, state=NotificationState.DIGEST, created_at__lt=moment
    )
    if recipient_id is None:
        # The person's account was deleted: nobody to send them to.
        waiting.update(state=NotificationState.DEAD, last_error=_("The recipient no longer exists."))
        return False
    # Locked, so a second run at the same time waits and then finds them gathered.
    rows = list(waiting.select_for_update().order_by("created_at", "pk"))
    if not rows:
        return False
    key = digest_key(recipient_id, moment)
    if Notification.objects.filter(key=f"{key}:{NotificationChannel.EMAIL}").exists():
        return False  # that day's digest went out: these wait for the next one
    recipient = get_user_model().objects.get(pk=recipient_id)
    language = language_for(recipient)
    with translation.override(language):
        items = [_item(row) for row in rows[:MAX_ITEMS]]
    (digest,) = notify(
        key=key,
        template="digest",
        context={
            "items": items,
            "count": len(rows),
            "more": max(0, len(rows) - MAX_ITEMS),
            "since": local_text(rows[0].created_at),
            "link": reverse("notifications:list"),
            "settings_link": absolute_url(reverse("notifications:settings")),
        },
        recipient=recipient,
        # The address the e-mails were written for, even if the profile lost it since.
        email=rows[-1].to_email,
        channels=(NotificationChannel.EMAIL,),
        language=language,
    )
    waiting.filter(pk__in=[row.pk for row in rows]).update(state=NotificationState.DIGESTED, digest=digest)
    return True


def _item(row: Notification) -> dict[str, Any]:
    """One line of the digest, written now in the reader's language: the
    notice's subject, when it came, and its link."""
    ctx = template_context(row.context)
    try:
        subject = render_subject(row.template, ctx)
    except TemplateDoesNotExist:
        subject = str((row.context or {}).get("subject") or row.template)
    return {
        "subject": subject,
        "at": local_text(row.created_at),
        "link": str(ctx.get("link", "")),
        "ticket_number": str((row.context or {}).get("ticket_number", "")),
    }
