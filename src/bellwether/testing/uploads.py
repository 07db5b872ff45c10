"""Crafted upload files for tests: real workbooks, zip bombs, hostile CSV.

The bombs are built the way real ones are, in milliseconds: one deflate block for a
repeated chunk, byte-aligned by a full flush and so reusable, concatenated as often
as needed. The archive is written by hand so that every declared size and CRC is
the true one (a bomb that lies about its sizes is an easier case).
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from unittest import mock

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET_HEAD = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}">'
    "<sheetData>"
).encode()
SHEET_TAIL = b"</sheetData></worksheet>"


def workbook(rows: Sequence[Sequence[Any]]) -> bytes:
    """A real XLSX (written by openpyxl) holding ``rows`` on its first sheet."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parts(content: bytes) -> dict[str, bytes]:
    """Every part of a zip, unpacked (for small, real workbooks only)."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


class Deflated:
    """A part's data: its raw deflate stream, unpacked size and CRC-32."""

    def __init__(self, stream: bytes, size: int, crc: int) -> None:
        self.stream, self.size, self.crc = stream, size, crc

    @classmethod
    def of(cls, data: bytes) -> Deflated:
        packer = zlib.compressobj(6, zlib.DEFLATED, -15)
        return cls(packer.compress(data) + packer.flush(), len(data), zlib.crc32(data))

    @classmethod
    def repeated(cls, head: bytes, chunk: bytes, times: int, tail: bytes) -> Deflated:
        """``head + chunk * times + tail`` without ever building it."""

        def block(data: bytes, mode: int) -> bytes:
            packer = zlib.compressobj(9, zlib.DEFLATED, -15)
            return packer.compress(data) + packer.flush(mode)

        middle = block(chunk, zlib.Z_FULL_FLUSH)
        stream = block(head, zlib.Z_FULL_FLUSH) + middle * times + block(tail, zlib.Z_FINISH)
        crc = zlib.crc32(head)
        for _ in range(times):
            crc = zlib.crc32(chunk, crc)
        crc = zlib.crc32(tail, crc)
        return cls(stream, len(head) + len(chunk) * times + len(tail), crc)


def zip_of(entries: dict[str, bytes | Deflated]) -> bytes:
    """A zip archive with these parts (deflated), written field by field."""
    out = io.BytesIO()
    directory = io.BytesIO()
    for name, data in entries.items():
        part = data if isinstance(data, Deflated) else Deflated.of(data)
        encoded = name.encode()
        offset = out.tell()
        # The fields the local header and the central directory entry share, in the
        # order both hold them: version needed, flags, method (deflate), time, date,
        # CRC, compressed and plain sizes, name length, extra length.
        shared = (20, 0, 8, 0, 0x21, part.crc, len(part.stream), part.size, len(encoded), 0)
        out.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *shared) + encoded + part.stream)
        # Central entry: "version made by" first, then the shared fields, then comment
        # length, disk, internal and external attributes, and the local header's offset.
        directory.write(
            struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, *shared, 0, 0, 0, 0, offset)
            + encoded
        )
    start = out.tell()
    listing = directory.getvalue()
    out.write(listing)
    out.write(
        struct.pack(
            "<4sHHHHIIH",
            b"PK\x05\x06",
            0,
            0,
            len(entries),
            len(entries),
            len(listing),
            start,
            0,
        )
    )
    return out.getvalue()


def with_sheet(sheet: bytes | Deflated, base: bytes | None = None) -> bytes:
    """A real workbook whose first sheet's XML is replaced by ``sheet``."""
    entries: dict[str, bytes | Deflated] = dict(parts(base or workbook([["name"], ["Ann"]])))
    entries["xl/worksheets/sheet1.xml"] = sheet
    return zip_of(entries)


def with_shared_strings(items: Sequence[str] | bytes, rows: str) -> bytes:
    """A real workbook whose first sheet holds ``rows`` (cells with ``t="s"`` point into
    the table) and whose shared-string table holds ``items`` (``<si>`` bodies, or the
    whole table's XML as bytes)."""
    entries: dict[str, bytes | Deflated] = dict(parts(workbook([["name"]])))
    types = entries["[Content_Types].xml"]
    assert isinstance(types, bytes)
    entries["[Content_Types].xml"] = types.replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    table = (
        items
        if isinstance(items, bytes)
        else (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}">'
            + "".join(f"<si>{item}</si>" for item in items)
            + "</sst>"
        ).encode()
    )
    entries["xl/sharedStrings.xml"] = table
    entries["xl/worksheets/sheet1.xml"] = sheet_xml(rows)
    return zip_of(entries)


def sheet_xml(rows: str) -> bytes:
    """A sheet's XML around ``rows`` (``<row>`` elements written by the test)."""
    return SHEET_HEAD + rows.encode() + SHEET_TAIL


def bomb(unpacked: int) -> bytes:
    """A real workbook whose sheet unpacks to about ``unpacked`` bytes of valid rows
    (one inline-string cell each) yet packs to a few hundred kilobytes at most."""
    chunk = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000
    times = max(1, -(-unpacked // len(chunk)))
    return with_sheet(Deflated.repeated(SHEET_HEAD, chunk, times, SHEET_TAIL))


class Unpacked:
    """How many bytes zip parts unpacked to (``inflated``) while ``unpacking()`` was open."""

    def __init__(self) -> None:
        self.inflated = 0


class _CountingInflater:
    def __init__(self, inner: Any, counter: Unpacked) -> None:
        self._inner, self._counter = inner, counter

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out: bytes = self._inner.decompress(data, max_length)
        self._counter.inflated += len(out)
        return out

    def flush(self, *args: Any) -> bytes:
        out: bytes = self._inner.flush(*args)
        self._counter.inflated += len(out)
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@contextmanager
def unpacking() -> Iterator[Unpacked]:
    """Count every byte any zip part unpacks to (zipfile's inflater, which openpyxl's
    reader uses too): a refusal "before anything unpacks" is then a number, not a time."""
    import zipfile

    counter = Unpacked()
    original = zipfile._get_decompressor  # type: ignore[attr-defined]

    def counting(compress_type: int) -> Any:
        inner = original(compress_type)
        return inner if inner is None else _CountingInflater(inner, counter)

    with mock.patch.object(zipfile, "_get_decompressor", counting):
        yield counter
