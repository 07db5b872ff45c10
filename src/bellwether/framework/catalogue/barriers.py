"""§1.3 Leadership Engagement Obstacles: the barriers, each level's concerns, and
"The Engaged AI Leader Profile".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from bellwether.framework.catalogue._base import LeaderLevelKey

# Leader level values (``Person.leader_level``) code refers to by name.
LEVEL_EXECUTIVE: Final = "executive"
LEVEL_SENIOR: Final = "senior"
LEVEL_OPERATIONAL: Final = "operational"


@dataclass(frozen=True, slots=True)
class Barrier:
    key: str
    number: int
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class Concern:
    key: str
    text: str


@dataclass(frozen=True, slots=True)
class LeaderLevel:
    """A leader level (matching ``Person.leader_level``) and the concerns §1.3 lists for it."""

    key: str
    level: LeaderLevelKey
    name: str
    concerns_heading: str
    description: str
    concerns: tuple[Concern, ...]


@dataclass(frozen=True, slots=True)
class ProfileBehaviour:
    """One row of "The Engaged AI Leader Profile"."""

    key: str
    category: str
    disengaged: str
    engaged: str


BARRIERS = tuple(
    Barrier(f"barrier.{slug}", number, name, description)
    for number, (slug, name, description) in enumerate(
        [
            (
                "complexity_overwhelm",
                "Complexity Overwhelm",
                "AI technology complexity creates executive anxiety",
            ),
            (
                "investment_uncertainty",
                "Investment Uncertainty",
                "Unclear ROI and timeline projections",
            ),
            (
                "responsibility_diffusion",
                "Responsibility Diffusion",
                "Unclear ownership and accountability",
            ),
            (
                "competing_priorities",
                "Competing Priorities",
                "AI competes with other strategic initiatives",
            ),
            (
                "cultural_misalignment",
                "Cultural Misalignment",
                "AI conflicts with traditional organizational values",
            ),
            ("risk_aversion", "Risk Aversion", "Fear of failure with high-visibility AI projects"),
            (
                "skill_gap_anxiety",
                "Skill Gap Anxiety",
                "Personal inadequacy with AI concepts and tools",
            ),
            (
                "change_fatigue",
                "Change Fatigue",
                "Previous transformation experiences create skepticism",
            ),
        ],
        start=1,
    )
)


def _concerns(level: str, entries: Iterable[tuple[str, str]]) -> tuple[Concern, ...]:
    return tuple(Concern(f"concern.{level}.{slug}", text) for slug, text in entries)


LEADER_LEVELS = (
    LeaderLevel(
        f"level.{LEVEL_EXECUTIVE}",
        LEVEL_EXECUTIVE,
        "Executive",
        "CEO/President Level Concerns",
        "CEO/President and C-suite",
        _concerns(
            LEVEL_EXECUTIVE,
            [
                ("investor_skepticism", "Board and investor skepticism about AI ROI"),
                ("pressure_for_results", "Competitive pressure requiring immediate results"),
                ("resource_conflicts", "Resource allocation conflicts with other priorities"),
                ("knowledge_gaps", "Personal AI knowledge gaps creating insecurity"),
                ("reputation_risk", "Risk of high-profile AI failure impact on reputation"),
            ],
        ),
    ),
    LeaderLevel(
        f"level.{LEVEL_SENIOR}",
        LEVEL_SENIOR,
        "Senior",
        "Functional Leadership Concerns",
        "Functional heads",
        _concerns(
            LEVEL_SENIOR,
            [
                ("department_impact", "Department-specific AI impact uncertainty"),
                ("budget_competition", "Budget reallocation and resource competition"),
                ("change_burden", "Employee resistance and change management burden"),
                ("training_investment", "Skills gap and training investment requirements"),
                ("integration_complexity", "Integration complexity with existing systems"),
            ],
        ),
    ),
    LeaderLevel(
        f"level.{LEVEL_OPERATIONAL}",
        LEVEL_OPERATIONAL,
        "Operational",
        "Operational Leadership Concerns",
        "Line leaders",
        _concerns(
            LEVEL_OPERATIONAL,
            [
                ("business_disruption", "Day-to-day business disruption during transformation"),
                ("customer_impact", "Customer impact during AI implementation"),
                ("quality_reliability", "Quality and reliability concerns with AI systems"),
                ("vendor_dependency", "Vendor management and technology dependency"),
                ("timeline_pressure", "Timeline pressure and milestone achievement"),
            ],
        ),
    ),
)

LEADER_PROFILE = tuple(
    ProfileBehaviour(f"profile.{slug}", category, disengaged, engaged)
    for slug, category, disengaged, engaged in [
        (
            "vision_communication",
            "Vision Communication",
            "Vague AI benefits",
            "Specific AI impact stories",
        ),
        (
            "resource_allocation",
            "Resource Allocation",
            "Minimal AI investment",
            "Strategic AI resource commitment",
        ),
        (
            "personal_involvement",
            "Personal Involvement",
            "Delegates AI decisions",
            "Personal AI tool usage",
        ),
        (
            "risk_management",
            "Risk Management",
            "Avoids AI uncertainty",
            "Embraces intelligent AI experimentation",
        ),
        (
            "employee_development",
            "Employee Development",
            "Generic training support",
            "Personal AI mentoring",
        ),
        (
            "stakeholder_influence",
            "Stakeholder Influence",
            "Passive AI support",
            "Active AI advocacy",
        ),
        (
            "decision_making",
            "Decision Making",
            "Postpones AI decisions",
            "Makes timely AI commitments",
        ),
        (
            "cultural_modeling",
            "Cultural Modeling",
            "Traditional leadership style",
            "AI-augmented leadership demonstration",
        ),
    ]
)


def leader_level(level: str) -> LeaderLevel:
    """The level profile for a ``Person.leader_level`` value (executive/senior/operational)."""
    for candidate in LEADER_LEVELS:
        if candidate.level == level:
            return candidate
    raise KeyError(level)
