"""Shared steps of every import: reading a file, refusing, pausing the collector."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bellwether.core import audit
from bellwether.core.uploads import UploadLimits
from bellwether.people import importing
from bellwether.people.importing import (
    ImportResult,
    Progress,
)

if TYPE_CHECKING:
    from bellwether.accounts.models import User
    from bellwether.core.models import Organisation


Phase = Callable[[str], None]
BATCH = 5000
# Errors kept on an ImportJob: enough to fix a file, small enough for the page.
MAX_STORED_ERRORS = 2000


# Nothing written: every error, in order (core.tabular's all-or-nothing answer).
_refused = ImportResult.refused


def _read_file(
    content: bytes,
    filename: str,
    kind: str,
    mapping: dict[str, str] | None,
    *,
    dry_run: bool,
    progress: Progress | None,
    on_phase: Phase | None,
) -> tuple[importing.Table, dict[str, int]] | ImportResult:
    """Read a file and match its columns to ``kind``'s fields; a refusal if either fails."""
    _say(on_phase, "Reading the file")
    table = importing.read_table(content, filename, progress, limits=UploadLimits.from_settings())
    if not table.header:
        return _refused(table.errors, dry_run=dry_run)
    columns, column_errors = importing.resolve_columns(table.header, kind, mapping)
    if column_errors:
        return _refused(table.errors + column_errors, total=len(table.rows), dry_run=dry_run)
    return table, columns


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk import.

    An import holds hundreds of thousands of small objects that all stay alive;
    the collector would rescan them again and again and free nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _say(on_phase: Phase | None, text: str) -> None:
    if on_phase is not None:
        on_phase(text)


@dataclass(frozen=True)
class ImportBatch:
    """Rows read (from a file or the API's records) and what their import needs: handed
    to the importer of their kind (``_import_people_rows``, ``_import_unit_rows``)."""

    kind: str
    organisation: Organisation
    actor: User | None
    columns: dict[str, int]
    rows: list[tuple[int, list[str | None]]]
    early_errors: list[importing.RowError]
    dry_run: bool
    source: str
    progress: Progress | None = None
    on_phase: Phase | None = None

    def say(self, text: str) -> None:
        _say(self.on_phase, text)

    def refused(self, errors: list[importing.RowError]) -> ImportResult:
        """Nothing written: the errors found before (reading) and these, in order."""
        return _refused(self.early_errors + errors, total=len(self.rows), dry_run=self.dry_run)

    def record(self, result: ImportResult) -> None:
        """The one audit row of an import that wrote: ``<kind>.imported``."""
        audit.record(
            action=f"{self.kind}.imported",
            organisation=self.organisation,
            actor=self.actor,
            target_label=self.source[:300],
            details={"source": self.source, **result.counts()},
        )


#: The rest of an import once its rows are read: ``_import_people_rows`` or
#: ``_import_unit_rows``, called with the batch and the kind's own keyword options.
ImportRows = Callable[..., ImportResult]


@dataclass(frozen=True)
class Importer:
    """One kind of import (``people``, ``org_units``): its rows' importer, reached from a
    file (``from_file``) or from the API's records (``from_records``)."""

    import_rows: ImportRows
    kind: str
    #: Pause the garbage collector while a file is imported (large imports).
    pause_collector: bool = False

    def from_file(
        self,
        *,
        organisation: Organisation,
        actor: User | None,
        content: bytes,
        filename: str,
        mapping: dict[str, str] | None = None,
        dry_run: bool = False,
        progress: Progress | None = None,
        on_phase: Phase | None = None,
        **options: object,
    ) -> ImportResult:
        """Read a file of this kind and import its rows; a refusal if it cannot be read."""
        with _collector_paused() if self.pause_collector else nullcontext():
            read = _read_file(
                content,
                filename,
                self.kind,
                mapping,
                dry_run=dry_run,
                progress=progress,
                on_phase=on_phase,
            )
            if isinstance(read, ImportResult):
                return read
            table, columns = read
            batch = ImportBatch(
                self.kind,
                organisation,
                actor,
                columns,
                table.rows,
                table.errors,
                dry_run,
                source=filename,
                progress=progress,
                on_phase=on_phase,
            )
            return self.import_rows(batch, **options)

    def from_records(
        self,
        *,
        organisation: Organisation,
        actor: User | None,
        records: list[dict[str, object]],
        dry_run: bool = False,
    ) -> ImportResult:
        """The API's batch upsert: records use the canonical field names; fields left out
        keep their stored value. Error lines are 1-based record numbers."""
        columns, rows, errors = importing.rows_from_records(records, self.kind)
        return self.import_rows(
            ImportBatch(self.kind, organisation, actor, columns, rows, errors, dry_run, "api")
        )
