"""§1.1 Leadership AI Maturity Evaluation: the Executive AI Readiness Scorecard, its four
dimensions of five items, and the engagement bands a total falls in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from bellwether.framework.catalogue._base import check, key_under

# Dimension, item and band keys code refers to by name.
DIMENSION_KNOWLEDGE: Final = "knowledge"
DIMENSION_ATTITUDE: Final = "attitude"
DIMENSION_BEHAVIOURS: Final = "behaviours"
DIMENSION_STRATEGY: Final = "strategy"
ITEM_IMPLEMENTATION_CHALLENGES: Final = "knowledge.implementation_challenges"
ITEM_ENTHUSIASM: Final = "attitude.enthusiasm"
ITEM_COMFORT_WITH_UNCERTAINTY: Final = "attitude.comfort_with_uncertainty"
ITEM_TIMELY_DECISIONS: Final = "behaviours.timely_decisions"
ITEM_MODELS_ADOPTION: Final = "behaviours.models_adoption"
ITEM_RISKS_AND_OPPORTUNITIES: Final = "strategy.risks_and_opportunities"
BAND_CHAMPION: Final = "band.champion"
BAND_SUPPORTER: Final = "band.supporter"
BAND_CAUTIOUS: Final = "band.cautious"
BAND_SKEPTICAL: Final = "band.skeptical"
BAND_RESISTANT: Final = "band.resistant"


@dataclass(frozen=True, slots=True)
class ScalePoint:
    value: int
    label: str


@dataclass(frozen=True, slots=True)
class InstrumentItem:
    key: str
    dimension: str
    text: str


@dataclass(frozen=True, slots=True)
class Dimension:
    key: str
    name: str
    items: tuple[InstrumentItem, ...]
    min_score: int
    max_score: int

    def __post_init__(self) -> None:
        check(all(item.dimension == self.key for item in self.items), f"{self.key}: item dimension")


@dataclass(frozen=True, slots=True)
class Band:
    """An engagement level with inclusive score bounds, as written in §1.1."""

    key: str
    name: str
    min_score: int
    max_score: int
    range_label: str
    meaning: str

    def contains(self, total: int) -> bool:
        return self.min_score <= total <= self.max_score


@dataclass(frozen=True, slots=True)
class Instrument:
    key: str
    name: str
    scale_min: int
    scale_max: int
    scale: tuple[ScalePoint, ...]
    dimensions: tuple[Dimension, ...]
    min_total: int
    max_total: int
    bands: tuple[Band, ...]

    def __post_init__(self) -> None:
        items = [item for dimension in self.dimensions for item in dimension.items]
        check(self.min_total == len(items) * self.scale_min, "instrument min_total")
        check(self.max_total == len(items) * self.scale_max, "instrument max_total")
        for dimension in self.dimensions:
            check(dimension.min_score == len(dimension.items) * self.scale_min, "dimension min")
            check(dimension.max_score == len(dimension.items) * self.scale_max, "dimension max")
        # The bands must cover every possible total exactly once.
        for total in range(self.min_total, self.max_total + 1):
            check(sum(band.contains(total) for band in self.bands) == 1, f"band cover at {total}")


def _items(dimension: str, entries: Iterable[tuple[str, str]]) -> tuple[InstrumentItem, ...]:
    return tuple(
        InstrumentItem(key_under(dimension, slug), dimension, text) for slug, text in entries
    )


def _dimension(key: str, name: str, entries: Iterable[tuple[str, str]]) -> Dimension:
    items = _items(key, entries)
    return Dimension(key, name, items, min_score=len(items), max_score=5 * len(items))


DIMENSIONS = (
    _dimension(
        DIMENSION_KNOWLEDGE,
        "AI Knowledge and Understanding",
        [
            ("fundamentals", "AI technology fundamentals"),
            ("business_applications", "AI business applications and use cases"),
            (ITEM_IMPLEMENTATION_CHALLENGES, "AI implementation challenges and risks"),
            ("competitive_landscape", "AI competitive landscape and opportunities"),
            ("ethics_governance", "AI ethical considerations and governance"),
        ],
    ),
    _dimension(
        DIMENSION_ATTITUDE,
        "AI Attitude and Mindset",
        [
            (ITEM_ENTHUSIASM, "Enthusiasm for AI potential"),
            (ITEM_COMFORT_WITH_UNCERTAINTY, "Comfort with AI uncertainty and ambiguity"),
            ("willingness_to_experiment", "Willingness to experiment and learn"),
            ("openness_to_change", "Openness to organizational change"),
            ("personal_development", "Commitment to personal AI development"),
        ],
    ),
    _dimension(
        DIMENSION_BEHAVIOURS,
        "AI Leadership Behaviors",
        [
            ("communicates_vision", "Communicates AI vision effectively"),
            ("allocates_resources", "Allocates sufficient resources to AI"),
            (ITEM_TIMELY_DECISIONS, "Makes timely AI-related decisions"),
            (ITEM_MODELS_ADOPTION, "Models AI adoption personally"),
            ("supports_development", "Supports employee AI development"),
        ],
    ),
    _dimension(
        DIMENSION_STRATEGY,
        "AI Strategic Thinking",
        [
            ("business_strategy", "Connects AI to business strategy"),
            ("competitive_implications", "Understands AI competitive implications"),
            (ITEM_RISKS_AND_OPPORTUNITIES, "Balances AI risks and opportunities"),
            ("scaling_integration", "Plans for AI scaling and integration"),
            ("future_trends", "Anticipates AI future trends and needs"),
        ],
    ),
)

# Ordered from the top: a leader's band is the first whose range holds the total.
BANDS = (
    Band(BAND_CHAMPION, "Champion", 85, 100, "85–100", "Ready to lead AI transformation"),
    Band(BAND_SUPPORTER, "Supporter", 70, 84, "70–84", "Needs development to lead effectively"),
    Band(
        BAND_CAUTIOUS, "Cautious", 55, 69, "55–69", "Requires significant engagement intervention"
    ),
    Band(BAND_SKEPTICAL, "Skeptical", 40, 54, "40–54", "Needs intensive conversion and support"),
    Band(
        BAND_RESISTANT,
        "Resistant",
        20,
        39,
        "Below 40",
        "May require role transition or intensive coaching",
    ),
)

INSTRUMENT = Instrument(
    key="instrument.readiness",
    name="Executive AI Readiness Scorecard",
    scale_min=1,
    scale_max=5,
    # The framework says only "1-5 scale"; these anchors make the points readable on a form.
    scale=(
        ScalePoint(1, "Very low"),
        ScalePoint(2, "Low"),
        ScalePoint(3, "Moderate"),
        ScalePoint(4, "High"),
        ScalePoint(5, "Very high"),
    ),
    dimensions=DIMENSIONS,
    min_total=20,
    max_total=100,
    bands=BANDS,
)


def instrument_items() -> tuple[InstrumentItem, ...]:
    """The 20 scorecard items in the order they are asked."""
    return tuple(item for dimension in INSTRUMENT.dimensions for item in dimension.items)


def dimension(key: str) -> Dimension:
    for candidate in INSTRUMENT.dimensions:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


def band(key: str) -> Band:
    for candidate in INSTRUMENT.bands:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


def band_for_score(total: int) -> Band:
    """The engagement level for a scorecard total (20–100), bounds inclusive as in §1.1."""
    for candidate in INSTRUMENT.bands:
        if candidate.contains(total):
            return candidate
    raise ValueError(
        f"A scorecard total must be between {INSTRUMENT.min_total} and {INSTRUMENT.max_total}; got {total}."
    )
