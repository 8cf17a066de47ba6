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
* a `link` (a path; e-mail and SMS make it absolute) goes into the context.

The key names the event, so telling twice (a sweep run again, a double click)
writes nothing the second time. Rows are written in the caller's transaction
and sent after commit.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import Model
from django.utils import translation

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
    rows: list[Notification] = []
    told: set[int] = set()
    for person in recipients:
        if person is None or person.pk in told:
            continue
        told.add(person.pk)
        language = language_for(person)
        rows += notify(
            key=f"{key}:u{person.pk}",
            template=template,
            context=_written(context, language, link),
            recipient=person,
            channels=tuple(channels),
            language=language,
            ticket=ticket,
        )
    return rows


def tell_staff_many(notices: Iterable[Mapping[str, Any]]) -> list[int]:
    """`tell_staff` for a batch, one recipient a notice (the deadline sweep's
    thousand due tickets). Each notice holds `key` (without the recipient),
    `template`, a plain `context`, `recipient` and `ticket`. The outbox's
    `notify_many` writes the whole batch in one statement on PostgreSQL;
    returns the ids of the rows written."""
    return notify_many(
        {
            "key": f"{n['key']}:u{n['recipient'].pk}",
            "template": n["template"],
            "context": n["context"],
            "recipient": n["recipient"],
            "ticket": n.get("ticket"),
            "channels": STAFF_CHANNELS,
        }
        for n in notices
    )


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
    return notify(
        key=key,
        template=template,
        context=_written(context, language, link),
        recipient=recipient,
        phone=str(phone) if phone else "",
        channels=tuple(channels),
        language=language,
        ticket=ticket,
        customer_facing=True,
    )
