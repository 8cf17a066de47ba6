"""Checks on uploaded files: size, extension, and that the content matches it."""
from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from helpdesk.core.errors import ActionRefused

# Magic numbers for the types whose content we can recognise; a file claiming
# one of these extensions must start with one of its signatures.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "pdf": (b"%PDF-",),
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),
    "xlsx": (b"PK\x03\x04",),
    "docx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "hwp": (b"\xd0\xcf\x11\xe0", b"PK\x03\x04"),
}
_TEXT_TYPES = {"txt", "log", "csv"}


def upload_check(file: UploadedFile) -> str:
    """Raise ActionRefused unless the file may be stored; return its content type."""
    name = file.name or ""
    extension = PurePath(name).suffix.lower().lstrip(".")
    allowed = [e.lower() for e in settings.ATTACHMENT_ALLOWED_EXTENSIONS]
    if file.size is not None and file.size > settings.ATTACHMENT_MAX_BYTES:
        raise ActionRefused(
            _("%(name)s is too large (%(size)s); the limit is %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(file.size),
                "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
            },
            field="file",
        )
    if file.size == 0:
        raise ActionRefused(_("%(name)s is empty.") % {"name": name}, field="file")
    if extension not in allowed:
        raise ActionRefused(
            _("Files of type .%(ext)s cannot be attached. Allowed: %(allowed)s.")
            % {"ext": extension or "?", "allowed": ", ".join(allowed)},
            field="file",
        )
    head = file.read(2048)
    file.seek(0)
    signatures = _SIGNATURES.get(extension)
    if signatures and not head.startswith(signatures):
        raise ActionRefused(
            _("%(name)s does not look like a .%(ext)s file.") % {"name": name, "ext": extension},
            field="file",
        )
    if extension in _TEXT_TYPES and b"\x00" in head:
        raise ActionRefused(
            _("%(name)s does not look like a .%(ext)s file.") % {"name": name, "ext": extension},
            field="file",
        )
    return mimetypes.guess_type(f"x.{extension}")[0] or "application/octet-stream"
