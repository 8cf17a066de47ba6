"""KakaoTalk AlimTalk (알림톡) for customers, through the SMS backend's provider.

Customers in Korea read KakaoTalk before text messages. An AlimTalk can only
carry a template registered with the KakaoTalk channel and approved by Kakao,
with `#{변수}` placeholders; a `KakaoTemplate` row says which of our notices a
template carries and which value of the notice fills each placeholder.

The customer door (doors.tell_customer) writes a `kakao` row instead of the
`sms` row when AlimTalk is configured (`SOLAPI_KAKAO_PF_ID`), the customer's
choices allow it and an active template serves the notice. Delivering it
(`alimtalk_send`) sends the AlimTalk; when the provider refuses it (a template
not approved, a wrong channel, a number with no KakaoTalk, or anything else no
retry can fix) the notice goes as a text message with its SMS template's text,
through the same backend, and the row says so (`sent_via`, a note). SOLAPI's
own substitute text message covers a KakaoTalk failure that comes later,
after SOLAPI accepted the message. A customer who turned text messages off
gets neither fallback.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from helpdesk.core.times import local_text

from .kinds import Kind
from .models import VARIABLE, KakaoTemplate
from .sms import AlimTalkRefused, SMSPermanentError, get_sms_backend


class KakaoUndeliverable(Exception):
    """Neither the AlimTalk nor a text message in its place can be sent."""


class KakaoNotReady(Exception):
    """The AlimTalk cannot be built (no template, no channel, a value missing)."""


@dataclass(frozen=True)
class AlimTalk:
    pf_id: str
    template_id: str
    variables: dict[str, str]
    text: str


@dataclass(frozen=True)
class KakaoOutcome:
    body: str
    provider_id: str
    sent_via: str
    note: str = ""


def kakao_configured() -> bool:
    """AlimTalk is on once the KakaoTalk channel's pfId is set."""
    return bool(getattr(settings, "SOLAPI_KAKAO_PF_ID", ""))


def kakao_template_for(*, kind: Kind, template: str) -> KakaoTemplate | None:
    """The active AlimTalk template for a notice: one for our template name wins
    over one for its kind; None when AlimTalk is off (no query then)."""
    if not kakao_configured():
        return None
    found = list(KakaoTemplate.objects.filter(Q(template=template) | Q(kind=kind.code, template=""), active=True))
    return next((t for t in found if t.template == template), None) or next(
        (t for t in found if t.kind == kind.code), None
    )


def kakao_value(value: Any) -> str:
    """A context value as the customer reads it: a stored moment in local time."""
    if isinstance(value, str) and len(value) >= 16 and value[4:5] == "-" and "T" in value:
        try:
            return local_text(datetime.fromisoformat(value))
        except ValueError:
            return value
    return "" if value is None else str(value)


def alimtalk_build(template: KakaoTemplate | None, ctx: dict[str, Any]) -> AlimTalk:
    if template is None or not template.active:
        raise KakaoNotReady(_("the AlimTalk template is missing or inactive"))
    pf_id = template.pf_id or getattr(settings, "SOLAPI_KAKAO_PF_ID", "")
    if not pf_id:
        raise KakaoNotReady(_("no KakaoTalk channel (pfId) is set"))
    variables: dict[str, str] = {}
    for name, key in (template.variables or {}).items():
        value = kakao_value(ctx.get(key))
        if not value.strip():
            raise KakaoNotReady(_("the notice has no %(key)s for #{%(name)s}") % {"key": key, "name": name})
        variables[f"#{{{name}}}"] = value
    text = VARIABLE.sub(lambda m: variables.get(f"#{{{m.group(1)}}}", m.group(0)), template.content)
    return AlimTalk(pf_id=pf_id, template_id=template.template_id, variables=variables, text=text)


def alimtalk_send(
    *,
    to: str,
    template: KakaoTemplate | None,
    ctx: dict[str, Any],
    sms_text: Callable[[], str],
    sms_fallback: bool,
) -> KakaoOutcome:
    """Send the AlimTalk, or the text message in its place when the provider
    refuses it. A passing fault (the provider unreachable) is raised as is, and
    the outbox tries the AlimTalk again later."""
    backend = get_sms_backend()
    try:
        message = alimtalk_build(template, ctx)
        provider_id = backend.send_alimtalk(
            to,
            pf_id=message.pf_id,
            template_id=message.template_id,
            variables=message.variables,
            text=message.text,
            sms_fallback=sms_fallback,
        )
        return KakaoOutcome(body=message.text, provider_id=str(provider_id or ""), sent_via="kakao")
    except (KakaoNotReady, AlimTalkRefused) as exc:
        reason = str(exc)
    if not sms_fallback:
        raise KakaoUndeliverable(
            _("KakaoTalk not sent (%(reason)s), and the customer turned text messages off.") % {"reason": reason}
        )
    text = sms_text()
    try:
        provider_id = backend.send(to, text)
    except SMSPermanentError as exc:
        raise KakaoUndeliverable(
            _("KakaoTalk not sent (%(reason)s), and the text message was refused: %(error)s")
            % {"reason": reason, "error": exc}
        ) from exc
    return KakaoOutcome(
        body=text,
        provider_id=str(provider_id or ""),
        sent_via="sms",
        note=_("KakaoTalk not sent (%(reason)s); sent as a text message instead.") % {"reason": reason},
    )
