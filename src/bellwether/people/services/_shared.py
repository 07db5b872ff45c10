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


#: The rest of an import once its rows are read: ``_import_people_rows`` or
#: ``_import_unit_rows``, called with keyword arguments only.
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
            return self.import_rows(
                organisation=organisation,
                actor=actor,
                columns=columns,
                rows=table.rows,
                early_errors=table.errors,
                dry_run=dry_run,
                progress=progress,
                on_phase=on_phase,
                source=filename,
                **options,
            )

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
            organisation=organisation,
            actor=actor,
            columns=columns,
            rows=rows,
            early_errors=errors,
            dry_run=dry_run,
            source="api",
        )


def record_import(
    kind: str,
    *,
    organisation: Organisation,
    actor: User | None,
    source: str,
    result: ImportResult,
) -> None:
    """The one audit row of an import that wrote: ``<kind>.imported``."""
    audit.record(
        action=f"{kind}.imported",
        organisation=organisation,
        actor=actor,
        target_label=source[:300],
        details={"source": source, **result.counts()},
    )
