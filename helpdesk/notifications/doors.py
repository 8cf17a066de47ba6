"""The two doors to the outbox: one for telling staff, one for telling customers.

Every app tells people through these, so what differs between the two
audiences is decided once, here, and not again in each app:

* staff hear by e-mail and in the app (`STAFF_CHANNELS`), at any hour; each
  person gets their own rows under `<key>:u<pk>`;
* customers hear by e-mail, SMS and in the app (`CUSTOMER_CHANNELS`); their
  SMS waits out the quiet hours (`notify(customer_facing=True)`), and goes to
  the number given on the ticket, the one they asked to be reached on;
* every notice is written in its recipient's language (`language_for`): a
  context given as a callable is built inside that language (the `generic`
  template's subject and body), a plain one is rendered in it at delivery;
* a `link` (a path; e-mail and SMS make it absolute) goes into the context;
* each person's choices apply (preferences, within the admins' rules:
  `choices.py`), read once per call for all its recipients: a channel they
  turned off is left out unless the kind cannot be turned off or the admins
  lock it; a staff member's e-mail of a digestible kind waits for their daily
  digest when they chose one (`digest.py`); a customer's text message becomes
  a KakaoTalk AlimTalk when a template serves the notice (`kakao.py`).
  Someone with no choices hears exactly as before.

The key names the event, so telling twice (a sweep run again, a double click)
writes nothing the second time. Rows are written in the caller's transaction
and sent after commit.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Model
from django.utils import translation

from .choices import NO_CHOICES, Choices, choices_read
from .kakao import kakao_template_for
from .kinds import CUSTOMER, KINDS, STAFF, Kind, kind_for
from .models import Notification, NotificationChannel
from .services import language_for, notify, notify_many

if TYPE_CHECKING:
    from helpdesk.accounts.models import User

STAFF_CHANNELS: tuple[str, ...] = (NotificationChannel.EMAIL.value, NotificationChannel.IN_APP.value)
CUSTOMER_CHANNELS: tuple[str, ...] = (
    NotificationChannel.EMAIL.value,
    NotificationChannel.SMS.value,
    NotificationChannel.IN_APP.value,
)

# A plain context (ids and strings, rendered by the template at delivery), or
# a callable building it in the recipient's language (texts composed now).
Context = Mapping[str, Any] | Callable[[], Mapping[str, Any]]


def _written(context: Context, language: str, link: str) -> dict[str, Any]:
    if callable(context):
        with translation.override(language):
            written = dict(context())
    else:
        written = dict(context)
    if link:
        written["link"] = link
    return written


def tell_staff(
    *,
    key: str,
    recipients: Iterable[User | None],
    template: str,
    context: Context,
    ticket: Model | None = None,
    link: str = "",
    channels: Iterable[str] = STAFF_CHANNELS,
) -> list[Notification]:
    """Tell each member of staff in `recipients` (None and repeats skipped)."""
    people: list[User] = []
    told: set[int] = set()
    for person in recipients:
        if person is not None and person.pk not in told:
            told.add(person.pk)
            people.append(person)
    if not people:
        return []
    kind = kind_for(key, STAFF)
    choices = choices_read(kinds=[kind], user_ids=[p.pk for p in people])
    channels = tuple(channels)
    rows: list[Notification] = []
    for person in people:
        language = language_for(person)
        rows += notify(
            key=f"{key}:u{person.pk}",
            template=template,
            context=_written(context, language, link),
            recipient=person,
            channels=choices.channels(person.pk, kind, channels),
            language=language,
            ticket=ticket,
            digest=choices.digests(person.pk, kind),
        )
    return rows


# No kind's prefix holds a digit, so the part of a key before its first
# segment with one (`charter:warning` of `charter:warning:t12:l1:v1`) has the
# key's kind: a batch looks each kind up once, not once per notice.
_STEMS_KEEP_KINDS = not any(ch.isdigit() for k in KINDS for p in k.prefixes for ch in p)
_DIGIT_SEGMENT = re.compile(r"(?:^|:)[^:]*\d")


def kind_stem(key: str) -> str:
    found = _DIGIT_SEGMENT.search(key) if _STEMS_KEEP_KINDS else None
    return key if found is None else key[: found.start()]


def tell_staff_many(notices: Iterable[Mapping[str, Any]]) -> list[int]:
    """`tell_staff` for a batch, one recipient a notice (the deadline sweep's
    thousand due tickets). Each notice holds `key` (without the recipient),
    `template`, a plain `context`, `recipient` and `ticket`. The outbox's
    `notify_many` writes the whole batch in one statement on PostgreSQL, and
    the batch's choices are one read before it (none for the sweep's deadline
    notices, which cannot be turned off); returns the ids of the rows written."""
    notices = list(notices)
    stems: dict[str, Kind] = {}
    kinds: list[Kind] = []
    for n in notices:
        stem = kind_stem(n["key"])
        kind = stems.get(stem)
        if kind is None:
            kind = stems[stem] = kind_for(stem, STAFF)
        kinds.append(kind)
    choices: Choices = (
        choices_read(kinds=stems.values(), user_ids=[n["recipient"].pk for n in notices]) if notices else NO_CHOICES
    )
    # A batch tells the same few hundred people of the same few kinds: their choice is worked out once.
    picked: dict[tuple[int, str], tuple[tuple[str, ...], bool]] = {}
    requests: list[dict[str, Any]] = []
    for n, kind in zip(notices, kinds, strict=True):
        recipient = n["recipient"]
        uid = recipient.pk
        choice = picked.get((uid, kind.code))
        if choice is None:
            choice = picked[(uid, kind.code)] = (
                choices.channels(uid, kind, STAFF_CHANNELS),
                choices.digests(uid, kind),
            )
        request = {
            "key": f"{n['key']}:u{uid}",
            "template": n["template"],
            "context": n["context"],
            "recipient": recipient,
            "ticket": n.get("ticket"),
            "channels": choice[0],
        }
        if choice[1]:
            request["digest"] = True
        requests.append(request)
    return notify_many(requests)


def tell_customer(
    *,
    key: str,
    recipient: User | None,
    template: str,
    context: Context,
    ticket: Model | None = None,
    link: str = "",
    channels: Iterable[str] = CUSTOMER_CHANNELS,
    phone: Any = None,
) -> list[Notification]:
    """Tell a customer (a reporter without an account hears by SMS only).
    `phone` None means the number given on the ticket, else their own."""
    if phone is None:
        phone = getattr(ticket, "contact_phone", "")
    language = language_for(recipient)
    kind = kind_for(key, CUSTOMER)
    uid = recipient.pk if recipient is not None else None
    choices = choices_read(kinds=[kind], user_ids=[uid])
    wanted, kakao_id, sms_fallback = _customer_channels(choices, uid, kind, template, tuple(channels))
    written = _written(context, language, link)
    if kakao_id is not None and not sms_fallback:
        written["sms_fallback"] = False  # read by the delivery (kakao.alimtalk_send)
    return notify(
        key=key,
        template=template,
        context=written,
        recipient=recipient,
        phone=str(phone) if phone else "",
        channels=wanted,
        language=language,
        ticket=ticket,
        customer_facing=True,
        kakao_template_id=kakao_id,
    )


def _customer_channels(
    choices: Choices, uid: int | None, kind: Kind, template: str, channels: tuple[str, ...]
) -> tuple[tuple[str, ...], int | None, bool]:
    """The customer's channels, with KakaoTalk in the text message's place when
    an AlimTalk template serves the notice; (channels, template id, whether a
    refused AlimTalk may go as a text message)."""
    sms = NotificationChannel.SMS.value
    sms_ok = sms in channels and choices.wants(uid, kind, sms)
    kakao = None
    if sms in channels and choices.wants(uid, kind, NotificationChannel.KAKAO.value):
        kakao = kakao_template_for(kind=kind, template=template)
    wanted: list[str] = []
    for channel in dict.fromkeys(channels):
        if channel == sms:
            if kakao is not None:
                wanted.append(NotificationChannel.KAKAO.value)
            elif sms_ok:
                wanted.append(sms)
        elif choices.wants(uid, kind, channel):
            wanted.append(channel)
    return tuple(wanted), (kakao.pk if kakao is not None else None), sms_ok
