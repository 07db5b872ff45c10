"""The cadence engine: slots per frequency, working days, time zones, overdue."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given
from hypothesis import strategies as st

from bellwether.communications import cadence

D = dt.date


def test_daily_slots_are_the_working_days_only() -> None:
    slots = cadence.period_slots("daily", D(2026, 3, 2), D(2026, 3, 8))  # Mon..Sun
    assert [s.start for s in slots] == [D(2026, 3, d) for d in range(2, 7)]


def test_daily_slots_follow_the_organisations_working_days() -> None:
    # A Sunday-to-Thursday week.
    slots = cadence.period_slots(
        "daily", D(2026, 3, 1), D(2026, 3, 7), working_days={6, 0, 1, 2, 3}
    )
    assert [s.start.weekday() for s in slots] == [6, 0, 1, 2, 3]


def test_weekly_slot_is_due_on_the_last_working_day() -> None:
    (slot,) = cadence.period_slots("weekly", D(2026, 3, 4), D(2026, 3, 4))
    assert (slot.start, slot.end, slot.due) == (D(2026, 3, 2), D(2026, 3, 8), D(2026, 3, 6))


def test_monthly_quarterly_annual_periods() -> None:
    assert cadence.period_of("monthly", D(2026, 2, 14)) == (D(2026, 2, 1), D(2026, 2, 28))
    assert cadence.period_of("quarterly", D(2026, 11, 3)) == (D(2026, 10, 1), D(2026, 12, 31))
    assert cadence.period_of("annual", D(2026, 6, 1)) == (D(2026, 1, 1), D(2026, 12, 31))
    # 31 May 2026 is a Sunday: the month's slot is due on Friday 29 May.
    (may,) = cadence.period_slots("monthly", D(2026, 5, 10), D(2026, 5, 10))
    assert may.due == D(2026, 5, 29)


def test_fortnights_are_anchored_the_same_for_everyone() -> None:
    first = cadence.period_of("biweekly", D(2026, 1, 7))
    assert (first[1] - first[0]).days == 13
    assert first[0].weekday() == 0
    assert cadence.period_of("biweekly", first[1]) == first


def test_regular_and_continuous_cadences_owe_no_slot() -> None:
    rows = cadence.expected_slots(
        [("a", "regular"), ("b", "continuous"), ("c", "monthly")], D(2026, 1, 1), D(2026, 3, 31)
    )
    assert {key for key, _ in rows} == {"c"}
    assert len(rows) == 3


def test_a_day_off_delivery_counts_for_the_next_working_day() -> None:
    assert cadence.slot_start_for("daily", D(2026, 3, 7)) == D(2026, 3, 9)  # Sat -> Mon
    assert cadence.slot_start_for("weekly", D(2026, 3, 7)) == D(2026, 3, 2)


def test_local_date_uses_the_organisations_time_zone() -> None:
    moment = dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.UTC)
    assert cadence.local_date(moment, "UTC") == D(2026, 3, 2)
    assert cadence.local_date(moment, "Asia/Tokyo") == D(2026, 3, 3)
    assert cadence.local_date(moment, "America/New_York") == D(2026, 3, 2)


def test_statuses_delivered_overdue_due_upcoming() -> None:
    rows = cadence.slot_statuses(
        [("w", "weekly")],
        D(2026, 3, 2),
        D(2026, 3, 29),
        delivered={"w": {D(2026, 3, 9)}},
        today=D(2026, 3, 18),
    )
    assert [r.status for r in rows] == ["overdue", "delivered", "due", "upcoming"]


def _rhythm(
    frequency: str, done: set[dt.date], start: dt.date, end: dt.date, today: dt.date
) -> cadence.Rhythm:
    """What the database counts, done in Python: distinct delivered slot starts in the
    window, and those up to the last closed slot."""
    spans = cadence.windows(start, end, today=today)
    if frequency not in spans:
        return cadence.Rhythm(0, 0, 0)
    span = spans[frequency]
    hits = {d for d in done if span.first_start <= d <= span.last_start}
    closed = {d for d in hits if span.closed_until and d <= span.closed_until}
    return cadence.rhythm_from_counts({"k": span}, {"k": (len(hits), len(closed))})


def test_rhythm_counts_closed_slots_and_delivered_open_ones() -> None:
    start, end, today = D(2026, 3, 1), D(2026, 3, 31), D(2026, 3, 18)
    # Weeks due in March: Fri 6, 13, 20, 27; closed by the 18th: 6 and 13.
    weekly = _rhythm("weekly", {D(2026, 3, 2), D(2026, 3, 16)}, start, end, today)
    assert weekly == cadence.Rhythm(delivered=2, expected=3, overdue=1)
    assert _rhythm("weekly", set(), start, end, today) == cadence.Rhythm(0, 2, 2)
    assert _rhythm("weekly", set(), start, end, today).share == 0.0
    # The month is due on the 31st: open, so only a delivery counts it.
    assert _rhythm("monthly", {D(2026, 3, 1)}, start, end, today) == cadence.Rhythm(1, 1, 0)
    assert _rhythm("monthly", set(), start, end, today).share is None


frequencies = st.sampled_from(cadence.FREQUENCIES)
days = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))
working = st.sets(st.integers(0, 6), min_size=1)


@given(frequencies, days, st.integers(0, 400), working)
def test_slots_tile_the_range_without_gaps_or_overlap(
    frequency: str, start: dt.date, length: int, work: set[int]
) -> None:
    end = start + dt.timedelta(days=length)
    slots = cadence.period_slots(frequency, start, end, working_days=work)
    for before, after in itertools.pairwise(slots):
        assert before.end < after.start
        if frequency != "daily":
            assert after.start == before.end + dt.timedelta(days=1)
    for slot in slots:
        assert slot.start <= slot.due <= slot.end
        assert slot.end >= start
        assert slot.start <= end
    if frequency != "daily":
        assert slots[0].start <= start
        assert slots[-1].end >= end


@given(frequencies, days, working)
def test_a_delivery_fulfils_exactly_one_slot_of_its_period(
    frequency: str, day: dt.date, work: set[int]
) -> None:
    start = cadence.slot_start_for(frequency, day, working_days=work)
    slots = cadence.period_slots(
        frequency, start - dt.timedelta(days=400), start + dt.timedelta(days=400), working_days=work
    )
    assert sum(1 for s in slots if s.start == start) == 1


@given(frequencies, st.sets(days, max_size=40), days, st.integers(0, 200), st.integers(-30, 230))
def test_window_counts_agree_with_the_slot_statuses(
    frequency: str, delivered_days: set[dt.date], start: dt.date, length: int, offset: int
) -> None:
    end = start + dt.timedelta(days=length)
    today = start + dt.timedelta(days=offset)
    starts = {cadence.slot_start_for(frequency, d) for d in delivered_days}
    result = _rhythm(frequency, starts, start, end, today)
    statuses = cadence.slot_statuses(
        [("k", frequency)], start, end, delivered={"k": starts}, today=today
    )
    due = [s for s in statuses if start <= s.slot.due <= end]
    delivered = sum(1 for s in due if s.status == "delivered")
    overdue = sum(1 for s in due if s.status == "overdue")
    assert result == cadence.Rhythm(delivered, delivered + overdue, overdue)
