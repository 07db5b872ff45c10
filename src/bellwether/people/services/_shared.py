"""Shared steps of every import: reading a file, refusing, pausing the collector."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from bellwether.core.uploads import UploadLimits
from bellwether.people import importing
from bellwether.people.importing import (
    ImportResult,
    Progress,
    RowError,
)

if TYPE_CHECKING:
    pass


Phase = Callable[[str], None]
BATCH = 5000
# Errors kept on an ImportJob: enough to fix a file, small enough for the page.
MAX_STORED_ERRORS = 2000


def _refused(errors: list[RowError], *, total: int = 0, dry_run: bool) -> ImportResult:
    return ImportResult(
        ok=False,
        errors=sorted(errors, key=lambda e: (e.line, e.column)),
        total=total,
        dry_run=dry_run,
    )


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
