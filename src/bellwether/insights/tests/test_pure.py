"""Periods and measures: the dashboard's pure computation."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bellwether.insights import measures, periods


@pytest.mark.parametrize(
    ("kind", "day", "key", "start", "end"),
    [
        ("week", date(2026, 12, 3), "2026-W49", date(2026, 11, 30), date(2026, 12, 6)),
        ("week", date(2027, 1, 1), "2026-W53", date(2026, 12, 28), date(2027, 1, 3)),
        ("month", date(2026, 2, 14), "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("month", date(2026, 12, 31), "2026-12", date(2026, 12, 1), date(2026, 12, 31)),
        ("quarter", date(2026, 11, 5), "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("quarter", date(2026, 1, 1), "2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
    ],
)
def test_the_period_containing_a_day(kind, day, key, start, end) -> None:
    period = periods.containing(kind, day)
    assert (period.key, period.start, period.end) == (key, start, end)
    assert periods.parse(kind, key) == period


@given(st.sampled_from(periods.KINDS), st.dates(date(2000, 1, 1), date(2100, 1, 1)))
def test_periods_tile_time(kind: str, day: date) -> None:
    period = periods.containing(kind, day)
    assert period.start <= day <= period.end
    assert periods.following(periods.previous(period)) == period
    assert periods.parse(kind, period.key) == period


def test_last_gives_consecutive_periods_oldest_first() -> None:
    chosen = periods.parse("month", "2026-02")
    keys = [p.key for p in periods.last(chosen, 4)]
    assert keys == ["2025-11", "2025-12", "2026-01", "2026-02"]


@pytest.mark.parametrize(
    ("kind", "key", "message"),
    [
        ("month", "2026-13", "write it like 2026-11"),
        ("week", "2026-W60", "write it like 2026-W48"),
        ("quarter", "2026-Q5", "write it like 2026-Q4"),
        ("month", "'; drop", "is not a month"),
        ("year", "2026", "choose week, month or quarter"),
    ],
)
def test_a_bad_period_key_is_refused_with_an_example(kind, key, message) -> None:
    with pytest.raises(ValueError, match=message):
        periods.parse(kind, key)


def test_percent_and_no_data() -> None:
    assert measures.percent(9, 10).value == 90.0
    empty = measures.percent(0, 0)
    assert empty.value is None
    assert empty.reason


@pytest.mark.parametrize(
    ("value", "target", "comparison", "trend", "expected"),
    [
        (91.0, 90, ">=", "down", measures.MET),
        (80.0, 90, ">=", "up", measures.ON_TRACK),
        (80.0, 90, ">=", "flat", measures.BEHIND),
        (-60.0, -50, "<=", "flat", measures.MET),
        (-20.0, -50, "<=", "down", measures.ON_TRACK),
        (-20.0, -50, "<=", "up", measures.BEHIND),
        (None, 90, ">=", "up", measures.NO_DATA),
    ],
)
def test_status_against_the_target(value, target, comparison, trend, expected) -> None:
    assert measures.status(value, target, comparison, trend) == expected


def test_direction_skips_missing_periods() -> None:
    assert measures.direction([50.0, None, 60.0, None]) == measures.UP
    assert measures.direction([60.0, 50.0]) == measures.DOWN
    assert measures.direction([60.0, 60.02]) == measures.FLAT
    assert measures.direction([None, 60.0]) == measures.FLAT


def test_bars_scale_to_the_largest_magnitude() -> None:
    bars = measures.bars([50.0, None, 100.0, -25.0, 0.0])
    assert [b.height for b in bars] == [50.0, 0.0, 100.0, 25.0, 2.0]
    assert [b.current for b in bars] == [False, False, False, False, True]
    assert bars[2].y == 0
