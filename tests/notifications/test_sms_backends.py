"""SMS backends: console, file, in-memory, and the SOLAPI request (only its HTTP call is mocked)."""
from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import urllib.error
from unittest import mock

import pytest

from helpdesk.notifications.sms import (
    ConsoleSMSBackend,
    LocMemSMSBackend,
    SMSError,
    SMSPermanentError,
    SolapiSMSBackend,
    get_sms_backend,
)

AUTH_RE = re.compile(
    r"^HMAC-SHA256 apiKey=(?P<key>[^,]+), date=(?P<date>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z), "
    r"salt=(?P<salt>[0-9a-f]{32}), signature=(?P<signature>[0-9a-f]{64})$"
)


class FakeResponse(io.BytesIO):
    def __enter__(self) -> FakeResponse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def solapi(**kwargs: object) -> SolapiSMSBackend:
    return SolapiSMSBackend(
        api_key="NCSTESTKEY", api_secret="test-secret", base_url="https://api.solapi.com", sender="0522030656", **kwargs
    )


def test_solapi_request_format():
    body = json.dumps({"messageId": "M4V2026", "groupId": "G4V", "statusCode": "2000"}).encode()
    with mock.patch("urllib.request.urlopen", return_value=FakeResponse(body)) as urlopen:
        message_id = solapi().send("01012345678", "[서비스데스크] #42 지연 안내")

    assert message_id == "M4V2026"
    request = urlopen.call_args.args[0]
    assert request.full_url == "https://api.solapi.com/messages/v4/send"
    assert request.get_method() == "POST"
    assert request.get_header("Content-type") == "application/json; charset=utf-8"
    auth = AUTH_RE.match(request.get_header("Authorization"))
    assert auth, request.get_header("Authorization")
    assert auth["key"] == "NCSTESTKEY"
    expected = hmac.new(b"test-secret", (auth["date"] + auth["salt"]).encode(), hashlib.sha256).hexdigest()
    assert auth["signature"] == expected
    assert json.loads(request.data.decode("utf-8")) == {
        "message": {"to": "01012345678", "from": "0522030656", "text": "[서비스데스크] #42 지연 안내"}
    }
    assert urlopen.call_args.kwargs["timeout"] == 15.0


def test_solapi_signature_is_hmac_of_date_and_salt():
    header = solapi().authorization(date="2026-12-01T05:00:00.000Z", salt="a" * 32)
    signature = hmac.new(b"test-secret", ("2026-12-01T05:00:00.000Z" + "a" * 32).encode(), hashlib.sha256).hexdigest()
    assert header == f"HMAC-SHA256 apiKey=NCSTESTKEY, date=2026-12-01T05:00:00.000Z, salt={'a' * 32}, signature={signature}"


def _http_error(code: int, payload: dict) -> urllib.error.HTTPError:
    return urllib.error.HTTPError(
        "https://api.solapi.com/messages/v4/send", code, "error", {}, io.BytesIO(json.dumps(payload).encode())
    )


def test_solapi_refusal_is_permanent_with_the_providers_message():
    error = _http_error(400, {"errorCode": "ValidationError", "errorMessage": "수신번호가 올바르지 않습니다."})
    with mock.patch("urllib.request.urlopen", side_effect=error):
        with pytest.raises(SMSPermanentError, match="ValidationError 수신번호가 올바르지 않습니다"):
            solapi().send("0101234", "x")


@pytest.mark.parametrize("code", [401, 429, 500, 503])
def test_solapi_faults_that_may_pass_are_retryable(code):
    error = _http_error(code, {"errorCode": "Busy", "errorMessage": "try later"})
    with mock.patch("urllib.request.urlopen", side_effect=error):
        with pytest.raises(SMSError) as excinfo:
            solapi().send("01012345678", "x")
    assert not isinstance(excinfo.value, SMSPermanentError)
    assert f"HTTP {code}" in str(excinfo.value) and "try later" in str(excinfo.value)


def test_solapi_unreachable_is_retryable():
    with mock.patch("urllib.request.urlopen", side_effect=urllib.error.URLError("connection refused")):
        with pytest.raises(SMSError, match="unreachable"):
            solapi().send("01012345678", "x")


def test_solapi_without_keys_does_not_call_out():
    with mock.patch("urllib.request.urlopen") as urlopen:
        with pytest.raises(SMSError, match="SOLAPI_API_KEY"):
            SolapiSMSBackend(api_key="", api_secret="").send("01012345678", "x")
    urlopen.assert_not_called()


def test_solapi_reads_its_settings(settings):
    settings.SOLAPI_API_KEY = "K"
    settings.SOLAPI_API_SECRET = "S"
    settings.SOLAPI_BASE_URL = "https://sandbox.example/"
    settings.SMS_SENDER = "0212345678"
    backend = get_sms_backend("helpdesk.notifications.sms.SolapiSMSBackend")
    assert (backend.api_key, backend.api_secret, backend.base_url, backend.sender) == (
        "K", "S", "https://sandbox.example", "0212345678",
    )


def test_file_backend_appends_one_json_line_per_message(tmp_path, settings):
    settings.SMS_FILE_PATH = str(tmp_path / "sub" / "sms.log")
    backend = get_sms_backend("helpdesk.notifications.sms.FileSMSBackend")
    first = backend.send("01012345678", "첫째")
    backend.send("01098765432", "둘째")
    lines = [json.loads(line) for line in (tmp_path / "sub" / "sms.log").read_text(encoding="utf-8").splitlines()]
    assert [(m["to"], m["text"]) for m in lines] == [("01012345678", "첫째"), ("01098765432", "둘째")]
    assert lines[0]["id"] == first
    assert lines[0]["from"] == settings.SMS_SENDER


def test_console_backend_writes_the_message():
    stream = io.StringIO()
    ConsoleSMSBackend(stream=stream, sender="0522030656").send("01012345678", "안녕하세요")
    out = stream.getvalue()
    assert "To: 01012345678" in out and "안녕하세요" in out


def test_locmem_backend_keeps_messages_for_tests(sms_outbox):
    assert isinstance(get_sms_backend(), LocMemSMSBackend)
    get_sms_backend().send("01012345678", "x")
    assert sms_outbox == [{"id": "locmem-1", "from": "0522030656", "to": "01012345678", "text": "x"}]
