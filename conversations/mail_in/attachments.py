"""A mail's files through the same checks as an upload on the ticket page
(tickets.uploads.upload_check: size, extension, content): the ones that pass
are attached, the others are listed with the reason, in the record and in what
the sender is told."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from helpdesk.core.errors import ActionRefused
from tickets.uploads import upload_check

from .parsing import MailFile


@dataclass
class CheckedFiles:
    accepted: list[SimpleUploadedFile]
    # What the InboundMail row keeps: every file, and why a refused one was refused.
    record: list[dict[str, Any]]

    @property
    def refused(self) -> list[dict[str, Any]]:
        return [entry for entry in self.record if entry["refused"]]


def files_check(files: list[MailFile]) -> CheckedFiles:
    checked = CheckedFiles(accepted=[], record=[])
    for mail_file in files:
        upload = SimpleUploadedFile(mail_file.name, mail_file.content, content_type=mail_file.content_type)
        entry: dict[str, Any] = {
            "name": mail_file.name,
            "size": len(mail_file.content),
            "content_type": mail_file.content_type,
            "refused": "",
        }
        try:
            upload_check(upload)
        except ActionRefused as exc:
            entry["refused"] = exc.message
        else:
            upload.seek(0)
            checked.accepted.append(upload)
        checked.record.append(entry)
    return checked
