"""A local stand-in for SOLAPI's messages/v4/send, for tests: a real HTTP server
on loopback, in a thread, that checks what SOLAPI checks and answers as SOLAPI
does, so the backend is tested through its real HTTP call.

It checks the HMAC-SHA256 Authorization header (apiKey, date, salt, signature
of date+salt keyed with the secret), the JSON body's shape ("message" with
to/from/text; an AlimTalk with type "ATA" and kakaoOptions pfId, templateId,
variables keyed "#{…}" with string values, disableSms), and answers:
- 200 with SOLAPI's single-message receipt (groupId, messageId, statusCode
  "2000", "정상 접수(이통사로 접수 예정) ");
- 400 {"errorCode", "errorMessage"} for a template it was told to refuse, or a
  body of the wrong shape;
- 401 for a wrong signature;
- any status it is told to answer for everything (`fail_with`).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import Any

AUTH = re.compile(
    r"^HMAC-SHA256 apiKey=(?P<key>[^,]+), date=(?P<date>[^,]+), salt=(?P<salt>[^,]+), signature=(?P<signature>[0-9a-f]{64})$"
)
PLACEHOLDER = re.compile(r"^#\{[^{}]+\}$")


class SolapiStandIn:
    def __init__(self, *, api_key: str = "NCSTESTKEY", api_secret: str = "test-secret") -> None:
        self.api_key, self.api_secret = api_key, api_secret
        self.received: list[dict[str, Any]] = []  # every body that passed the checks
        self.refused_templates: set[str] = set()
        self.fail_with: int | None = None
        self._ids = count(1)
        self._server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> SolapiStandIn:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, answer = standin.answer(self.path, self.headers.get("Authorization", ""), raw)
                data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    def answer(self, path: str, authorization: str, raw: bytes) -> tuple[int, dict[str, Any]]:
        if path != "/messages/v4/send":
            return 404, {"errorCode": "NotFound", "errorMessage": path}
        auth = AUTH.match(authorization)
        expected = (
            hmac.new(self.api_secret.encode(), (auth["date"] + auth["salt"]).encode(), hashlib.sha256).hexdigest()
            if auth
            else ""
        )
        if not auth or auth["key"] != self.api_key or not hmac.compare_digest(auth["signature"], expected):
            return 401, {"errorCode": "Unauthorized", "errorMessage": "잘못된 인증 정보입니다."}
        if self.fail_with is not None:
            return self.fail_with, {"errorCode": "InternalError", "errorMessage": "잠시 후 다시 시도해 주세요."}
        try:
            body = json.loads(raw.decode("utf-8"))
        except ValueError:
            return 400, {"errorCode": "ValidationError", "errorMessage": "JSON 형식이 아닙니다."}
        problem = self.shape_problem(body)
        if problem:
            return 400, {"errorCode": "ValidationError", "errorMessage": problem}
        message = body["message"]
        kakao = message.get("kakaoOptions")
        if kakao and kakao["templateId"] in self.refused_templates:
            return 400, {"errorCode": "ValidationError", "errorMessage": "검수 승인되지 않은 알림톡 템플릿입니다."}
        self.received.append(body)
        n = next(self._ids)
        return 200, {
            "groupId": f"G4V2026STANDIN{n:04d}",
            "to": message["to"],
            "from": message["from"],
            "type": message.get("type", "SMS"),
            "statusMessage": "정상 접수(이통사로 접수 예정) ",
            "country": "82",
            "messageId": f"M4V2026STANDIN{n:04d}",
            "statusCode": "2000",
            "accountId": "26010100000000",
        }

    @staticmethod
    def shape_problem(body: Any) -> str:
        message = body.get("message") if isinstance(body, dict) else None
        if not isinstance(message, dict):
            return "message 가 없습니다."
        for field in ("to", "from"):
            if not isinstance(message.get(field), str) or not message[field].isdigit():
                return f"{field} 는 숫자만 입력해야 합니다."
        kakao = message.get("kakaoOptions")
        if kakao is None:
            return "" if isinstance(message.get("text"), str) and message["text"] else "text 가 없습니다."
        if message.get("type") != "ATA":
            return "알림톡은 type 이 ATA 여야 합니다."
        if not isinstance(kakao, dict) or not kakao.get("pfId") or not kakao.get("templateId"):
            return "kakaoOptions.pfId 와 templateId 가 필요합니다."
        variables = kakao.get("variables", {})
        if not isinstance(variables, dict) or not all(
            PLACEHOLDER.match(k) and isinstance(v, str) for k, v in variables.items()
        ):
            return 'variables 는 {"#{변수}": "문자열"} 이어야 합니다.'
        if not isinstance(kakao.get("disableSms"), bool):
            return "disableSms 는 true/false 입니다."
        return ""
