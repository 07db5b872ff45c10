"""The pre-filled scores of a Quarterly AI Leadership Review (§4.1), from evidence.

Plain Python (no Django): the evidence collector (``evidence.py``) turns each source into
signals, each a share between 0 and 1 (or None when the source has nothing yet); this
module turns them into a score per component.

The formula, shown on the review page:

* a component's score is its weight × the mean of its **available** signals, rounded to
  the nearest whole point;
* a signal that is not available (its module is not installed yet, or there is no data
  for the leader this quarter) is left out of the mean: it neither raises nor lowers the
  score (neutral);
* a component with no available signal at all starts at half its weight (the midpoint),
  for the reviewer to set from what they know.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

FORMULA = (
    "Each component starts at its weight × the mean of its available signals (each a share "
    "from 0 to 1), rounded. A signal that is not available yet is left out (neutral); a "
    "component with no available signal starts at half its weight."
)


@dataclass(frozen=True)
class Signal:
    key: str
    component: str
    share: float | None  # 0..1, None when not available


def clamp(share: float) -> float:
    return max(0.0, min(1.0, share))


def scale_share(value: float, *, low: float, high: float) -> float:
    """Where ``value`` falls between ``low`` (0) and ``high`` (1), clamped."""
    if high == low:
        return 0.5
    return clamp((value - low) / (high - low))


def change_share(delta: float, *, full_swing: float) -> float:
    """A change as a share: no change is 0.5, +``full_swing`` or more is 1, −it or less 0."""
    return clamp(0.5 + delta / (2 * full_swing))


def component_score(weight: int, shares: Iterable[float | None]) -> int:
    available = [clamp(s) for s in shares if s is not None]
    if not available:
        return round(weight / 2)
    return round(weight * sum(available) / len(available))


def prefill(weights: Mapping[str, int], signals: Iterable[Signal]) -> dict[str, int]:
    """Component key → pre-filled score, for every component in ``weights``."""
    by_component: dict[str, list[float | None]] = {key: [] for key in weights}
    for signal in signals:
        if signal.component in by_component:
            by_component[signal.component].append(signal.share)
    return {key: component_score(weights[key], by_component[key]) for key in weights}


def check_score(weight: int, value: object) -> str:
    """Why ``value`` is not a valid score out of ``weight`` ("" when it is)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"A score is a whole number from 0 to {weight}."
    if not 0 <= value <= weight:
        return f"A score must be from 0 to {weight}; {value} is outside."
    return ""
