"""The one tabular import pipeline: file → table → columns → checked rows. Plain Python.

Every import of a spreadsheet (people and org units, influence ties, initiative
measurements) takes the same steps, each here once:

1. **Read** (``read_table``): the file is opened by ``core.uploads`` within its
   ``UploadLimits`` (size, rows, columns, value length, zip bombs, strict quoting),
   streamed row by row; blank rows are dropped, every row keeps the line a
   spreadsheet shows (header = line 1). A refused file becomes one ``RowError``
   (line 0: the file, 1: the header); rows wider than the header and NUL
   characters become errors on their lines.
2. **Map columns** (``Columns.resolve``): header spellings (aliases, compared
   without case, spaces or punctuation) and an optional explicit mapping give each
   field its column; required columns that are missing, unknown columns and two
   columns holding one field are reported on line 1.
3. **Check rows**: the importer checks each row (its own rules) and reports each
   problem as a ``RowError`` with its line; API records go through the same
   checks as rows (``records_as_rows``).
4. **All or nothing**: the importer's service writes its plan only when no row has
   an error, in one transaction; otherwise it answers ``ImportResult.refused`` (every
   error, in order) and writes nothing. A preview (dry run) checks everything and
   answers what would change, writing nothing either.

Nothing here raises on bad input: every problem is a ``RowError`` the uploader can act on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from bellwether.core.uploads import Progress, UploadLimits, UploadRefused, cell_text, read_upload

Row = tuple[int, list[str | None]]
IGNORE = "ignore"

NUL_MESSAGE = (
    "This value contains a NUL character (\\0), which is not allowed: "
    "the file may be damaged, or not a text file."
)

# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem: ``line`` 0 means the whole file, 1 the header row."""

    line: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}


def sorted_errors(errors: Iterable[RowError]) -> list[RowError]:
    """Errors in the order a reader fixes them: by line, then column."""
    return sorted(errors, key=lambda error: (error.line, error.column))


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, for a preview, would do); ``ok`` False: nothing written."""

    ok: bool
    errors: list[RowError] = field(default_factory=list)
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    dry_run: bool = False
    #: What the import assumed, in words (such as the order its dates were read in).
    notes: tuple[str, ...] = ()

    @classmethod
    def refused(cls, errors: Iterable[RowError], *, total: int = 0, dry_run: bool) -> ImportResult:
        """The answer of an import with problems: every error, in order; nothing written."""
        return cls(ok=False, errors=sorted_errors(errors), total=total, dry_run=dry_run)

    def counts(self) -> dict[str, int]:
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
        }


# --- reading --------------------------------------------------------------------------------------


@dataclass
class Table:
    """A file's header and its data rows as (line, cells); blank rows are dropped.

    ``refusal`` is set when the file was refused as a whole (then ``header`` is empty
    and ``errors`` holds the refusal as a ``RowError``)."""

    header: list[str]
    rows: list[Row]
    errors: list[RowError] = field(default_factory=list)
    refusal: UploadRefused | None = None


def read_table(
    content: bytes,
    filename: str,
    progress: Progress | None = None,
    *,
    header_only: bool = False,
    limits: UploadLimits | None = None,
    formats: Iterable[str] = ("csv", "xlsx"),
) -> Table:
    """Read a CSV (UTF-8) or XLSX file. Problems come back in ``Table.errors``.

    The file is opened by ``core.uploads`` within ``limits`` (the defaults when not
    given): a file past them is refused as a whole. ``header_only`` stops after the
    header row (cheap, for an upload page).
    """
    try:
        upload = read_upload(
            content,
            filename,
            limits=limits or UploadLimits(),
            header_only=header_only,
            progress=progress,
            formats=formats,
        )
    except UploadRefused as refused:
        error = RowError(refused.line, "", refused.message)
        return Table(header=[], rows=[], errors=[error], refusal=refused)
    table = Table(header=upload.header, rows=upload.rows)
    width = len(table.header)
    for line, cells in table.rows:
        if len(cells) > width:
            wide = _too_wide(line, cells, width)
            if wide is not None:
                table.errors.append(wide)
    if b"\x00" in content:  # rare, so the per-cell search only runs when it can find something
        table.errors.extend(_nul_errors(table))
    return table


def _nul_errors(table: Table) -> list[RowError]:
    errors = [RowError(1, column, NUL_MESSAGE) for column in table.header if "\x00" in column]
    for line, cells in table.rows:
        for index, cell in enumerate(cells):
            if cell is not None and "\x00" in cell:
                column = table.header[index] if index < len(table.header) else ""
                errors.append(RowError(line, column, NUL_MESSAGE))
    return errors


def _too_wide(line: int, cells: Sequence[str | None], width: int) -> RowError | None:
    if any(cell and cell.strip() for cell in cells[width:]):
        return RowError(
            line,
            "",
            f"This row has {len(cells)} cells but the header has {width} columns "
            "(a value may contain an unquoted comma).",
        )
    return None


# --- columns ----------------------------------------------------------------------------------------


def header_key(text: str) -> str:
    """A header as compared: lower case, letters and digits only
    ("Employee ID" == "employee_id" == "EmployeeID")."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


@dataclass(frozen=True)
class Columns:
    """The fields an import reads and how a file's header may name them.

    ``aliases`` maps a field to the spellings seen in real files (the field's own name
    is always accepted). ``unknown`` says what a column matching no field is: an error
    (``unknown_hint`` follows "Unknown column “X”.") or ignored. ``duplicates``: an
    error, or the first column wins. ``resolve`` also takes the uploader's explicit
    mapping (column → field or ``IGNORE``).
    """

    fields: tuple[str, ...]
    required: tuple[str, ...]
    aliases: Mapping[str, Sequence[str]] = field(default_factory=dict)
    unknown: Literal["report", "ignore"] = "report"
    unknown_hint: str = ""
    duplicates: Literal["report", "first"] = "report"
    duplicate_hint: str = "keep one."

    def spellings(self) -> dict[str, str]:
        """Every accepted header key → its field."""
        return {
            header_key(alias): name
            for name in self.fields
            for alias in [name, *self.aliases.get(name, ())]
        }

    def suggest(self, header: Sequence[str]) -> dict[str, str]:
        """The field each column would be read as (``IGNORE`` when unknown)."""
        spellings = self.spellings()
        return {column: spellings.get(header_key(column), IGNORE) for column in header}

    def resolve(
        self, header: Sequence[str], mapping: Mapping[str, str] | None = None
    ) -> tuple[dict[str, int], list[RowError]]:
        """Which file column holds which field: ``{field: column index}``, and the
        header's problems (all on line 1)."""
        explicit = {
            header_key(column): (column, target.strip())
            for column, target in (mapping or {}).items()
        }
        errors = self._mapping_errors(header, explicit)
        spellings = self.spellings()
        found: dict[str, int] = {}
        for index, column in enumerate(header):
            key = header_key(column)
            if key in explicit:
                target = explicit[key][1]
                if not target or target == IGNORE or target not in self.fields:
                    continue
            elif not key:
                continue  # a column without a header (a trailing comma) carries nothing
            elif key in spellings:
                target = spellings[key]
            else:
                if self.unknown == "report":
                    errors.append(
                        RowError(1, column, f"Unknown column “{column}”. {self.unknown_hint}")
                    )
                continue
            if target in found:
                if self.duplicates == "report":
                    errors.append(
                        RowError(
                            1,
                            column,
                            f"Columns “{header[found[target]]}” and “{column}” both hold "
                            f"{target}; {self.duplicate_hint}",
                        )
                    )
                continue
            found[target] = index
        for required in self.required:
            if required not in found:
                errors.append(
                    RowError(1, required, f"The file has no {required} column, which is required.")
                )
        return found, errors

    def _mapping_errors(
        self, header: Sequence[str], explicit: Mapping[str, tuple[str, str]]
    ) -> list[RowError]:
        errors: list[RowError] = []
        header_keys = {header_key(column) for column in header}
        for key, (column, target) in explicit.items():
            if key not in header_keys:
                errors.append(
                    RowError(
                        1, column, f"The mapping names column “{column}”, which is not in the file."
                    )
                )
            if target and target != IGNORE and target not in self.fields:
                errors.append(
                    RowError(
                        1,
                        column,
                        f"“{target}” is not a field. Use one of: {', '.join(self.fields)}, "
                        f"or {IGNORE}.",
                    )
                )
        return errors


def cell(cells: Sequence[str | None], index: int | None) -> str | None:
    """The stripped cell at ``index``; None when the column is absent (keep the stored
    value), "" past the end of a short row."""
    if index is None:
        return None
    if index >= len(cells):
        return ""
    value = cells[index]
    return None if value is None else value.strip()


# --- API records ------------------------------------------------------------------------------------


def records_as_rows(
    records: Sequence[Mapping[str, object]],
    fields: Sequence[str],
    *,
    unknown: Callable[[int, list[str]], list[RowError]],
) -> tuple[dict[str, int], list[Row], list[RowError]]:
    """API records (canonical field names) as the rows a file would give, numbered from 1.

    A field a record leaves out is None ("not given": the stored value stays); a null
    is an empty cell. ``unknown`` turns a record's unknown field names into errors (each import words them its way).
    """
    columns = {name: index for index, name in enumerate(fields)}
    rows: list[Row] = []
    errors: list[RowError] = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            errors.append(RowError(number, "", "Each record must be an object."))
            continue
        strangers = [str(key) for key in record if key not in columns]
        if strangers:
            errors.extend(unknown(number, strangers))
        cells: list[str | None] = [None] * len(fields)
        for key, value in record.items():
            if key in columns:
                text = cell_text(value)
                if "\x00" in text:
                    errors.append(RowError(number, str(key), NUL_MESSAGE))
                cells[columns[key]] = text
        rows.append((number, cells))
    return columns, rows, errors
