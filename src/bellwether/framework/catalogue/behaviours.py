"""§3.3 Leadership Behavior Reinforcement: the fifteen daily, weekly and monthly
behaviours and the reinforcement mechanisms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class Behaviour:
    key: str
    frequency: Literal["daily", "weekly", "monthly"]
    text: str


def _behaviours(
    frequency: Literal["daily", "weekly", "monthly"], entries: Iterable[tuple[str, str]]
) -> tuple[Behaviour, ...]:
    return tuple(
        Behaviour(f"behaviour.{frequency}.{slug}", frequency, text) for slug, text in entries
    )


BEHAVIOURS = (
    *_behaviours(
        "daily",
        [
            ("used_ai_tools", "Used AI tools for executive tasks"),
            ("shared_insights", "Shared AI insights or experiences"),
            ("asked_ai_questions", "Asked AI-informed questions in meetings"),
            ("supported_experimentation", "Supported employee AI experimentation"),
            ("ai_influenced_decisions", "Made AI-influenced decisions"),
        ],
    ),
    *_behaviours(
        "weekly",
        [
            ("communicated_progress", "Communicated AI progress and successes"),
            ("invested_in_learning", "Invested time in AI learning or development"),
            ("cross_functional_collaboration", "Engaged in cross-functional AI collaboration"),
            ("addressed_obstacles", "Addressed AI obstacles or resistance"),
            ("recognised_innovation", "Recognized AI innovation and achievement"),
        ],
    ),
    *_behaviours(
        "monthly",
        [
            ("presented_results", "Presented AI results to stakeholders"),
            ("adjusted_strategy", "Adjusted AI strategy based on learnings"),
            ("expanded_investment", "Expanded AI investment or resources"),
            ("developed_leaders", "Developed other leaders' AI capabilities"),
            ("advanced_culture", "Advanced AI culture and transformation"),
        ],
    ),
)


def behaviours_by_frequency() -> dict[str, tuple[Behaviour, ...]]:
    """The 15 behaviours of §3.3 grouped as daily, weekly, monthly (in that order)."""
    grouped: dict[str, tuple[Behaviour, ...]] = {}
    for frequency in ("daily", "weekly", "monthly"):
        grouped[frequency] = tuple(b for b in BEHAVIOURS if b.frequency == frequency)
    return grouped


# §3.3's reinforcement mechanisms.
REINFORCEMENT = (
    "Peer recognition and celebration",
    "360-degree feedback on AI leadership",
    "AI leadership competency development",
    "Performance management integration",
    "Succession planning and career advancement",
)
