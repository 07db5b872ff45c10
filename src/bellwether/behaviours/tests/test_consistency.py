"""The consistency score (plain Python): streaks rewarded, a miss forgiven, the SQL-shaped
sums equal to the per-leader computation."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from bellwether.behaviours import consistency as c
from bellwether.framework.catalogue import BEHAVIOUR_CONSISTENCY as RULES

AS_OF = dt.date(2026, 6, 17)  # a Wednesday
DAILY = c.MASKS["daily"]


def _days(n: int, *, end: dt.date = AS_OF) -> list[dt.date]:
    return [end - dt.timedelta(days=i) for i in range(n)]


def test_every_day_done_scores_100_and_nothing_done_scores_0() -> None:
    perfect = c.person_consistency([(d, DAILY) for d in _days(60)], as_of=AS_OF)
    assert perfect.by_frequency["daily"] == 100.0
    nothing = c.person_consistency([(d, 0) for d in _days(60)], as_of=AS_OF)
    assert nothing.by_frequency["daily"] == 0.0
    assert nothing.overall == 0.0


def test_one_miss_after_a_streak_costs_a_little_and_is_forgiven_as_it_ages() -> None:
    rows = [(d, DAILY) for d in _days(60)]
    yesterday = AS_OF - dt.timedelta(days=1)
    missed = [(d, 0 if d == yesterday else m) for d, m in rows]
    score = c.person_consistency(missed, as_of=AS_OF).by_frequency["daily"]
    assert score is not None
    assert 85 < score < 95
    later = [*missed, *[(AS_OF + dt.timedelta(days=i), DAILY) for i in range(1, 15)]]
    aged = c.person_consistency(later, as_of=AS_OF + dt.timedelta(days=14)).by_frequency["daily"]
    assert aged is not None
    assert aged > score


def test_not_yet_ticking_today_costs_nothing() -> None:
    rows = [(d, DAILY) for d in _days(30) if d != AS_OF]
    assert c.person_consistency(rows, as_of=AS_OF).by_frequency["daily"] == 100.0


def test_a_frequency_with_no_closed_period_is_left_out_of_the_overall() -> None:
    # First check-in today (a Wednesday, mid-month), daily ticks only.
    result = c.person_consistency([(AS_OF, DAILY)], as_of=AS_OF)
    assert result.by_frequency == {"daily": 100.0, "weekly": None, "monthly": None}
    assert result.overall == 100.0


def test_streaks_count_consecutive_periods() -> None:
    key = c.KEYS[0]
    rows = [(d, c.BIT[key]) for d in _days(5)] + [(AS_OF - dt.timedelta(days=7), c.BIT[key])]
    score = next(
        b for b in c.person_consistency(rows, as_of=AS_OF).behaviours if b.behaviour.key == key
    )
    assert score.streak == 5
    assert score.done_now


def test_the_formula_names_the_half_lives() -> None:
    text = c.formula_text()
    assert f"{RULES.half_life_days:g} days" in text
    assert "0.5^(a/h)" in text


def test_masks_round_trip() -> None:
    keys = [c.KEYS[0], c.KEYS[7], c.KEYS[14]]
    mask = c.mask_of(keys)
    assert c.keys_of(mask) == keys
    assert c.counts(mask) == {"daily": 1, "weekly": 1, "monthly": 1}


history = st.lists(
    st.tuples(st.integers(min_value=0, max_value=120), st.integers(0, c.ALL_MASK)),
    min_size=1,
    max_size=60,
    unique_by=lambda t: t[0],
)


def _rows(h: list[tuple[int, int]]) -> list[tuple[dt.date, int]]:
    return [(AS_OF - dt.timedelta(days=age), mask) for age, mask in h]


@given(history)
def test_scores_stay_between_0_and_100(h: list[tuple[int, int]]) -> None:
    result = c.person_consistency(_rows(h), as_of=AS_OF)
    assert 0.0 <= result.overall <= 100.0
    for b in result.behaviours:
        assert b.score is None or 0.0 <= b.score <= 100.0


@given(history, st.integers(0, 120), st.sampled_from(c.KEYS))
def test_ticking_one_more_behaviour_never_lowers_its_score(
    h: list[tuple[int, int]], age: int, key: str
) -> None:
    rows = dict(_rows(h))
    day = AS_OF - dt.timedelta(days=age)
    before = c.person_consistency(sorted(rows.items()), as_of=AS_OF)
    first_before = min(rows)
    rows[day] = rows.get(day, 0) | c.BIT[key]
    if min(rows) != first_before:
        return  # an earlier first check-in changes the window itself
    after = c.person_consistency(sorted(rows.items()), as_of=AS_OF)
    b_before = next(b for b in before.behaviours if b.behaviour.key == key)
    b_after = next(b for b in after.behaviours if b.behaviour.key == key)
    assert (b_after.score or 0.0) >= (b_before.score or 0.0) - 1e-9


@given(history)
def test_the_sql_shaped_sums_give_the_same_overall(h: list[tuple[int, int]]) -> None:
    rows = _rows(h)
    weights = c.day_weights(AS_OF, RULES.lookback_days)
    # What the database adds up: per-day counts times the day's weights.
    by_day = {w.day: w for w in weights}
    numerator = dict.fromkeys(c.FREQUENCIES, 0.0)
    open_done = dict.fromkeys(c.FREQUENCIES, 0.0)
    for day, mask in rows:
        for f, n in c.counts(mask).items():
            numerator[f] += n * by_day[day].weight[f]
            open_done[f] += n * by_day[day].open[f]
    total, _ = c.overall_from_sums(
        c.Sums(numerator, open_done),
        first_day=min(d for d, _ in rows),
        as_of=AS_OF,
        window_days=RULES.lookback_days,
    )
    assert abs(total - c.person_consistency(rows, as_of=AS_OF).overall) < 1e-5
