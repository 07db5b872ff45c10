"""Consistency: how regularly a leader shows the fifteen behaviours of §3.3. Plain Python.

A check-in is one day's ticks; each behaviour counts in its own periods (a day, an ISO
week from Monday, a calendar month). Within a window of periods the score is an
**exponentially weighted share of periods done**, as habit trackers keep it::

    w(a)  = 0.5 ** (a / h)          a: the period's age (0 = the current period),
                                    h: the half-life in periods (catalogue)
    score = 100 · Σ w(a)·done(a) / Σ w(a)

summed over the periods from the leader's first check-in (or the window's start, when
later) to today. The current period counts only once it is done: not having ticked
today's behaviours yet costs nothing, ticking them counts at once. So a streak keeps the
score near 100, one miss costs a little (a daily miss after a long streak costs about
1 - 0.5^(1/7) ≈ 9 points) and the score recovers as the miss ages.

A *frequency* score pools its five behaviours (the sums above over all five), and the
**overall** score is the mean of the daily, weekly and monthly scores (a frequency none
of whose periods has closed yet, such as the monthly one in a leader's first month, is
left out). A leader **demonstrates daily AI leadership behaviours** (KPI 2) when their
*daily* score computed over the last ``demonstrates_window_days`` is at least
``demonstrates_threshold`` (catalogue): with 28 days and 60, on a typical recent day
they showed three of the five daily behaviours. The KPI speaks of daily behaviours, so
the weekly and monthly ones (which the overall score includes) do not decide it.

The weights are computed here once per day (``day_weights``), so the database can add
them up over millions of check-ins (``behaviours/selectors.py``) with the same result
as ``person_consistency`` computes for one leader in Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bellwether.framework.catalogue import BEHAVIOUR_CONSISTENCY, ConsistencyRules
from bellwether.framework.catalogue.behaviours import BEHAVIOURS, Behaviour

FREQUENCIES = ("daily", "weekly", "monthly")
KEYS: tuple[str, ...] = tuple(b.key for b in BEHAVIOURS)
BIT: dict[str, int] = {key: 1 << i for i, key in enumerate(KEYS)}
MASKS: dict[str, int] = {
    f: sum(BIT[b.key] for b in BEHAVIOURS if b.frequency == f) for f in FREQUENCIES
}
ALL_MASK = sum(BIT.values())
PER_FREQUENCY = {f: sum(1 for b in BEHAVIOURS if b.frequency == f) for f in FREQUENCIES}

FORMULA = (
    "score = 100 × Σ w(a)·done(a) / Σ w(a), w(a) = 0.5^(a/h): a is a period's age "
    "(0 = this day, week or month), h the half-life ({daily} days, {weekly} weeks, "
    "{monthly} months). Periods count from your first check-in, at most {lookback} days "
    "back; this period counts once done. Overall = mean of the daily, weekly and monthly "
    "scores. Demonstrating daily AI leadership behaviours: the daily score over the last "
    "{window} days is at least {threshold}."
)


def formula_text(rules: ConsistencyRules = BEHAVIOUR_CONSISTENCY) -> str:
    return FORMULA.format(
        daily=f"{rules.half_life_days:g}",
        weekly=f"{rules.half_life_weeks:g}",
        monthly=f"{rules.half_life_months:g}",
        lookback=rules.lookback_days,
        window=rules.demonstrates_window_days,
        threshold=f"{rules.demonstrates_threshold:g}",
    )


# --- ticks as a bit mask -------------------------------------------------------------------


def mask_of(keys: Iterable[str]) -> int:
    """The bit mask of behaviour keys; ``KeyError`` for a key that is not a behaviour."""
    mask = 0
    for key in keys:
        mask |= BIT[key]
    return mask


def keys_of(mask: int) -> list[str]:
    return [key for key in KEYS if mask & BIT[key]]


def counts(mask: int) -> dict[str, int]:
    """How many behaviours of each frequency the mask ticks."""
    return {f: (mask & MASKS[f]).bit_count() for f in FREQUENCIES}


# --- periods and weights -------------------------------------------------------------------


def period_index(day: dt.date, frequency: str) -> int:
    """A number per period, consecutive: days, ISO weeks (Monday first), months."""
    if frequency == "daily":
        return day.toordinal()
    if frequency == "weekly":
        return (day.toordinal() - 1) // 7  # 0001-01-01 is a Monday
    if frequency == "monthly":
        return day.year * 12 + day.month - 1
    raise ValueError(f"unknown frequency {frequency!r}")


def period_start(day: dt.date, frequency: str) -> dt.date:
    if frequency == "daily":
        return day
    if frequency == "weekly":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def weight(age: int, half_life: float) -> float:
    return float(0.5 ** (age / half_life))


def window_start(as_of: dt.date, window_days: int) -> dt.date:
    return as_of - dt.timedelta(days=window_days - 1)


@dataclass(frozen=True, slots=True)
class DayWeight:
    """What one day's check-in adds: ``weight[f]`` per ticked behaviour of frequency ``f``
    to the numerator; ``open[f]`` is 1 when the day is in the current period of ``f``
    (a ticked behaviour then adds 1 to the denominator too)."""

    day: dt.date
    weight: Mapping[str, float]
    open: Mapping[str, int]


@lru_cache(maxsize=64)
def day_weights(
    as_of: dt.date, window_days: int, rules: ConsistencyRules = BEHAVIOUR_CONSISTENCY
) -> tuple[DayWeight, ...]:
    """Every day that can count towards a score on ``as_of``: from the start of the month
    of the window's first day to ``as_of``. A day whose period of ``f`` starts before the
    window's first period of ``f`` weighs 0 for ``f``."""
    first = window_start(as_of, window_days)
    day = period_start(first, "monthly")
    current = {f: period_index(as_of, f) for f in FREQUENCIES}
    earliest = {f: period_index(first, f) for f in FREQUENCIES}
    days = []
    while day <= as_of:
        weights: dict[str, float] = {}
        opens: dict[str, int] = {}
        for f in FREQUENCIES:
            p = period_index(day, f)
            weights[f] = weight(current[f] - p, rules.half_life(f)) if p >= earliest[f] else 0.0
            opens[f] = int(p == current[f])
        days.append(DayWeight(day, weights, opens))
        day += dt.timedelta(days=1)
    return tuple(days)


@lru_cache(maxsize=4096)
def closed_weight(
    first_day: dt.date,
    as_of: dt.date,
    frequency: str,
    window_days: int,
    rules: ConsistencyRules = BEHAVIOUR_CONSISTENCY,
) -> float:
    """Σ w(a) over the closed periods (a ≥ 1) from the leader's first period (or the
    window's, when later) to the one before the current: the denominator of one
    behaviour, before the current period is added."""
    current = period_index(as_of, frequency)
    start = max(
        period_index(first_day, frequency),
        period_index(window_start(as_of, window_days), frequency),
    )
    h = rules.half_life(frequency)
    return sum(weight(current - p, h) for p in range(start, current))


def ratio(numerator: float, denominator: float) -> float | None:
    """The score 0-100, or None when no period is due yet."""
    if denominator <= 0:
        return None
    # Rounded: sums in a different order (the database) must give the same score.
    return round(max(0.0, min(100.0, 100.0 * numerator / denominator)), 6)


def frequency_score(
    *,
    numerator: float,
    open_done: float,
    first_day: dt.date,
    as_of: dt.date,
    frequency: str,
    window_days: int,
    behaviours: int | None = None,
    rules: ConsistencyRules = BEHAVIOUR_CONSISTENCY,
) -> float | None:
    """The pooled score of ``behaviours`` behaviours of one frequency (all five unless
    told): ``numerator`` = Σ w·ticks, ``open_done`` = ticks in the current period."""
    count = PER_FREQUENCY[frequency] if behaviours is None else behaviours
    denominator = count * closed_weight(first_day, as_of, frequency, window_days, rules)
    return ratio(numerator, denominator + open_done)


def overall(scores: Mapping[str, float | None]) -> float:
    """The mean of the frequency scores that are due; 0 when none is."""
    due = [s for s in scores.values() if s is not None]
    return sum(due) / len(due) if due else 0.0


@dataclass(frozen=True, slots=True)
class Sums:
    """Per frequency: Σ w·ticks and the ticks of the current period (what SQL adds up)."""

    numerator: dict[str, float]
    open_done: dict[str, float]


def sums(rows: Iterable[tuple[dt.date, int]], weights: Sequence[DayWeight], mask: int) -> Sums:
    """The sums over check-ins ``(day, ticks)`` of the behaviours in ``mask``."""
    by_day = {w.day: w for w in weights}
    numerator = dict.fromkeys(FREQUENCIES, 0.0)
    open_done = dict.fromkeys(FREQUENCIES, 0.0)
    for day, ticks in rows:
        w = by_day.get(day)
        if w is None:
            continue
        for f, n in counts(ticks & mask).items():
            numerator[f] += n * w.weight[f]
            open_done[f] += n * w.open[f]
    return Sums(numerator, open_done)


def overall_from_sums(
    s: Sums,
    *,
    first_day: dt.date,
    as_of: dt.date,
    window_days: int,
    rules: ConsistencyRules = BEHAVIOUR_CONSISTENCY,
) -> tuple[float, dict[str, float | None]]:
    scores = {
        f: frequency_score(
            numerator=s.numerator[f],
            open_done=s.open_done[f],
            first_day=first_day,
            as_of=as_of,
            frequency=f,
            window_days=window_days,
            rules=rules,
        )
        for f in FREQUENCIES
    }
    return overall(scores), scores


# --- one leader ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BehaviourScore:
    behaviour: Behaviour
    score: float | None  # None: no period of it is due yet
    streak: int  # consecutive periods done, ending with the current or the last closed one
    done_now: bool  # done in the current period


@dataclass(frozen=True, slots=True)
class Consistency:
    overall: float
    by_frequency: dict[str, float | None]
    behaviours: tuple[BehaviourScore, ...]


def _streak(done_periods: set[int], current: int) -> int:
    p = current if current in done_periods else current - 1
    streak = 0
    while p in done_periods:
        streak += 1
        p -= 1
    return streak


def person_consistency(
    rows: Sequence[tuple[dt.date, int]],
    *,
    as_of: dt.date,
    window_days: int | None = None,
    rules: ConsistencyRules = BEHAVIOUR_CONSISTENCY,
) -> Consistency:
    """One leader's scores from their check-ins ``(day, ticks)`` (later days ignored)."""
    window = window_days or rules.lookback_days
    rows = [(day, ticks) for day, ticks in rows if day <= as_of]
    if not rows:
        empty = tuple(BehaviourScore(b, None, 0, False) for b in BEHAVIOURS)
        return Consistency(0.0, dict.fromkeys(FREQUENCIES), empty)
    first_day = min(day for day, _ in rows)
    weights = day_weights(as_of, window, rules)
    total, by_frequency = overall_from_sums(
        sums(rows, weights, ALL_MASK), first_day=first_day, as_of=as_of, window_days=window
    )
    scores = []
    for b in BEHAVIOURS:
        s = sums(rows, weights, BIT[b.key])
        current = period_index(as_of, b.frequency)
        done = {period_index(day, b.frequency) for day, ticks in rows if ticks & BIT[b.key]}
        scores.append(
            BehaviourScore(
                behaviour=b,
                score=frequency_score(
                    numerator=s.numerator[b.frequency],
                    open_done=s.open_done[b.frequency],
                    first_day=first_day,
                    as_of=as_of,
                    frequency=b.frequency,
                    window_days=window,
                    behaviours=1,
                    rules=rules,
                ),
                streak=_streak(done, current),
                done_now=current in done,
            )
        )
    return Consistency(total, by_frequency, tuple(scores))


def demonstrates(
    daily_score: float | None, rules: ConsistencyRules = BEHAVIOUR_CONSISTENCY
) -> bool:
    """KPI 2, given the daily score over the last ``demonstrates_window_days``."""
    return daily_score is not None and daily_score >= rules.demonstrates_threshold
