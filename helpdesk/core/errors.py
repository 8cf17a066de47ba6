from __future__ import annotations


class ActionRefused(Exception):
    """A service refused a state change; `message` is translated and shown to the user."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
