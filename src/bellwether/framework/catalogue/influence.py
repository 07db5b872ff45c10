"""§1.2 Executive Influence Mapping: the five influence metrics, rated High/Medium/Low."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from bellwether.framework.catalogue._base import Rating, key_under

# The influence metric keys code refers to by name.
INFLUENCE_PEER_RESPECT: Final = "influence.peer_respect"


@dataclass(frozen=True, slots=True)
class InfluenceMetric:
    key: str
    name: str
    ratings: tuple[Rating, ...]


_RATINGS: tuple[Rating, ...] = ("high", "medium", "low")

INFLUENCE_METRICS = tuple(
    InfluenceMetric(key_under("influence", slug), name, _RATINGS)
    for slug, name in [
        ("formal_authority", "Formal Authority"),
        ("informal_influence", "Informal Influence"),
        (INFLUENCE_PEER_RESPECT, "Peer Respect"),
        ("employee_following", "Employee Following"),
        ("external_credibility", "External Credibility"),
    ]
)

# The framework rates each influence metric High/Medium/Low but gives no weights. The
# influence index (0–100) therefore weighs the five metrics equally and scores a rating
# High 1, Medium ½, Low 0: all High is 100, all Low is 0, every step is worth 10 points.
INFLUENCE_RATING_POINTS: dict[str, float] = {"high": 1.0, "medium": 0.5, "low": 0.0}
INFLUENCE_METRIC_WEIGHTS: dict[str, float] = {metric.key: 1.0 for metric in INFLUENCE_METRICS}
