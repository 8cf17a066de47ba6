"""Exchange Online's sign-in: a client-credentials token from the identity
provider (a local stand-in of its token endpoint, with the request and answer
as Microsoft documents them) and the XOAUTH2 string sent to the IMAP server."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from conversations.mail_in import mailboxes


class TokenEndpoint(BaseHTTPRequestHandler):
    requests: list[dict[str, list[str]]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        length = int(self.headers["Content-Length"])
        form = parse_qs(self.rfile.read(length).decode("ascii"))
        TokenEndpoint.requests.append(form)
        if form.get("client_secret") != ["s3cret"]:
            self.send_response(401)
            self.end_headers()
            self.wfile.write(b'{"error": "invalid_client"}')
            return
        body = json.dumps({"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
                           "access_token": f"token-{len(TokenEndpoint.requests)}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def token_endpoint(settings, monkeypatch) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), TokenEndpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    TokenEndpoint.requests = []
    monkeypatch.setattr(mailboxes, "_token", None)
    url = f"http://127.0.0.1:{server.server_address[1]}/tenant/oauth2/v2.0/token"
    settings.MAIL_IN_OAUTH_TOKEN_URL = url
    settings.MAIL_IN_OAUTH_CLIENT_ID = "app-id"
    settings.MAIL_IN_OAUTH_CLIENT_SECRET = "s3cret"
    yield url
    server.shutdown()
    server.server_close()


def test_the_token_is_asked_for_with_the_client_credentials_and_kept_until_it_expires(token_endpoint):
    assert mailboxes.oauth_token(now=1000.0) == "token-1"
    (asked,) = TokenEndpoint.requests
    assert asked == {
        "grant_type": ["client_credentials"], "client_id": ["app-id"], "client_secret": ["s3cret"],
        "scope": ["https://outlook.office365.com/.default"],
    }
    assert mailboxes.oauth_token(now=1000.0 + 3500) == "token-1"  # still good
    assert mailboxes.oauth_token(now=1000.0 + 3540) == "token-2"  # a minute before it expires: a new one


def test_a_refused_token_request_fails_the_run(token_endpoint, settings):
    import urllib.error

    settings.MAIL_IN_OAUTH_CLIENT_SECRET = "wrong"
    with pytest.raises(urllib.error.HTTPError):
        mailboxes.oauth_token(now=1.0)


def test_the_xoauth2_string_is_the_one_exchange_reads():
    assert mailboxes.xoauth2_string("eservice@hcnc.co.kr", "abc") == b"user=eservice@hcnc.co.kr\x01auth=Bearer abc\x01\x01"
