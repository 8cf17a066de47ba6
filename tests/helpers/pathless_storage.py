"""A storage like S3's for tests: files live in memory and have no path on
disk, so code that reaches for `FieldFile.path` instead of opening the file
through the storage fails here as it would in production on S3."""
from __future__ import annotations

import os

from django.core.files.storage import InMemoryStorage


class PathlessStorage(InMemoryStorage):
    def path(self, name: str) -> str:
        raise NotImplementedError("This backend doesn't support absolute paths.")

    def _relative_path(self, name: str) -> str:
        # InMemoryStorage finds its own nodes through path(); it keeps doing so privately.
        return os.path.relpath(InMemoryStorage.path(self, name), self.location)
