"""Seed 001: the ways leadership engagement fails, and the majority-adopter wall."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Failure mode keys code refers to by name.
FAILURE_DISENGAGED: Final = "failure.disengaged"
FAILURE_FEARFUL: Final = "failure.fearful"
FAILURE_UNCRITICALLY_ENTHUSIASTIC: Final = "failure.uncritically_enthusiastic"


@dataclass(frozen=True, slots=True)
class FailureMode:
    """Seed 001: the ways leadership engagement fails."""

    key: str
    name: str
    description: str


FAILURE_MODES = (
    FailureMode(
        FAILURE_DISENGAGED,
        "Disengaged",
        "Stays entirely outside the AI initiative: approves budget, reviews results at "
        "quarterly business reviews and treats AI as something the technical team manages.",
    ),
    FailureMode(
        FAILURE_FEARFUL,
        "Fearful",
        "Terrified of AI: every setback confirms that AI isn't ready and the organization "
        "should wait until the technology is more mature.",
    ),
    FailureMode(
        FAILURE_UNCRITICALLY_ENTHUSIASTIC,
        "Uncritically enthusiastic",
        "Every successful demo produces pressure to implement immediately and at scale, "
        "until real operational data creates a crisis of confidence.",
    ),
)


@dataclass(frozen=True, slots=True)
class MajorityWallRule:
    """Seed 001's adoption curve. The seed gives no numbers; these are Bellwether's choice:
    after ``initial_weeks`` the majority's acceptance rate trailing the early adopters' by
    at least ``gap_points`` percentage points for ``sustained_weeks`` weeks in a row."""

    initial_weeks: int
    gap_points: float
    sustained_weeks: int
    guidance: str


MAJORITY_WALL = MajorityWallRule(
    initial_weeks=4,
    gap_points=15.0,
    sustained_weeks=3,
    guidance=(
        "The majority adopters have hit the wall: they need more investment in prompting "
        "skills, workflow design, and coaching, not a conclusion that AI was overhyped. "
        "Don't declare success or failure too early."
    ),
)
