"""One import of one file: read it, judge every row, write all or nothing.

The admin's preview is a dry run, its "Confirm import" the same file run for
real, and `manage.py import_directory` either one; all three get the same
report: each row with its line, what it does (new, update, unchanged) or why
it is refused, in the reader's language.

Nothing half-imported: the rows are written in one transaction, rolled back
when any row is refused (or on a dry run), so a file with one bad row changes
nothing and the report says which rows to fix. A confirmed import is judged
again, not trusted from its preview: the database may have changed between
the two (a department deleted, a tag taken).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils.translation import gettext as _
from import_export.results import Result, RowResult

from .kinds import ImportKind
from .reading import import_table_read

NEW, UPDATE, UNCHANGED, REFUSED = "new", "update", "unchanged", "refused"
ACTIONS = {
    RowResult.IMPORT_TYPE_NEW: NEW,
    RowResult.IMPORT_TYPE_UPDATE: UPDATE,
    RowResult.IMPORT_TYPE_SKIP: UNCHANGED,
}


@dataclass(frozen=True)
class ReportRow:
    line: int
    action: str
    key: str
    summary: str = ""
    #: The columns an update changes.
    changes: tuple[str, ...] = ()
    #: Why the row is refused: "column: reason" each.
    reasons: tuple[str, ...] = ()


@dataclass
class ImportReport:
    kind: ImportKind
    file_name: str
    encoding: str
    dry_run: bool
    rows: list[ReportRow]
    ignored_columns: list[str] = field(default_factory=list)
    #: django-import-export's own result (the admin writes its log entries from it).
    result: Result | None = None

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(row.action for row in self.rows)
        return {action: found.get(action, 0) for action in (NEW, UPDATE, UNCHANGED, REFUSED)}

    @property
    def refused(self) -> list[ReportRow]:
        return [row for row in self.rows if row.action == REFUSED]

    @property
    def writes(self) -> bool:
        """Something to create or change."""
        return any(row.action in (NEW, UPDATE) for row in self.rows)

    @property
    def written(self) -> bool:
        return not self.dry_run and not self.refused and self.writes

    def summary(self) -> str:
        counts = self.counts
        return _("%(new)d new, %(update)d changed, %(unchanged)d unchanged, %(refused)d refused.") % counts


def _reasons(resource: Any, row_result: RowResult) -> tuple[str, ...]:
    columns = {f.attribute: f.column_name for f in resource.fields.values() if f.attribute}
    reasons: list[str] = []
    if row_result.validation_error is not None:
        error = row_result.validation_error
        by_field = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
        for name, messages in by_field.items():
            for message in messages:
                reasons.append(message if name == NON_FIELD_ERRORS else f"{columns.get(name, name)}: {message}")
    for error in row_result.errors:
        reasons.append(_("This row cannot be saved: %(error)s") % {"error": error.error})
    return tuple(reasons) or (_("This row cannot be saved."),)


def _changes(resource: Any, row_result: RowResult) -> tuple[str, ...]:
    if row_result.import_type != RowResult.IMPORT_TYPE_UPDATE or row_result.original is None:
        return ()
    return tuple(
        f.column_name
        for f in resource.get_import_fields()
        if not f.readonly and f.get_value(row_result.instance) != f.get_value(row_result.original)
    )


def _key(resource: Any, dataset_row: Any, headers: list[str]) -> str:
    column = resource.fields[resource.key_column].column_name
    return str(dataset_row[headers.index(column)]) if column in headers else ""


def import_run(
    *, kind: ImportKind, content: bytes, file_name: str, dry_run: bool, user: Any = None
) -> ImportReport:
    """Import `content` (a CSV or .xlsx file named `file_name`) as `kind`;
    ActionRefused when the file itself cannot be read. Writes only when not
    `dry_run` and no row is refused."""
    resource_class = kind.resource_class
    table = import_table_read(
        content=content,
        file_name=file_name,
        columns=resource_class.column_names(),
        required=resource_class.required_columns,
        aliases=resource_class.column_aliases,
    )
    dataset = table.dataset()
    resource = resource_class()
    resource.lines = table.lines
    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            retain_instance_in_row_result=True,
            file_name=file_name,
            user=user,
        )
        rows: list[ReportRow] = []
        for index, row_result in enumerate(result.rows):
            line = table.lines[index]
            key = _key(resource, table.rows[index], table.headers)
            action = ACTIONS.get(row_result.import_type, REFUSED)
            if action == REFUSED:
                rows.append(ReportRow(line=line, action=REFUSED, key=key, reasons=_reasons(resource, row_result)))
            else:
                instance = row_result.instance
                rows.append(
                    ReportRow(
                        line=line,
                        action=action,
                        key=key,
                        summary=resource.describe(instance) if instance is not None else "",
                        changes=_changes(resource, row_result),
                    )
                )
        for error in result.base_errors:
            # A failure outside any row (a bug, a lost connection): the whole file is refused.
            rows.append(
                ReportRow(line=0, action=REFUSED, key="", reasons=(_("The import failed: %(error)s") % {"error": error.error},))
            )
        report = ImportReport(
            kind=kind, file_name=file_name, encoding=table.encoding, dry_run=dry_run, rows=rows,
            ignored_columns=table.ignored, result=result,
        )
        if dry_run or report.refused:
            transaction.set_rollback(True)
    return report
