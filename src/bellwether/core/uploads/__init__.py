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

from collections.abc import Iterable

from bellwether.core.uploads.delimited import _read_csv
from bellwether.core.uploads.limits import (
    MB,
    SETTINGS,
    Progress,
    Upload,
    UploadLimits,
    UploadRefused,
    _mb,
)
from bellwether.core.uploads.workbook import _ENCRYPTED, _OLE, _read_xlsx, cell_text


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


__all__ = [
    "MB",
    "SETTINGS",
    "Progress",
    "Upload",
    "UploadLimits",
    "UploadRefused",
    "cell_text",
    "read_upload",
]
