"""How a token reads: `<prefix>.<secret>`, and how its secret is kept (a SHA-256;
why not a password hasher: api.models)."""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

PREFIX_BYTES = 6  # 12 hex characters: finds the row, reveals nothing
SECRET_BYTES = 32  # 256 bits
# What a well-formed token looks like; anything else is refused before any query.
TOKEN_RE = re.compile(r"^(?P<prefix>[0-9a-f]{12})\.(?P<secret>[A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class RawToken:
    prefix: str
    secret: str

    @property
    def text(self) -> str:
        return f"{self.prefix}.{self.secret}"


def token_make() -> RawToken:
    return RawToken(prefix=secrets.token_hex(PREFIX_BYTES), secret=secrets.token_urlsafe(SECRET_BYTES))


def token_read(text: str) -> RawToken | None:
    match = TOKEN_RE.match(text.strip())
    if match is None:
        return None
    return RawToken(prefix=match["prefix"], secret=match["secret"])


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(secret_hash(secret), stored_hash)
