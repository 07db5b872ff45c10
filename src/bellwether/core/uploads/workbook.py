"""Reading an XLSX upload (its first sheet) within its limits: the zip is inspected
before anything is unpacked."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from bellwether.core.uploads.limits import (
    MB,
    Progress,
    Upload,
    UploadLimits,
    UploadRefused,
    _check_header,
    _column_name,
    _mb,
    _too_long,
    _too_many_rows,
)

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
