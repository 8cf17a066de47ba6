"""SMS and KakaoTalk channel: one small interface, several backends, chosen by settings.SMS_BACKEND.

- ConsoleSMSBackend: prints (the default for development).
- FileSMSBackend: appends a JSON line to settings.SMS_FILE_PATH (demo, benchmarks).
- LocMemSMSBackend: keeps messages in a class-level list (tests).
- SolapiSMSBackend: the SOLAPI REST API v4 for Korean SMS/LMS and KakaoTalk
  AlimTalk (type "ATA"), through the same endpoint and the same signature.

A backend returns the provider's message id, raises SMSPermanentError when a
retry cannot help (the provider refused this message), and raises any other
exception for a passing fault (the outbox retries with backoff). An AlimTalk
the provider refuses (a template not approved, a wrong channel, …) raises
AlimTalkRefused, and the outbox sends the notice as a text message instead.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import sys
import threading
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, TextIO

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SMSError(Exception):
    """The message could not be sent this time; a later attempt may work."""


class SMSPermanentError(SMSError):
    """The message can never be sent as it is (e.g. the provider rejects the number)."""


class AlimTalkRefused(SMSPermanentError):
    """The provider will not send this AlimTalk (the template, the channel, the
    recipient): the notice goes as a text message instead."""


class BaseSMSBackend:
    def __init__(self, *, sender: str | None = None, **kwargs: Any) -> None:
        self.sender = sender if sender is not None else getattr(settings, "SMS_SENDER", "")

    def send(self, to: str, text: str) -> str:
        """Send `text` to the national-format number `to` (01012345678); return the provider's id."""
        raise NotImplementedError

    def send_alimtalk(
        self,
        to: str,
        *,
        pf_id: str,
        template_id: str,
        variables: dict[str, str],
        text: str,
        sms_fallback: bool = True,
    ) -> str:
        """Send a KakaoTalk AlimTalk: the approved template `template_id` of the
        channel `pf_id`, its `#{…}` placeholders filled from `variables`; `text`
        is the filled-in text. `sms_fallback` lets the provider send a text
        message itself when KakaoTalk fails later (no KakaoTalk on the phone)."""
        raise AlimTalkRefused(f"{type(self).__name__} cannot send KakaoTalk")

    @staticmethod
    def alimtalk_record(
        message_id: str, sender: str, to: str, *, pf_id: str, template_id: str, variables: dict[str, str], text: str,
        sms_fallback: bool,
    ) -> dict[str, Any]:
        """What the demo and test backends keep of an AlimTalk."""
        return {
            "id": message_id, "type": "ATA", "from": sender, "to": to, "text": text, "pf_id": pf_id,
            "template_id": template_id, "variables": dict(variables), "sms_fallback": sms_fallback,
        }


class ConsoleSMSBackend(BaseSMSBackend):
    _lock = threading.Lock()

    def __init__(self, *, stream: TextIO | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stream = stream

    def send(self, to: str, text: str) -> str:
        message_id = f"console-{uuid.uuid4().hex}"
        stream = self.stream or sys.stdout
        with self._lock:
            stream.write(f"SMS {message_id}\nFrom: {self.sender}\nTo: {to}\n\n{text}\n{'-' * 40}\n")
            stream.flush()
        return message_id

    def send_alimtalk(self, to: str, *, pf_id: str, template_id: str, variables: dict[str, str], text: str,
                      sms_fallback: bool = True) -> str:
        message_id = f"console-{uuid.uuid4().hex}"
        stream = self.stream or sys.stdout
        with self._lock:
            stream.write(
                f"KakaoTalk AlimTalk {message_id}\nChannel: {pf_id}  Template: {template_id}\nTo: {to}\n\n{text}\n"
                f"{'-' * 40}\n"
            )
            stream.flush()
        return message_id


class FileSMSBackend(BaseSMSBackend):
    _lock = threading.Lock()

    def __init__(self, *, file_path: str | Path | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.path = Path(file_path or settings.SMS_FILE_PATH)

    def send(self, to: str, text: str) -> str:
        message_id = f"file-{uuid.uuid4().hex}"
        line = json.dumps(
            {
                "id": message_id,
                "at": datetime.now(UTC).isoformat(),
                "from": self.sender,
                "to": to,
                "text": text,
            },
            ensure_ascii=False,
        )
        self._append(line)
        return message_id

    def send_alimtalk(self, to: str, *, pf_id: str, template_id: str, variables: dict[str, str], text: str,
                      sms_fallback: bool = True) -> str:
        message_id = f"file-{uuid.uuid4().hex}"
        record = self.alimtalk_record(
            message_id, self.sender, to, pf_id=pf_id, template_id=template_id, variables=variables, text=text,
            sms_fallback=sms_fallback,
        )
        self._append(json.dumps({**record, "at": datetime.now(UTC).isoformat()}, ensure_ascii=False))
        return message_id

    def _append(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One write of one line in append mode: lines from several worker
        # processes do not interleave.
        with self._lock, self.path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")


class LocMemSMSBackend(BaseSMSBackend):
    """Keeps what was sent in `LocMemSMSBackend.outbox`, like Django's locmem mail backend.
    An AlimTalk to a number in `not_on_kakao` is refused, as SOLAPI would."""

    outbox: ClassVar[list[dict[str, Any]]] = []
    not_on_kakao: ClassVar[set[str]] = set()

    def send(self, to: str, text: str) -> str:
        message_id = f"locmem-{len(self.outbox) + 1}"
        self.outbox.append({"id": message_id, "from": self.sender, "to": to, "text": text})
        return message_id

    def send_alimtalk(self, to: str, *, pf_id: str, template_id: str, variables: dict[str, str], text: str,
                      sms_fallback: bool = True) -> str:
        if to in self.not_on_kakao:
            raise AlimTalkRefused(f"{to} cannot receive KakaoTalk")
        message_id = f"locmem-{len(self.outbox) + 1}"
        self.outbox.append(
            self.alimtalk_record(
                message_id, self.sender, to, pf_id=pf_id, template_id=template_id, variables=variables, text=text,
                sms_fallback=sms_fallback,
            )
        )
        return message_id


class SolapiSMSBackend(BaseSMSBackend):
    """SOLAPI (api.solapi.com) messages/v4/send, authenticated with HMAC-SHA256.

    Authorization: "HMAC-SHA256 apiKey=<key>, date=<ISO 8601 UTC>, salt=<random>,
    signature=<hex HMAC-SHA256 of date+salt keyed with the API secret>". The
    type (SMS or LMS) is left to SOLAPI, which picks it from the text's length.

    An AlimTalk is the same request with `type: "ATA"` and `kakaoOptions`
    (`pfId`, `templateId`, `variables` keyed "#{name}", `disableSms`), as in
    SOLAPI's API reference ("단일 메시지 발송", kakaoOptions) and its SDKs.
    `disableSms: false` is SOLAPI's own substitute text message: when KakaoTalk
    fails after SOLAPI accepted the message (the phone has no KakaoTalk, Kakao
    is down), SOLAPI sends the text as an SMS/LMS itself, so that late failure,
    which our request never sees, is covered too.
    """

    SEND_PATH = "/messages/v4/send"
    # Statuses a later attempt can get past: credentials or limits being fixed,
    # throttling, timeouts, the provider's own faults.
    RETRYABLE_STATUSES = frozenset({401, 403, 408, 409, 425, 429})

    def __init__(
        self,
        *,
        api_key: str | None = None,
        api_secret: str | None = None,
        base_url: str | None = None,
        timeout: float = 15.0,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.api_key = api_key if api_key is not None else getattr(settings, "SOLAPI_API_KEY", "")
        self.api_secret = api_secret if api_secret is not None else getattr(settings, "SOLAPI_API_SECRET", "")
        self.base_url = (base_url or getattr(settings, "SOLAPI_BASE_URL", "https://api.solapi.com")).rstrip("/")
        self.timeout = timeout

    def authorization(self, *, date: str | None = None, salt: str | None = None) -> str:
        date = date or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        salt = salt or secrets.token_hex(16)
        signature = hmac.new(
            self.api_secret.encode("utf-8"), (date + salt).encode("utf-8"), hashlib.sha256
        ).hexdigest()
        return f"HMAC-SHA256 apiKey={self.api_key}, date={date}, salt={salt}, signature={signature}"

    def send(self, to: str, text: str) -> str:
        payload = self._post({"message": {"to": to, "from": self.sender, "text": text}})
        if payload.get("errorCode"):
            raise SMSError(f"SOLAPI {payload.get('errorCode')}: {payload.get('errorMessage', '')}")
        return str(payload.get("messageId") or payload.get("groupId") or "")

    def send_alimtalk(self, to: str, *, pf_id: str, template_id: str, variables: dict[str, str], text: str,
                      sms_fallback: bool = True) -> str:
        message = {
            "to": to,
            "from": self.sender,
            "type": "ATA",
            # The template filled in: SOLAPI checks it against the approved
            # template, and it is the text of SOLAPI's substitute SMS.
            "text": text,
            "kakaoOptions": {
                "pfId": pf_id,
                "templateId": template_id,
                "variables": dict(variables),
                "disableSms": not sms_fallback,
            },
        }
        try:
            payload = self._post({"message": message})
        except SMSPermanentError as exc:
            raise AlimTalkRefused(str(exc)) from exc
        code = str(payload.get("statusCode") or "")
        if payload.get("errorCode") or (code and not code.startswith("2")):
            reason = payload.get("errorMessage") or payload.get("statusMessage") or ""
            raise AlimTalkRefused(f"SOLAPI {payload.get('errorCode') or code}: {reason}".strip())
        return str(payload.get("messageId") or payload.get("groupId") or "")

    def _post(self, data: dict[str, Any]) -> dict[str, Any]:
        """POST one message to messages/v4/send; the answer's JSON. A refusal
        (4xx but the passing ones) is SMSPermanentError, anything else SMSError."""
        if not self.api_key or not self.api_secret:
            # A configuration fault: retried, so messages go out once an admin sets the keys.
            raise SMSError("SOLAPI_API_KEY and SOLAPI_API_SECRET must be set to send SMS through SOLAPI.")
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(
            self.base_url + self.SEND_PATH,
            data=body,
            headers={
                "Authorization": self.authorization(),
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            detail = self._error_text(exc)
            message = f"SOLAPI HTTP {exc.code}: {detail}"
            if 400 <= exc.code < 500 and exc.code not in self.RETRYABLE_STATUSES:
                raise SMSPermanentError(message) from exc
            raise SMSError(message) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SMSError(f"SOLAPI unreachable: {exc}") from exc
        try:
            payload = json.loads(raw.decode("utf-8") or "{}")
        except ValueError:
            payload = {}
        return payload if isinstance(payload, dict) else {}

    @staticmethod
    def _error_text(exc: urllib.error.HTTPError) -> str:
        try:
            raw = exc.read().decode("utf-8", errors="replace")
        except Exception:  # the body of an error response is best effort
            return exc.reason if isinstance(exc.reason, str) else ""
        try:
            payload = json.loads(raw)
        except ValueError:
            return raw[:500]
        if isinstance(payload, dict):
            code = payload.get("errorCode", "")
            message = payload.get("errorMessage") or payload.get("message") or ""
            return f"{code} {message}".strip() or raw[:500]
        return raw[:500]


def get_sms_backend(path: str | None = None, **kwargs: Any) -> BaseSMSBackend:
    backend_class = import_string(path or getattr(settings, "SMS_BACKEND", "helpdesk.notifications.sms.ConsoleSMSBackend"))
    return backend_class(**kwargs)
