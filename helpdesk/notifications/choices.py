"""What the doors may send: the admins' rules and people's choices, read together.

A door reads them once per call, for every recipient and kind of the call, in
one statement (`choices_read`): the rules of the call's kinds and the choices
of its recipients, `UNION ALL`. The deadline sweep's batch of a thousand
notices is one read, not a thousand; a call about a kind that cannot be turned
off and never waits for a digest (a deadline warning, a delay notice) reads
nothing at all.

The decision itself (`Choices.wants`) is pure:
- the app is always on;
- a channel the admins do not offer for the kind is never used;
- a kind that cannot be turned off (the code's, or locked by a rule) goes by
  every offered channel, whatever was chosen;
- otherwise what the person chose, and on when they chose nothing — so people
  without a single row hear exactly as before preferences existed.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .kakao import kakao_configured
from .kinds import CUSTOMER, KINDS, STAFF, Kind
from .models import ALL_KINDS, DIGEST_CHANNEL, NoticePreference, NoticeRule, NotificationChannel

if TYPE_CHECKING:
    from helpdesk.accounts.models import User

IN_APP = NotificationChannel.IN_APP.value
LIMITED = (NotificationChannel.EMAIL.value, NotificationChannel.SMS.value, NotificationChannel.KAKAO.value)


@dataclass(frozen=True)
class Limits:
    """One NoticeRule as the doors need it."""

    email: bool = True
    sms: bool = True
    kakao: bool = True
    may_turn_off: bool = True
    reason: str = ""

    def offers(self, channel: str) -> bool:
        return bool(getattr(self, channel)) if channel in LIMITED else True


@dataclass(frozen=True)
class Choices:
    rules: dict[str, Limits] = field(default_factory=dict)
    # (user id, kind code, channel) -> on; absent means the default, on.
    chosen: dict[tuple[int, str, str], bool] = field(default_factory=dict)

    def rule(self, kind: Kind) -> Limits | None:
        # The code's "cannot be turned off" is not the admins' to loosen or narrow.
        return self.rules.get(kind.code) if kind.may_turn_off else None

    def offered(self, kind: Kind, channel: str) -> bool:
        rule = self.rule(kind)
        return rule is None or rule.offers(channel)

    def locked(self, kind: Kind) -> bool:
        rule = self.rule(kind)
        return not kind.may_turn_off or (rule is not None and not rule.may_turn_off)

    def wants(self, user_id: int | None, kind: Kind, channel: str) -> bool:
        if channel == IN_APP:
            return True
        if not self.offered(kind, channel):
            return False
        if self.locked(kind) or user_id is None:
            return True
        return self.chosen.get((user_id, kind.code, channel), True)

    def channels(self, user_id: int | None, kind: Kind, wanted: Iterable[str]) -> tuple[str, ...]:
        return tuple(c for c in dict.fromkeys(wanted) if self.wants(user_id, kind, c))

    def digest_on(self, user_id: int | None) -> bool:
        return user_id is not None and self.chosen.get((user_id, ALL_KINDS, DIGEST_CHANNEL), False)

    def digests(self, user_id: int | None, kind: Kind) -> bool:
        """Whether the person's e-mail of this kind waits for their daily digest."""
        return kind.digestible and self.digest_on(user_id)


NO_CHOICES = Choices()


def choices_read(*, kinds: Iterable[Kind], user_ids: Iterable[int | None]) -> Choices:
    """The rules of `kinds` and the choices of `user_ids`, in one statement;
    nothing is read when no kind can be changed by either."""
    codes = sorted({k.code for k in kinds if k.reads_choices})
    if not codes:
        return NO_CHOICES
    ids = sorted({pk for pk in user_ids if pk is not None})
    qn = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(codes))
    sql = (
        f"SELECT NULL, {qn('kind')}, '', {qn('may_turn_off')}, {qn('email')}, {qn('sms')}, {qn('kakao')}, "
        f"{qn('reason')} FROM {qn(NoticeRule._meta.db_table)} WHERE {qn('kind')} IN ({marks})"
    )
    params: list[object] = list(codes)
    if ids:
        sql += (
            f" UNION ALL SELECT {qn('user_id')}, {qn('kind')}, {qn('channel')}, {qn('enabled')}, NULL, NULL, NULL, "
            f"NULL FROM {qn(NoticePreference._meta.db_table)} WHERE {qn('user_id')} IN ({', '.join(['%s'] * len(ids))}) "
            f"AND {qn('kind')} IN ({', '.join(['%s'] * (len(codes) + 1))})"
        )
        params += [*ids, *codes, ALL_KINDS]
    rules: dict[str, Limits] = {}
    chosen: dict[tuple[int, str, str], bool] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for user_id, kind, channel, flag, email, sms, kakao, reason in cursor.fetchall():
            if user_id is None:
                rules[kind] = Limits(bool(email), bool(sms), bool(kakao), bool(flag), reason or "")
            else:
                chosen[(int(user_id), kind, channel)] = bool(flag)
    return Choices(rules=rules, chosen=chosen)


# --- the settings page ------------------------------------------------------------

CHANNEL_LABELS = {
    NotificationChannel.EMAIL.value: _("E-mail"),
    NotificationChannel.SMS.value: _("Text message"),
    NotificationChannel.KAKAO.value: _("KakaoTalk"),
}


@dataclass(frozen=True)
class Cell:
    channel: str
    label: str | Promise
    field: str
    on: bool
    locked: bool
    offered: bool


@dataclass(frozen=True)
class KindRow:
    kind: Kind
    cells: tuple[Cell, ...]
    locked: bool
    why: str | Promise


@dataclass(frozen=True)
class Section:
    audience: str
    rows: tuple[KindRow, ...]


@dataclass(frozen=True)
class SettingsPage:
    sections: tuple[Section, ...]
    digest_offered: bool
    digest_on: bool
    digest_kinds: tuple[Kind, ...]
    # The person's staff kinds that always come at once, digest or not.
    immediate_kinds: tuple[Kind, ...]
    kakao: bool

    def choosable(self) -> list[Cell]:
        return [c for s in self.sections for r in s.rows for c in r.cells if c.offered and not c.locked]


def field_name(kind: Kind, channel: str) -> str:
    """The form field of one choice ("customer_progress__sms")."""
    return f"{kind.code.replace('.', '_')}__{channel}"


def kinds_shown(user: User) -> list[Kind]:
    """The kinds a person can receive: every customer kind (everyone may file a
    request, staff included, and then hears as its reporter), and the staff
    kinds their rights bring them."""
    return [
        k for k in KINDS if k.audience == CUSTOMER or any(user.has_perm(perm) for perm in k.shown_to)
    ]


def settings_page(user: User) -> SettingsPage:
    """What the settings page shows a person: their kinds by audience, staff
    first, each channel on or off, locked with the reason, or not offered."""
    shown = kinds_shown(user)
    choices = choices_read(kinds=shown, user_ids=[user.pk])
    kakao = kakao_configured()
    sections = []
    for audience in (STAFF, CUSTOMER):
        rows = []
        for kind in (k for k in shown if k.audience == audience):
            locked = choices.locked(kind)
            rule = choices.rule(kind)
            why = kind.always_because or ((rule.reason if rule and rule.reason else "") or _("Set by the administrators."))
            cells = tuple(
                Cell(
                    channel=channel,
                    label=CHANNEL_LABELS[channel],
                    field=field_name(kind, channel),
                    on=choices.wants(user.pk, kind, channel),
                    locked=locked,
                    offered=choices.offered(kind, channel),
                )
                for channel in kind.channels
                if channel != NotificationChannel.KAKAO or kakao
            )
            rows.append(KindRow(kind=kind, cells=cells, locked=locked, why=why if locked else ""))
        if rows:
            sections.append(Section(audience=audience, rows=tuple(rows)))
    digest_kinds = tuple(k for k in shown if k.digestible)
    return SettingsPage(
        sections=tuple(sections),
        digest_offered=bool(digest_kinds),
        digest_on=choices.digest_on(user.pk),
        digest_kinds=digest_kinds,
        immediate_kinds=tuple(k for k in shown if k.audience == STAFF and not k.digestible),
        kakao=kakao,
    )
