"""§4.1–4.3 Accountability, continuous development and succession: the Quarterly AI
Leadership Review and its weights, development pathways, year two and beyond.
"""

from __future__ import annotations

from dataclasses import dataclass

from bellwether.framework.catalogue._base import check


@dataclass(frozen=True, slots=True)
class ReviewComponent:
    """A part of the Quarterly AI Leadership Review, with its weight out of 100."""

    key: str
    name: str
    weight: int
    prompts: tuple[str, ...]
    kpis: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuarterlyReview:
    key: str
    name: str
    components: tuple[ReviewComponent, ...]
    total: int
    development_priorities: int
    next_quarter_goals: int

    def __post_init__(self) -> None:
        check(self.total == sum(c.weight for c in self.components), f"{self.key}: weights")


@dataclass(frozen=True, slots=True)
class DevelopmentPathway:
    key: str
    name: str
    focus: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ContinuousDevelopment:
    year_two_focus: tuple[str, ...]
    ongoing_learning: tuple[str, ...]
    succession_planning: tuple[str, ...]
    legacy_systems: tuple[str, ...]


QUARTERLY_REVIEW = QuarterlyReview(
    key="review.quarterly",
    name="Quarterly AI Leadership Review",
    components=(
        ReviewComponent(
            "review.personal_development",
            "Personal AI Development",
            25,
            ("AI tool usage", "AI knowledge growth", "AI decision-making"),
            (
                "AI tool usage frequency and sophistication",
                "AI knowledge assessment scores",
                "AI decision-making quality and speed",
                "AI communication effectiveness ratings",
            ),
        ),
        ReviewComponent(
            "review.team_leadership",
            "Team AI Leadership",
            35,
            ("Employee engagement", "Team capability building", "Collaboration facilitation"),
            (
                "Employee AI engagement and adoption rates",
                "Team AI capability development progress",
                "Cross-functional AI collaboration frequency",
                "AI innovation and experimentation support",
            ),
        ),
        ReviewComponent(
            "review.organisational_impact",
            "Organizational Impact",
            40,
            ("Transformation progress", "Business results", "Culture development"),
            (
                "Department AI transformation progress",
                "AI ROI and business impact contribution",
                "AI culture development and reinforcement",
                "AI competitive positioning advancement",
            ),
        ),
    ),
    total=100,
    development_priorities=3,
    next_quarter_goals=3,
)

DEVELOPMENT_PATHWAYS = (
    DevelopmentPathway(
        "pathway.innovation",
        "AI Innovation Leaders",
        (
            "Focus on breakthrough AI applications",
            "Lead experimental AI initiatives",
            "Drive AI research and development",
            "Champion AI intellectual property",
        ),
    ),
    DevelopmentPathway(
        "pathway.transformation",
        "AI Transformation Leaders",
        (
            "Master AI change management",
            "Excel at AI culture development",
            "Lead large-scale AI implementations",
            "Optimize AI adoption and engagement",
        ),
    ),
    DevelopmentPathway(
        "pathway.strategy",
        "AI Strategy Leaders",
        (
            "Develop AI competitive strategies",
            "Lead AI partnership and acquisitions",
            "Drive AI investment and portfolio decisions",
            "Shape AI industry direction and standards",
        ),
    ),
)

CONTINUOUS_DEVELOPMENT = ContinuousDevelopment(
    year_two_focus=(
        "AI innovation and breakthrough thinking",
        "AI partnership and ecosystem development",
        "AI talent acquisition and retention",
        "AI measurement and optimization expertise",
        "AI future trend anticipation and preparation",
    ),
    ongoing_learning=(
        "Monthly AI industry trend briefings",
        "Quarterly AI technology advancement updates",
        "Annual AI strategy refresh and planning",
        "Continuous AI competitive intelligence",
        "Regular AI ethics and governance updates",
    ),
    succession_planning=(
        "Identify high-potential AI leaders",
        "Develop AI leadership pipeline",
        "Create AI mentorship and coaching programs",
        "Ensure AI knowledge transfer and continuity",
    ),
    legacy_systems=(
        "Document AI transformation learnings",
        "Create AI leadership best practices",
        "Establish AI governance and oversight structures",
        "Build AI-native organizational capabilities",
    ),
)


def review_weights() -> dict[str, int]:
    """Quarterly review component key → weight out of 100."""
    return {c.key: c.weight for c in QUARTERLY_REVIEW.components}
