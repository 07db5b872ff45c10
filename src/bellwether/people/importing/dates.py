"""The dates HR exports write: ISO (2024-03-31), day first (31/03/2024), month first
(03/31/2024) and Excel's serial day numbers (45382). Plain Python, no Django.

A file uses one order for all its dates. With the order left to the import (``auto``) it
is worked out from the file: any day above 12 in the first place means day first, in the
second place month first. A file whose every date could be read both ways (03/04/2024) is
refused with a question: the person importing chooses the order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

AUTO = "auto"
ISO = "iso"
DAY_FIRST = "dmy"
MONTH_FIRST = "mdy"

#: The choices the upload form offers, in its order.
FORMAT_CHOICES = (
    (AUTO, "Work it out from the file"),
    (ISO, "YYYY-MM-DD (ISO)"),
    (DAY_FIRST, "DD/MM/YYYY (day first)"),
    (MONTH_FIRST, "MM/DD/YYYY (month first)"),
)
FORMAT_LABELS = dict(FORMAT_CHOICES)

# Excel's day 1 is 1900-01-01, counted from 1899-12-30 because of its 1900 leap-day bug.
_EXCEL_EPOCH = date(1899, 12, 30)
# Serials from 1 Jan 1920 to 31 Dec 2199: a plain number outside is not a start date.
_SERIALS = range(7306, 109575)
_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_SERIAL = re.compile(r"^(\d{4,6})(?:\.0+)?$")


@dataclass(frozen=True)
class DateOrder:
    """The order a file's dates are read in (``fmt``, one of the keys above, never
    ``auto``), or why none could be chosen (``problem``)."""

    fmt: str
    problem: str = ""
    #: A sample value that could be read both ways (for the question to the user).
    sample: str = ""

    @property
    def label(self) -> str:
        return FORMAT_LABELS[self.fmt]


def serial_date(text: str) -> date | None:
    """An Excel serial day number (45382 or 45382.0) as a date."""
    match = _SERIAL.match(text)
    if match is None or int(match.group(1)) not in _SERIALS:
        return None
    return _EXCEL_EPOCH + timedelta(days=int(match.group(1)))


def parse_date(value: str, fmt: str = ISO) -> date | None:
    """``value`` read in the order ``fmt`` (ISO dates and Excel serials are read in any
    order; ``auto`` reads ISO only), or None if it is not a date."""
    text = value.strip()
    if len(text) == 10 and text[4] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    if (serial := serial_date(text)) is not None:
        return serial
    match = _NUMERIC.match(text)
    if match is None or fmt not in (DAY_FIRST, MONTH_FIRST):
        return None
    first, second, year = (int(part) for part in match.groups())
    day, month = (first, second) if fmt == DAY_FIRST else (second, first)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def choose_order(values: Iterable[str], fmt: str = AUTO) -> DateOrder:
    """The order to read ``values`` (a file's dates) in: ``fmt`` when chosen; otherwise
    the one the values settle, ISO when none needs an order."""
    if fmt != AUTO:
        return DateOrder(fmt if fmt in FORMAT_LABELS else ISO)
    day_first = month_first = numeric = False
    sample = ""
    for value in values:
        match = _NUMERIC.match(value.strip())
        if match is None:
            continue
        numeric = True
        first, second = int(match.group(1)), int(match.group(2))
        day_first = day_first or first > 12
        month_first = month_first or second > 12
        if first <= 12 and second <= 12 and first != second and not sample:
            sample = value.strip()
    if day_first and month_first:
        return DateOrder(
            ISO,
            problem="The dates in this file mix day-first and month-first orders; "
            "write them all one way (YYYY-MM-DD is safest).",
        )
    if day_first:
        return DateOrder(DAY_FIRST)
    if month_first:
        return DateOrder(MONTH_FIRST)
    if sample:
        return DateOrder(
            ISO,
            problem=f"“{sample}” could be read day first or month first, and no date in "
            "the file settles it. Upload the file again choosing the date order "
            "(DD/MM/YYYY or MM/DD/YYYY).",
            sample=sample,
        )
    # Dates such as 05/05/2024 read the same both ways.
    return DateOrder(DAY_FIRST if numeric else ISO)
