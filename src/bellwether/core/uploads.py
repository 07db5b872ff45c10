"""Opening an uploaded CSV or XLSX file without letting it take the machine. Plain Python.

An upload is written by whoever uploads it: a 7 MB workbook can unpack to gigabytes, a
sheet can claim a million rows or sixteen thousand columns, a CSV can hide the rest of
the file behind one unmatched quote or carry a header of 100,000 columns. Every upload
(people and org units, influence ties, initiative measurements) is opened here, which
refuses such a file early, with a message the uploader can act on, before anything is
imported:

* XLSX: the zip's directory is inspected before openpyxl touches the file (number of
  entries, the declared size of every part and of all of them together, each part's
  compression ratio, no DTD in any XML part). ``zipfile`` never inflates a part past
  its declared size (it stops there and fails the CRC), so the declared sizes bound
  the work. The first sheet is then streamed, row by row as the file holds them, with
  caps on rows, columns and the length of each value.
* CSV: caps on size, rows, values per row and value length; quoting is read strictly,
  so an unterminated quote is refused with its line instead of swallowing the rest
  of the file.

The caps come from ``UploadLimits``; ``UploadLimits.from_settings()`` reads the
installation's settings (see README, "Importing people from the HRIS"). Importers do
not call this module directly: ``core.tabular`` (the one import pipeline) reads
through it and adds column mapping and per-row errors.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any

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


def read_upload(
    content: bytes,
    filename: str,
    *,
    limits: UploadLimits,
    header_only: bool = False,
    progress: Progress | None = None,
    formats: Iterable[str] = ("csv", "xlsx"),
) -> Upload:
    """Read a CSV (UTF-8; comma, semicolon or tab) or an XLSX file (its first sheet).

    ``header_only`` stops after the header row (cheap, for an upload page). Raises
    ``UploadRefused`` with a message for the uploader; never anything else.
    """
    accepted = set(formats)
    if len(content) > limits.max_bytes:
        raise UploadRefused(
            f"The file is {_mb(len(content))}; the largest accepted is {_mb(limits.max_bytes)}. "
            "Split it, or remove columns Bellwether does not use."
        )
    if not content or content.isspace():
        raise UploadRefused("The file is empty.")
    if content.startswith(_OLE):
        if _ENCRYPTED in content:
            raise UploadRefused(
                "This workbook is protected by a password. Remove the password "
                "(File › Info › Protect Workbook) and upload it again."
            )
        raise UploadRefused(
            "This is an old Excel (.xls) file. Save it as Excel Workbook (.xlsx) or CSV UTF-8."
        )
    if content.startswith(b"PK\x03\x04") or filename.lower().endswith((".xlsx", ".xlsm")):
        if "xlsx" not in accepted:
            raise UploadRefused(
                "This is an Excel workbook; upload a CSV file (UTF-8) instead. In Excel choose "
                "File › Save As › “CSV UTF-8 (Comma delimited)”."
            )
        return _read_xlsx(content, limits, header_only, progress)
    if "csv" not in accepted:
        raise UploadRefused("Upload an Excel workbook (.xlsx).")
    return _read_csv(content, limits, header_only, progress)


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


# --- CSV ---------------------------------------------------------------------------------------


def _read_csv(
    content: bytes, limits: UploadLimits, header_only: bool, progress: Progress | None
) -> Upload:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        raise UploadRefused(
            f"The file is not UTF-8 (unreadable byte on line {line}). "
            "In Excel choose File › Save As › “CSV UTF-8 (Comma delimited)” and upload it again.",
            line=line,
        ) from None
    first_line = text[:65_536].split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    # Strict: a closing quote must end its value, and a quote left open at the end of
    # the file is an error, not the rest of the file read as one value.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    field_limit = min(limits.max_cell_chars, csv.field_size_limit())
    header: list[str] | None = None
    rows: list[tuple[int, list[str | None]]] = []
    line = 0
    total_guess = text.count("\n") or 1
    try:
        for record in reader:
            line += 1
            if len(record) > limits.max_columns:
                raise _too_many_columns(line, len(record), limits, header=header is None)
            if record:
                longest = max(map(len, record))
                if longest > limits.max_cell_chars:
                    column = next(i for i, cell in enumerate(record, 1) if len(cell) == longest)
                    raise _too_long(line, column, longest, limits.max_cell_chars)
            if header is None:
                if not any(cell.strip() for cell in record):
                    continue  # blank lines before the header
                header = _check_header([cell.strip() for cell in record], line, limits)
                if header_only:
                    break
                continue
            if "".join(record).strip():
                if len(rows) == limits.max_rows:
                    raise _too_many_rows(limits)
                rows.append((line, record))  # type: ignore[arg-type]
            if progress is not None and line % 5000 == 0:
                progress(min(reader.line_num, total_guess), total_guess)
    except csv.Error as exc:
        raise _csv_error(str(exc), line + 1, field_limit) from None
    if header is None:
        raise UploadRefused("The file is empty.")
    if progress is not None and not header_only:
        progress(len(rows), len(rows))
    return Upload(header=header, rows=rows)


def _csv_error(reason: str, line: int, field_limit: int) -> UploadRefused:
    if reason.startswith("unexpected end of data"):
        message = (
            f'Line {line:,} opens a double quote (") that is never closed, so the rest of the '
            "file would be read as one value. Close the quote, or write a quote that belongs "
            'to the text as two ("").'
        )
    elif "expected after" in reason:
        message = (
            f"Line {line:,} is not valid CSV: a quoted value is followed by more text before "
            'the next separator. Inside a quoted value write a double quote as two ("").'
        )
    elif reason.startswith("field larger than field limit"):
        message = (
            f"Line {line:,} has a value longer than {field_limit:,} characters "
            '(an unmatched double quote (") can cause this).'
        )
    else:
        message = f"Line {line:,} is not valid CSV: {reason}."
    return UploadRefused(message, line=line)


# --- XLSX --------------------------------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0"  # the container of .xls files and of password-protected .xlsx
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_END = b"PK\x05\x06"  # end of the zip's central directory
_ZIP64_LOCATOR = b"PK\x06\x07"
_END_SIZE = 22
# A real central-directory entry is 46 bytes and the part's name (short in a workbook).
_DIRECTORY_BYTES_PER_ENTRY = 1024
# Below this size a part's compression ratio says nothing (it cannot exhaust anything).
_RATIO_FLOOR = MB
_DAMAGED = "The file could not be read as an Excel workbook (.xlsx)"
_PROLOG = re.compile(rb"(?:\s|<\?.*?\?>|<!--.*?-->)*", re.S)


def _damaged(reason: str) -> UploadRefused:
    return UploadRefused(f"{_DAMAGED}: {reason[:200].rstrip('.')}.")


def _refuse_bomb(detail: str) -> UploadRefused:
    return UploadRefused(
        f"This workbook is refused before it is opened: {detail} "
        "Save the sheet as CSV UTF-8, or split it into smaller files."
    )


def _read_xlsx(
    content: bytes, limits: UploadLimits, header_only: bool, progress: Progress | None
) -> Upload:
    _inspect_zip(content, limits)
    try:
        reader, path = _open_first_sheet(content)
    except UploadRefused:
        raise
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise _damaged(str(exc) or type(exc).__name__) from None
    try:
        return _read_sheet(reader, path, limits, header_only, progress)
    except UploadRefused:
        raise
    except Exception as exc:  # a damaged sheet inside a valid zip
        raise _damaged(str(exc) or type(exc).__name__) from None
    finally:
        reader.archive.close()


def _inspect_zip(content: bytes, limits: UploadLimits) -> None:
    """Refuse a workbook whose parts would unpack to too much, before anything unpacks."""
    # The end record says how big the central directory is; zipfile would read all of
    # it, so it is bounded first. The search mirrors zipfile's own.
    end = len(content) - _END_SIZE
    if end < 0 or content[end : end + 4] != _END or content[end + 20 : end + 22] != b"\0\0":
        end = content.rfind(_END, max(0, len(content) - _END_SIZE - 65_535))
    if end < 0 or end + _END_SIZE > len(content):
        raise _damaged("it is not a complete zip archive")
    if content[max(0, end - 20) : max(0, end - 16)] == _ZIP64_LOCATOR:
        raise _refuse_bomb("it uses the zip64 format, which only workbooks over 4 GB need.")
    entries = int.from_bytes(content[end + 10 : end + 12], "little")
    directory = int.from_bytes(content[end + 12 : end + 16], "little")
    if (
        entries > limits.xlsx_max_entries
        or directory > limits.xlsx_max_entries * _DIRECTORY_BYTES_PER_ENTRY
    ):
        raise _refuse_bomb(
            f"it holds more than {limits.xlsx_max_entries:,} parts (a workbook has a few dozen)."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _damaged(str(exc) or "not a zip archive") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.xlsx_max_entries:
            raise _refuse_bomb(
                f"it holds {len(infos):,} parts; at most {limits.xlsx_max_entries:,} are accepted."
            )
        total = 0
        for info in infos:
            _check_part(info, limits)
            total += info.file_size
        if total > limits.xlsx_max_uncompressed:
            raise _refuse_bomb(
                f"it unpacks to {_mb(total)}; at most {_mb(limits.xlsx_max_uncompressed)} "
                "are accepted."
            )
        for info in infos:
            if info.filename.endswith((".xml", ".rels")) and _declares_dtd(archive, info):
                raise _refuse_bomb(
                    f"its part {info.filename[:100]} declares a DTD, which workbooks never do "
                    "(entity expansion can exhaust the server)."
                )


def _check_part(info: zipfile.ZipInfo, limits: UploadLimits) -> None:
    """Refuse one part of the zip by what its directory entry declares."""
    name = info.filename[:100]
    if info.flag_bits & 0x1:
        raise UploadRefused(
            "This workbook is protected by a password. Remove the password and upload it again."
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _damaged(f"part {name} uses an unusual compression")
    if info.file_size > limits.xlsx_max_part:
        raise _refuse_bomb(
            f"its part {name} unpacks to {_mb(info.file_size)}; at most "
            f"{_mb(limits.xlsx_max_part)} are accepted for one part."
        )
    if info.file_size > _RATIO_FLOOR and info.file_size > limits.xlsx_max_ratio * max(
        info.compress_size, 1
    ):
        ratio = info.file_size // max(info.compress_size, 1)
        raise _refuse_bomb(
            f"its part {name} unpacks to {ratio:,} times its packed size, which real "
            f"sheets never do (at most {limits.xlsx_max_ratio:,} times)."
        )


def _declares_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """True when the XML part declares a DTD (or hides its start past 64 KB of prolog).
    The packaging standard forbids DTDs in a workbook."""
    try:
        with archive.open(info) as part:
            head = part.read(65_536)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
        raise _damaged(str(exc) or "a part cannot be unpacked") from None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode()
    head = head.removeprefix(b"\xef\xbb\xbf")
    match = _PROLOG.match(head)
    start = match.end() if match is not None else 0
    if head and start == len(head) and len(head) == 65_536:
        return True
    return head[start : start + 2] == b"<!"


def cell_text(value: Any) -> str:
    """A spreadsheet value as the text an import reads (dates as ISO dates)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        # Excel stores every number as a float: employee id 1042 arrives as 1042.0.
        return str(int(value))
    return str(value)


def _open_first_sheet(content: bytes) -> tuple[Any, str]:
    """openpyxl's reader with what a data import needs (the workbook's date formats)
    and the path of the first worksheet.

    Not ``load_workbook``: in read-only mode it sizes every sheet on opening, which for
    a sheet without a ``<dimension>`` (openpyxl's own files have none) parses the whole
    sheet once more, and it parses every shared string up front with a slow general
    parser, both inside the upload's web request. These are openpyxl 3.1's reader
    steps; ``core/tests/test_uploads.py`` fails if they change.
    """
    # openpyxl is imported here so CSV-only uses (and their tests) do not pay for it.
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
    try:
        reader.read_manifest()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        for _sheet, rel in reader.parser.find_sheets():
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type:
                return reader, rel.target
    except BaseException:
        reader.archive.close()
        raise
    reader.archive.close()
    raise UploadRefused("The workbook has no sheets.")


class _SharedStrings:
    """The workbook's shared strings, read only as far as the cells read so far need.

    Excel numbers shared strings in the order it first meets them, so a header needs
    the first few: the upload page never reads the table's millions of others. Each
    is plain text, as openpyxl's ``Text.content`` gives it (runs joined, phonetic
    guides left out), from a lean streaming parse.
    """

    def __init__(self, reader: Any) -> None:
        from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

        # openpyxl's parser (defusedxml's when installed); DTDs were refused above.
        from openpyxl.xml.functions import iterparse

        self._strings: list[str] = []
        self._si, self._t, self._r = (f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("si", "t", "r"))
        found = reader.package.find(SHARED_STRINGS)
        self._source = reader.archive.open(found.PartName[1:]) if found is not None else None
        self._events = (
            iterparse(self._source, events=("start", "end")) if self._source is not None else None
        )
        self._root: Any = None

    def __getitem__(self, index: int) -> str:
        while index >= len(self._strings) and self._events is not None:
            self._advance()
        return self._strings[index]  # a reference past the table: a damaged file

    def _advance(self) -> None:
        assert self._events is not None
        for event, node in self._events:
            if self._root is None:
                self._root = node
            if event == "end" and node.tag == self._si:
                parts = []
                for child in node:
                    if child.tag == self._t:
                        parts.append(child.text or "")
                    elif child.tag == self._r:
                        text = child.find(self._t)
                        if text is not None:
                            parts.append(text.text or "")
                self._strings.append("".join(parts).replace("x005F_", ""))
                self._root.clear()  # keep memory flat: strings kept, elements dropped
                return
        self._events = None

    def close(self) -> None:
        if self._source is not None:
            self._source.close()


def _read_sheet(
    reader: Any, path: str, limits: UploadLimits, header_only: bool, progress: Progress | None
) -> Upload:
    """The first sheet's header and rows, taken as the file holds them.

    openpyxl's read-only ``iter_rows`` pads every row to the widest column and fills
    every missing row up to the highest row number, both taken from the file: a tiny
    sheet with one cell at XFD1048576 makes it build billions of empty cells. So the
    rows come straight from its streaming parser (the one ``iter_rows`` wraps): sparse,
    (row number, the cells present), each cell checked before it is kept.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    strings = _SharedStrings(reader)
    with reader.archive.open(path) as source:
        parser = WorkSheetParser(
            source,
            strings,
            data_only=True,
            epoch=reader.wb.epoch,
            date_formats=reader.wb._date_formats,
            timedelta_formats=reader.wb._timedelta_formats,
        )
        size = reader.archive.getinfo(path).file_size or 1
        try:
            return _sheet_table(parser.parse(), limits, header_only, progress, source.tell, size)
        finally:
            strings.close()


def _sheet_table(
    sheet_rows: Iterator[tuple[int, list[dict[str, Any]]]],
    limits: UploadLimits,
    header_only: bool,
    progress: Progress | None,
    position: Callable[[], int],
    size: int,
) -> Upload:
    header: list[str] | None = None
    rows: list[tuple[int, list[str | None]]] = []
    width = 0
    for line, cells in sheet_rows:
        values: list[str | None] = [""] * width
        filled = False
        for cell in cells:
            value = cell["value"]
            if value is None:
                continue  # a formatted empty cell, wherever it is, carries nothing
            column = cell["column"]
            if column > limits.max_columns:
                what = "The header" if header is None else f"Line {line:,}"
                raise UploadRefused(
                    f"{what} has a value in column {_column_name(column)} (column number {column:,}); "
                    f"at most {limits.max_columns:,} columns are accepted. Remove the columns "
                    "Bellwether does not use.",
                    line=line,
                )
            text = cell_text(value)
            if len(text) > limits.max_cell_chars:
                raise _too_long(line, column, len(text), limits.max_cell_chars)
            if column > len(values):
                values.extend([""] * (column - len(values)))
            values[column - 1] = text
            filled = filled or bool(text.strip())
        if not filled:
            continue
        if header is None:
            header = [str(value).strip() for value in values]
            # Excel pads rows to the used width; trailing blank header cells mean nothing.
            while header and not header[-1]:
                header.pop()
            _check_header(header, line, limits)
            width = len(header)
            if header_only:
                break
            continue
        if len(rows) == limits.max_rows:
            raise _too_many_rows(limits)
        rows.append((line, values))
        if progress is not None and len(rows) % 5000 == 0:
            # Rows so far, and the total they point to from how much of the sheet is read.
            estimate = len(rows) * size // max(position(), 1)
            progress(len(rows), max(estimate, len(rows)))
    if header is None:
        raise UploadRefused("The file is empty.")
    if progress is not None and not header_only:
        progress(len(rows), len(rows))
    return Upload(header=header, rows=rows)
