"""The 12-week programme's calendar, plain Python: which week and phase a day falls in,
when a milestone is due, and whether a coachee is off track.

A programme starts on a day; week 1 is that day and the six after it. The phases come
from the catalogue (weeks 1–2 assess and plan, 3–8 skill development, 9–12 application
and integration). A coachee is *off track* when no session has been held for the
catalogue's number of weeks (counted from the start until the first session), or when
a milestone's week has passed and it is not done.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar


class Phase(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def first_week(self) -> int: ...
    @property
    def last_week(self) -> int: ...


P = TypeVar("P", bound=Phase)


def week_of(start: date, day: date) -> int:
    """The programme week ``day`` falls in: 1 for the first seven days; 0 before the
    start; past the last week it keeps counting (13, 14 …)."""
    if day < start:
        return 0
    return (day - start).days // 7 + 1


def phase_for(week: int, phases: Sequence[P]) -> P | None:
    """The phase holding ``week``; None before the start and after the last week."""
    for phase in phases:
        if phase.first_week <= week <= phase.last_week:
            return phase
    return None


def week_end(start: date, week: int) -> date:
    """The last day of programme week ``week``."""
    return start + timedelta(days=7 * week - 1)


def phase_end(start: date, phase: Phase) -> date:
    return week_end(start, phase.last_week)


def end_date(start: date, weeks: int) -> date:
    return week_end(start, weeks)


@dataclass(frozen=True)
class MilestoneState:
    due_week: int
    done: bool


@dataclass(frozen=True)
class OffTrack:
    """Why a coachee is off track (both reasons may hold); falsy when on track."""

    days_without_session: int | None = None
    late_milestones: int = 0

    def __bool__(self) -> bool:
        return self.days_without_session is not None or self.late_milestones > 0

    @property
    def reasons(self) -> list[str]:
        out: list[str] = []
        if self.days_without_session is not None:
            out.append(f"no session for {self.days_without_session} days")
        if self.late_milestones:
            plural = "s" if self.late_milestones != 1 else ""
            out.append(f"{self.late_milestones} milestone{plural} late")
        return out


def off_track(
    *,
    today: date,
    start: date,
    weeks: int,
    last_session: date | None,
    milestones: Iterable[MilestoneState],
    weeks_without_session: int,
) -> OffTrack:
    """Whether a running programme is off track on ``today``. A programme not started
    yet, or finished, is never off track."""
    if today < start or today > end_date(start, weeks):
        return OffTrack()
    since = last_session if last_session is not None and last_session <= today else start
    idle = (today - since).days
    late = sum(1 for m in milestones if not m.done and week_end(start, m.due_week) < today)
    return OffTrack(
        days_without_session=idle if idle >= 7 * weeks_without_session else None,
        late_milestones=late,
    )


def needs_decision(carries: int, limit: int) -> bool:
    """An open action item carried ``limit`` times waits for the coach's decision."""
    return carries >= limit
