"""What one upload may hold, the refusal a user reads, and what a read returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from bellwether.core.errors import DomainError

Progress = Callable[[int, int], None]
MB = 1024 * 1024

# --- limits -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadLimits:
    """What one upload may hold. The defaults take a 100,000-row HRIS export with
    room to spare (five times the rows, a few hundred columns)."""

    max_bytes: int = 200 * MB
    # Data rows after the header, and values per row.
    max_rows: int = 500_000
    max_columns: int = 500
    max_cell_chars: int = 10_000
    # One column name: a longer one means the first line is not a header.
    max_header_chars: int = 200
    # XLSX: every part unpacked together, the largest part (the sheet's XML, the
    # shared strings), how much more a part may unpack to than it takes in the zip
    # (real sheets: 5-30×; a zip bomb: about 1,000×), and how many parts.
    xlsx_max_uncompressed: int = 512 * MB
    xlsx_max_part: int = 256 * MB
    xlsx_max_ratio: int = 100
    xlsx_max_entries: int = 1_000

    @classmethod
    def from_settings(cls) -> UploadLimits:
        """The installation's limits (settings named in ``SETTINGS``), defaults where unset."""
        # Imported here so the module stays importable, and testable, without Django.
        from django.conf import settings

        base = cls()
        return cls(
            **{
                name: int(getattr(settings, setting, getattr(base, name)))
                for name, setting in SETTINGS.items()
            }
        )

    def at_most(self, **caps: int) -> UploadLimits:
        """These limits, with each named one lowered to ``caps`` when it is higher
        (an upload read inside a web request takes less than a background import)."""
        known = {f.name for f in fields(self)}
        unknown = set(caps) - known
        if unknown:
            raise TypeError(f"Unknown upload limits: {', '.join(sorted(unknown))}")
        return replace(self, **{name: min(getattr(self, name), cap) for name, cap in caps.items()})


SETTINGS = {
    "max_bytes": "BELLWETHER_MAX_IMPORT_BYTES",
    "max_rows": "BELLWETHER_UPLOAD_MAX_ROWS",
    "max_columns": "BELLWETHER_UPLOAD_MAX_COLUMNS",
    "max_cell_chars": "BELLWETHER_UPLOAD_MAX_CELL_CHARS",
    "xlsx_max_uncompressed": "BELLWETHER_UPLOAD_MAX_UNPACKED_BYTES",
    "xlsx_max_ratio": "BELLWETHER_UPLOAD_MAX_COMPRESSION_RATIO",
}


# --- results ---------------------------------------------------------------------------------


class UploadRefused(DomainError):
    """The file is refused as a whole; ``line`` is where (0: the file, 1: the header)."""

    def __init__(self, message: str, *, line: int = 0) -> None:
        super().__init__(message, code="upload_refused")
        self.line = line


@dataclass
class Upload:
    """The header and the non-blank data rows as (line a spreadsheet shows, cells)."""

    header: list[str]
    rows: list[tuple[int, list[str | None]]]


def _mb(size: int) -> str:
    return f"{size / MB:,.1f} MB" if size < 10 * MB else f"{size / MB:,.0f} MB"


def _column_name(index: int) -> str:
    """1 → A, 27 → AA: how a spreadsheet names the column."""
    name = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _too_many_columns(
    line: int, count: int, limits: UploadLimits, *, header: bool
) -> UploadRefused:
    what = "The header" if header else f"Line {line:,}"
    return UploadRefused(
        f"{what} has {count:,} columns; at most {limits.max_columns:,} are accepted. "
        "Remove the columns Bellwether does not use.",
        line=line,
    )


def _too_many_rows(limits: UploadLimits) -> UploadRefused:
    return UploadRefused(
        f"The file has more than {limits.max_rows:,} rows; at most {limits.max_rows:,} "
        "are accepted in one file. Split it into several files."
    )


def _too_long(line: int, column: int, length: int, limit: int) -> UploadRefused:
    return UploadRefused(
        f"Line {line:,}, column {_column_name(column)}: a value of {length:,} characters; "
        f"at most {limit:,} are accepted.",
        line=line,
    )


def _check_header(header: list[str], line: int, limits: UploadLimits) -> list[str]:
    if len(header) > limits.max_columns:
        raise _too_many_columns(line, len(header), limits, header=True)
    for index, name in enumerate(header, start=1):
        if len(name) > limits.max_header_chars:
            raise UploadRefused(
                f"Column {_column_name(index)} of the header (line {line:,}) is {len(name):,} "
                f"characters long; a column name may have at most {limits.max_header_chars:,}. "
                f"Is line {line:,} really the header?",
                line=line,
            )
    return header
