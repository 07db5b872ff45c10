"""Reading a CSV of measurements (``metric``, ``measured_at``, ``value``).

The file is read by the one tabular pipeline (``core.tabular``: size, rows, columns,
value length, strict quoting, column mapping); every line is then checked and every
problem reported by its line, so the service writes all of the file or none of it. Dates that cannot exist (30 February),
time-zone offsets beyond a day, instants outside the years a chart can draw and
values that are not finite numbers are problems like any other: never a crash.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping

from django.utils.dateparse import parse_datetime

from bellwether.core.errors import DomainError
from bellwether.core.tabular import Columns, cell, read_table
from bellwether.core.uploads import UploadLimits

FIELDS = ("metric", "measured_at", "value")
# Other columns are ignored; the first of two columns with one name is read.
COLUMNS = Columns(fields=FIELDS, required=FIELDS, unknown="ignore", duplicates="first")
# Enough for any metric name (200) and any ISO 8601 instant or number.
MAX_CELL_CHARS = 300
# Lines with problems listed in one refusal; the rest are counted.
MAX_REPORTED = 50
FIRST_YEAR, LAST_YEAR = 1900, 2999
EXAMPLE = "2026-01-05T09:00:00Z"

Point = tuple[int, datetime.datetime, float]


MAX_BYTES = 20 * 1024 * 1024


def limits_for(base: UploadLimits, max_rows: int) -> UploadLimits:
    return base.at_most(
        max_bytes=MAX_BYTES, max_rows=max_rows, max_columns=20, max_cell_chars=MAX_CELL_CHARS
    )


def _shown(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


def parse_instant(text: str) -> tuple[datetime.datetime | None, str]:
    """An aware instant from ISO 8601 (no offset: UTC), or None and the reason."""
    if not text:
        return None, f"measured_at is empty: give a date and time such as {EXAMPLE}."
    try:
        when = parse_datetime(text)
    except ValueError as exc:  # well formed but impossible
        if "offset" in str(exc):
            return None, (
                f"measured_at “{_shown(text)}” has a time-zone offset beyond ±24 hours; "
                "write it as +HH:MM, for example +01:00."
            )
        return None, f"measured_at “{_shown(text)}” is not a real date and time ({exc})."
    if when is None:
        return None, "measured_at is not a date and time."
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    try:
        utc = when.astimezone(datetime.UTC)
    except OverflowError:
        utc = None
    if utc is None or not FIRST_YEAR <= utc.year <= LAST_YEAR:
        return None, (
            f"measured_at “{_shown(text)}” is outside the years {FIRST_YEAR}–{LAST_YEAR}."
        )
    return when, ""


def parse_measurements(
    content: bytes, *, metrics: Mapping[str, int], limits: UploadLimits
) -> list[Point]:
    """Every line as (metric id, instant, value); ``DomainError`` listing the bad lines
    (or the reason the whole file is refused) when there is any problem."""
    table = read_table(content, "measurements.csv", limits=limits, formats=("csv",))
    if table.refusal is not None:
        raise table.refusal
    index, column_errors = COLUMNS.resolve(table.header)
    missing = [error.column for error in column_errors]
    if missing:
        raise DomainError(
            f"The file lacks the column(s): {', '.join(missing)}.", code="invalid_file"
        )
    problems: dict[int, list[str]] = {}
    for error in table.errors:
        problems.setdefault(error.line, []).append(error.message)
    points: list[Point] = []
    for line, cells in table.rows:
        point = _point(line, cells, index, metrics, problems)
        if point is not None and line not in problems:
            points.append(point)
    if problems:
        raise _refusal(problems)
    return points


def _point(
    line: int,
    cells: list[str | None],
    index: Mapping[str, int],
    metrics: Mapping[str, int],
    problems: dict[int, list[str]],
) -> Point | None:
    """One line as a point, or None with its problems added to ``problems``."""
    name, when_text, raw = (cell(cells, index[column]) or "" for column in FIELDS)
    found: list[str] = []
    metric_id = metrics.get(name)
    if metric_id is None:
        found.append(f"No metric named “{_shown(name)}”.")
    when, problem = parse_instant(when_text)
    if problem:
        found.append(problem)
    try:
        value: float | None = float(raw)
    except ValueError:
        value = None
    if value is None:
        found.append("value is not a number.")
    elif not math.isfinite(value):
        found.append("value must be a finite number.")
        value = None
    if found or metric_id is None or when is None or value is None:
        problems.setdefault(line, []).extend(found)
        return None
    return metric_id, when, value


def _refusal(problems: Mapping[int, list[str]]) -> DomainError:
    """The refusal listing the first ``MAX_REPORTED`` lines with problems."""
    errors = {f"line {line}": found for line, found in sorted(problems.items())[:MAX_REPORTED]}
    more = len(problems) - len(errors)
    if more:
        errors["more"] = [f"…and {more:,} more lines with problems."]
    return DomainError(
        "The file has errors; nothing was imported.", field_errors=errors, code="invalid_file"
    )
