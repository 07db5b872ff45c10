"""The cadence engine: which communication slots a leader owes in a date range, and which
of them are delivered, due, overdue or still to come. Plain Python (no Django).

A *slot* is one occurrence of a cadence: a period (a working day, an ISO week, a
fortnight, a calendar month, quarter or year) and the day it is due, the last working
day of the period. A delivery fulfils the slot of its cadence whose period holds the
delivery's local date (the organisation's time zone); a daily delivery on a day off counts
for the next working day. A slot is *overdue* once its due day has passed with no delivery.

Slots depend only on the cadence's frequency, the range and the working days, never on
the leader, so ``windows`` is computed once per frequency and shared by every leader of an
organisation: the status of 5,000 leaders is one count per leader and cadence that the
database does (``rhythm_from_counts``), not 5,000 calendars.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

FREQUENCIES = ("daily", "weekly", "biweekly", "monthly", "quarterly", "annual")
WEEKDAYS = frozenset(range(5))  # Monday to Friday
# Fortnights are counted from this Monday, the same for every organisation.
FORTNIGHT_ANCHOR = dt.date(2024, 1, 1)

DELIVERED = "delivered"
OVERDUE = "overdue"
DUE = "due"
UPCOMING = "upcoming"


@dataclass(frozen=True, slots=True)
class Slot:
    """One occurrence of a cadence: the period ``start``–``end`` (calendar days) and the
    day it is ``due`` (the period's last working day)."""

    frequency: str
    start: dt.date
    end: dt.date
    due: dt.date


@dataclass(frozen=True, slots=True)
class SlotStatus:
    cadence_key: str
    slot: Slot
    status: str


def _check(frequency: str) -> None:
    if frequency not in FREQUENCIES:
        raise ValueError(f"{frequency!r} has no fixed interval; give one of {FREQUENCIES}")


def local_date(moment: dt.datetime, time_zone: str) -> dt.date:
    """The calendar day ``moment`` (aware) falls on in ``time_zone``."""
    if moment.tzinfo is None:
        raise ValueError("give an aware datetime")
    return moment.astimezone(ZoneInfo(time_zone)).date()


def _next_working_day(day: dt.date, working: Collection[int]) -> dt.date:
    for _ in range(7):
        if day.weekday() in working:
            return day
        day += dt.timedelta(days=1)
    raise ValueError("an organisation needs at least one working day a week")


def _last_working_day(start: dt.date, end: dt.date, working: Collection[int]) -> dt.date:
    day = end
    while day >= start:
        if day.weekday() in working:
            return day
        day -= dt.timedelta(days=1)
    return end  # a period with no working day (a fortnight cannot be one): due at its end


def period_of(frequency: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar period of ``frequency`` that holds ``day`` (first and last day)."""
    _check(frequency)
    if frequency == "daily":
        return day, day
    if frequency == "weekly":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    if frequency == "biweekly":
        offset = (day - FORTNIGHT_ANCHOR).days % 14
        start = day - dt.timedelta(days=offset)
        return start, start + dt.timedelta(days=13)
    if frequency == "monthly":
        start = day.replace(day=1)
        following = (start + dt.timedelta(days=32)).replace(day=1)
        return start, following - dt.timedelta(days=1)
    if frequency == "quarterly":
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = dt.date(day.year, first_month, 1)
        following = (
            dt.date(day.year + 1, 1, 1)
            if first_month == 10
            else dt.date(day.year, first_month + 3, 1)
        )
        return start, following - dt.timedelta(days=1)
    return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)


def slot_start_for(
    frequency: str, day: dt.date, *, working_days: Collection[int] = WEEKDAYS
) -> dt.date:
    """The first day of the slot a delivery on ``day`` fulfils (stored with the delivery).
    A daily delivery on a day off counts for the next working day."""
    if frequency == "daily":
        return _next_working_day(day, working_days)
    return period_of(frequency, day)[0]


def _slot(frequency: str, start: dt.date, end: dt.date, working: Collection[int]) -> Slot:
    return Slot(frequency, start, end, _last_working_day(start, end, working))


def period_slots(
    frequency: str,
    start: dt.date,
    end: dt.date,
    *,
    working_days: Collection[int] = WEEKDAYS,
) -> tuple[Slot, ...]:
    """Every slot of ``frequency`` whose period overlaps ``start``–``end``, in order.
    Daily slots are the working days only."""
    return _period_slots(frequency, start, end, frozenset(working_days))


@lru_cache(maxsize=256)
def _period_slots(
    frequency: str, start: dt.date, end: dt.date, working: frozenset[int]
) -> tuple[Slot, ...]:
    _check(frequency)
    if end < start:
        return ()
    if not working:
        raise ValueError("an organisation needs at least one working day a week")
    slots = []
    if frequency == "daily":
        day = start
        while day <= end:
            if day.weekday() in working:
                slots.append(Slot(frequency, day, day, day))
            day += dt.timedelta(days=1)
        return tuple(slots)
    first, last = period_of(frequency, start)
    while first <= end:
        slots.append(_slot(frequency, first, last, working))
        first, last = period_of(frequency, last + dt.timedelta(days=1))
    return tuple(slots)


def expected_slots(
    cadences: Iterable[tuple[str, str]],
    start: dt.date,
    end: dt.date,
    *,
    working_days: Collection[int] = WEEKDAYS,
) -> list[tuple[str, Slot]]:
    """``(cadence_key, slot)`` for every cadence with a fixed interval (``regular`` and
    ``continuous`` ones owe no slot), in due-date order."""
    rows = [
        (key, slot)
        for key, frequency in cadences
        if frequency in FREQUENCIES
        for slot in period_slots(frequency, start, end, working_days=working_days)
    ]
    rows.sort(key=lambda row: (row[1].due, row[0]))
    return rows


def status_of(slot: Slot, *, delivered: bool, today: dt.date) -> str:
    if delivered:
        return DELIVERED
    if slot.due < today:
        return OVERDUE
    if slot.start <= today:
        return DUE
    return UPCOMING


def slot_statuses(
    cadences: Iterable[tuple[str, str]],
    start: dt.date,
    end: dt.date,
    *,
    delivered: Mapping[str, Collection[dt.date]],
    today: dt.date,
    working_days: Collection[int] = WEEKDAYS,
) -> list[SlotStatus]:
    """Each expected slot with its status; ``delivered`` maps a cadence key to the slot
    starts its deliveries fulfilled (``slot_start_for``)."""
    return [
        SlotStatus(
            key, slot, status_of(slot, delivered=slot.start in delivered.get(key, ()), today=today)
        )
        for key, slot in expected_slots(cadences, start, end, working_days=working_days)
    ]


@dataclass(frozen=True, slots=True)
class Rhythm:
    """A leader's record over a range: slots delivered, slots expected (closed ones, plus
    open ones already delivered), and how many are overdue."""

    delivered: int
    expected: int
    overdue: int

    @property
    def share(self) -> float | None:
        return self.delivered / self.expected if self.expected else None


@dataclass(frozen=True, slots=True)
class Window:
    """The slots of one frequency due in a range, as the database can count them: their
    starts run from ``first_start`` to ``last_start`` (slots tile the calendar, so a
    delivery's slot start in that span is a hit) and the closed ones (due before today)
    are those starting up to ``closed_until``."""

    first_start: dt.date
    last_start: dt.date
    closed_until: dt.date | None
    slots: int
    closed: int


def windows(
    start: dt.date,
    end: dt.date,
    *,
    today: dt.date,
    working_days: Collection[int] = WEEKDAYS,
) -> dict[str, Window]:
    """Per frequency, the ``Window`` of its slots due in ``start``–``end`` (frequencies
    with no slot due there are left out)."""
    out = {}
    for frequency in FREQUENCIES:
        slots = [
            s
            for s in period_slots(frequency, start, end, working_days=working_days)
            if start <= s.due <= end
        ]
        if not slots:
            continue
        closed = [s for s in slots if s.due < today]
        out[frequency] = Window(
            slots[0].start,
            slots[-1].start,
            closed[-1].start if closed else None,
            len(slots),
            len(closed),
        )
    return out


def rhythm_from_counts(
    windows_by_key: Mapping[str, Window], hits: Mapping[str, tuple[int, int]]
) -> Rhythm:
    """A leader's rhythm from their cadences' windows and, per cadence key, the number of
    distinct slots delivered in the window and how many of them are closed."""
    delivered = expected = overdue = 0
    for key, window in windows_by_key.items():
        hit, closed_hit = hits.get(key, (0, 0))
        delivered += hit
        expected += window.closed + hit - closed_hit
        overdue += window.closed - closed_hit
    return Rhythm(delivered, expected, overdue)
