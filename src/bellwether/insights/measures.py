"""A KPI's figure for one period and how it stands against its target.

Pure: no Django. Sources (``sources.py``) compute the numerator and denominator; this
module turns them into the value, the status and the trend the dashboard shows, the
same way for every KPI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

MET = "met"
ON_TRACK = "on_track"
BEHIND = "behind"
NO_DATA = "no_data"
STATUS_LABELS = {
    MET: "Target met",
    ON_TRACK: "Improving",
    BEHIND: "Behind target",
    NO_DATA: "No data",
}
UP = "up"
DOWN = "down"
FLAT = "flat"


@dataclass(frozen=True)
class Definition:
    """What a figure is, in words: shown beside it on the dashboard and in exports."""

    numerator: str
    denominator: str
    source: str
    period: str


@dataclass(frozen=True)
class Figure:
    """A source's answer: ``value`` in the KPI's unit, or None with the ``reason``."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    reason: str = ""
    # Where the figure comes from when it is anonymous data (a released pulse).
    note: str = ""


@dataclass(frozen=True)
class Measure:
    key: str
    name: str
    primary: bool
    unit: str
    target_text: str
    target_value: float
    comparison: str
    figure: Figure
    status: str
    trend: str
    history: tuple[float | None, ...] = field(default=())
    definition: Definition | None = None
    # Where the target comes from: "set by admin", "agreed at … on …", "framework default".
    target_source: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def bars(self) -> list[Bar]:
        return bars(self.history)


def percent(numerator: int, denominator: int) -> Figure:
    """A share as a percentage with one decimal, or no data for an empty denominator."""
    if denominator <= 0:
        return Figure(None, numerator, denominator, "Nobody is counted in this period.")
    return Figure(round(100.0 * numerator / denominator, 1), numerator, denominator)


def meets(value: float, target: float, comparison: str) -> bool:
    return value >= target if comparison == ">=" else value <= target


def direction(history: Sequence[float | None]) -> str:
    """Up, down or flat between the last two periods that have a value."""
    known = [v for v in history if v is not None]
    if len(known) < 2 or abs(known[-1] - known[-2]) < 0.05:
        return FLAT
    return UP if known[-1] > known[-2] else DOWN


def status(value: float | None, target: float, comparison: str, trend: str) -> str:
    """Met when the target is met; improving when it moves toward it; else behind."""
    if value is None:
        return NO_DATA
    if meets(value, target, comparison):
        return MET
    toward = UP if comparison == ">=" else DOWN
    return ON_TRACK if trend == toward else BEHIND


@dataclass(frozen=True)
class Bar:
    """One period of a sparkline, in a 0–100 high box: SVG attributes, not styles (the
    content security policy allows no inline style)."""

    x: int
    height: float
    value: float | None
    current: bool

    @property
    def y(self) -> float:
        return 100 - self.height


def bars(history: Sequence[float | None], *, width: int = 10) -> list[Bar]:
    """Heights relative to the largest magnitude in the history (at least 2 so a zero
    shows as a sliver; a missing period has no bar)."""
    known = [abs(v) for v in history if v is not None]
    top = max(known, default=0) or 1
    return [
        Bar(
            i * width,
            0.0 if v is None else max(2.0, round(100 * abs(v) / top, 1)),
            v,
            i == len(history) - 1,
        )
        for i, v in enumerate(history)
    ]
