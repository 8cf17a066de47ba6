"""`manage.py import_directory --kind people|departments|positions|assets --file F [--dry-run]`:
the admin's import for a nightly job. Prints every refused row with its line
and reason, then the summary; exits 1 when a row is refused (nothing is then
written) and 2 when the file cannot be read at all."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from helpdesk.accounts.imports.kinds import import_kinds
from helpdesk.accounts.imports.runs import REFUSED, import_run
from helpdesk.core.errors import ActionRefused


class Command(BaseCommand):
    help = "Import people, departments, positions or assets from a CSV or Excel (.xlsx) file, all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", required=True, choices=sorted(import_kinds()), help="What the file holds.")
        parser.add_argument("--file", required=True, type=Path, help="A .csv (UTF-8 or CP949/EUC-KR) or .xlsx file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and print what would change; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = import_kinds()[options["kind"]]
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(_("%(file)s cannot be read: %(error)s") % {"file": path, "error": error.strerror}, returncode=2) from error
        try:
            report = import_run(kind=kind, content=content, file_name=path.name, dry_run=options["dry_run"])
        except ActionRefused as refusal:
            raise CommandError(f"{path}: {refusal.message}", returncode=2) from refusal
        for row in report.rows:
            if row.action == REFUSED:
                for reason in row.reasons:
                    self.stderr.write(_("line %(line)d: %(reason)s") % {"line": row.line, "reason": reason})
            elif options["verbosity"] >= 2:
                self.stdout.write(f"line {row.line}: {row.action} {row.key} {' '.join(row.changes)}".rstrip())
        self.stdout.write(f"{path.name} ({report.encoding}): {report.summary()}")
        if report.ignored_columns:
            self.stdout.write(_("Columns ignored: %(columns)s") % {"columns": ", ".join(report.ignored_columns)})
        if report.refused:
            raise CommandError(_("Nothing was imported: correct the refused rows and run the import again."), returncode=1)
        if report.dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        elif report.written:
            self.stdout.write(self.style.SUCCESS(_("Imported.")))
