"""§3.3 Leadership Behavior Reinforcement: the fifteen daily, weekly and monthly
behaviours and the reinforcement mechanisms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal


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


# Behaviours code refers to by name: the secondary KPIs "executive AI tool adoption"
# (regular personal use) and "cross-functional AI collaboration" read their ticks.
BEHAVIOUR_USED_AI_TOOLS: Final = "behaviour.daily.used_ai_tools"
BEHAVIOUR_CROSS_FUNCTIONAL: Final = "behaviour.weekly.cross_functional_collaboration"
# "Regular usage" of AI tools: on at least this many days a week, on average over the
# four weeks to the day asked about.
REGULAR_USE_DAYS_PER_WEEK: Final = 3

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


@dataclass(frozen=True, slots=True)
class ConsistencyRules:
    """How check-ins become a consistency score (``behaviours/consistency.py``) and when
    a leader "demonstrates daily AI leadership behaviours" (KPI 2).

    The framework names the behaviours and their cadence but no scoring: these values are
    Bellwether's choice. A half-life is counted in the behaviour's own periods: a daily
    check-in a week ago weighs half of today's; a weekly one four weeks ago, half of this
    week's; a monthly one three months ago, half of this month's.
    """

    half_life_days: float  # daily behaviours, in days
    half_life_weeks: float  # weekly behaviours, in weeks
    half_life_months: float  # monthly behaviours, in months
    lookback_days: int  # the score never looks further back than this
    demonstrates_window_days: int  # KPI 2: the window the score is computed over …
    demonstrates_threshold: float  # … and the overall score (0-100) a leader must reach
    grace_days: int  # a missed day may be filled in this many days later (marked late)
    link_valid_hours: int  # a one-tap check-in link works this long after it is sent
    observation_window_days: int  # 360 observations shown over this many days
    recognition_max_length: int

    def half_life(self, frequency: str) -> float:
        return {
            "daily": self.half_life_days,
            "weekly": self.half_life_weeks,
            "monthly": self.half_life_months,
        }[frequency]


BEHAVIOUR_CONSISTENCY = ConsistencyRules(
    half_life_days=7.0,
    half_life_weeks=4.0,
    half_life_months=3.0,
    lookback_days=365,
    demonstrates_window_days=28,
    demonstrates_threshold=60.0,
    grace_days=7,
    link_valid_hours=48,
    observation_window_days=90,
    recognition_max_length=280,
)
