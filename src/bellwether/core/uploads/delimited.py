"""Reading a CSV upload (UTF-8; comma, semicolon or tab) within its limits."""

from __future__ import annotations

import csv
import io

from bellwether.core.uploads.limits import (
    Progress,
    Upload,
    UploadLimits,
    UploadRefused,
    _check_header,
    _too_long,
    _too_many_columns,
    _too_many_rows,
)

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
