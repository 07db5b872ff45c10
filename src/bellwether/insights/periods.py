"""Reporting periods of the KPI dashboard: ISO weeks, months and quarters.

Pure: no Django. A period is named by a key a URL can carry (``2026-W48``, ``2026-11``,
``2026-Q4``); every KPI is computed *as of the period's last day*, so a past period
shows what the data said then and a figure never moves when later data arrives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

WEEK = "week"
MONTH = "month"
QUARTER = "quarter"
KINDS = (WEEK, MONTH, QUARTER)
KIND_LABELS = {WEEK: "Weekly", MONTH: "Monthly", QUARTER: "Quarterly"}

_WEEK_KEY = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH_KEY = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER_KEY = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date  # inclusive: the last day of the period
    kind: str
    key: str

    @property
    def months(self) -> float:
        """The period's length in months: 1 for a month, 3 for a quarter, 7/30 for a week
        (for per-month rates)."""
        if self.kind == MONTH:
            return 1.0
        if self.kind == QUARTER:
            return 3.0
        return round(7 / 30, 4)

    @property
    def label(self) -> str:
        if self.kind == WEEK:
            return f"Week of {self.start:%-d %b %Y}"
        if self.kind == MONTH:
            return f"{self.start:%B %Y}"
        return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"


def containing(kind: str, day: date) -> Period:
    """The period of ``kind`` that contains ``day``."""
    if kind == WEEK:
        start = day - timedelta(days=day.weekday())
        year, week, _ = start.isocalendar()
        return Period(start, start + timedelta(days=6), WEEK, f"{year}-W{week:02d}")
    if kind == MONTH:
        start = day.replace(day=1)
        return Period(start, _next_month(start) - timedelta(days=1), MONTH, f"{day:%Y-%m}")
    if kind == QUARTER:
        quarter = (day.month - 1) // 3
        start = date(day.year, quarter * 3 + 1, 1)
        end = _next_month(_next_month(_next_month(start))) - timedelta(days=1)
        return Period(start, end, QUARTER, f"{day.year}-Q{quarter + 1}")
    raise ValueError(f"Unknown period kind {kind!r}: choose week, month or quarter.")


def parse(kind: str, key: str) -> Period:
    """The period a key names; ``ValueError`` with a message a user can act on."""
    try:
        if kind == WEEK and (m := _WEEK_KEY.match(key)):
            return containing(WEEK, date.fromisocalendar(int(m[1]), int(m[2]), 1))
        if kind == MONTH and (m := _MONTH_KEY.match(key)):
            return containing(MONTH, date(int(m[1]), int(m[2]), 1))
        if kind == QUARTER and (m := _QUARTER_KEY.match(key)):
            return containing(QUARTER, date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1))
    except ValueError:
        pass
    examples = {WEEK: "2026-W48", MONTH: "2026-11", QUARTER: "2026-Q4"}
    if kind not in examples:
        raise ValueError(f"Unknown period kind {kind!r}: choose week, month or quarter.")
    raise ValueError(f"“{key}” is not a {kind}: write it like {examples[kind]}.")


def previous(period: Period) -> Period:
    return containing(period.kind, period.start - timedelta(days=1))


def following(period: Period) -> Period:
    return containing(period.kind, period.end + timedelta(days=1))


def last(period: Period, count: int) -> list[Period]:
    """``count`` periods ending with ``period``, oldest first."""
    out = [period]
    while len(out) < count:
        out.append(previous(out[-1]))
    return out[::-1]


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)
