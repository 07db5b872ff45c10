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


# --- §4.1 the evidence each review component is pre-filled from ------------------------------


@dataclass(frozen=True, slots=True)
class ReviewSignal:
    """One kind of evidence a review component is pre-filled from (seed 000 §4.1's
    "Executive AI KPIs"), and the module that supplies it."""

    key: str
    component: str  # a ReviewComponent key
    name: str
    source: str  # the Bellwether module that supplies it


REVIEW_SIGNALS: tuple[ReviewSignal, ...] = (
    ReviewSignal(
        "signal.readiness_level",
        "review.personal_development",
        "AI knowledge (readiness)",
        "assessments",
    ),
    ReviewSignal(
        "signal.readiness_change",
        "review.personal_development",
        "AI knowledge growth",
        "assessments",
    ),
    ReviewSignal(
        "signal.learning_hours",
        "review.personal_development",
        "Learning hours against plan",
        "development",
    ),
    ReviewSignal(
        "signal.behaviour_consistency",
        "review.personal_development",
        "Daily AI leadership behaviours (consistency)",
        "behaviours",
    ),
    ReviewSignal(
        "signal.team_confidence",
        "review.team_leadership",
        "Employee confidence in AI leadership (pulse)",
        "surveys",
    ),
    ReviewSignal(
        "signal.team_readiness",
        "review.team_leadership",
        "Team capability (reports' readiness)",
        "assessments",
    ),
    ReviewSignal("signal.coaching", "review.team_leadership", "Coaching sessions held", "coaching"),
    ReviewSignal(
        "signal.peer_attendance",
        "review.team_leadership",
        "Cross-functional collaboration (peer forums)",
        "peers",
    ),
    ReviewSignal(
        "signal.peer_recognition",
        "review.team_leadership",
        "Peer recognition (behaviours)",
        "behaviours",
    ),
    ReviewSignal(
        "signal.initiative_gates",
        "review.organisational_impact",
        "Transformation progress (initiative gates)",
        "initiatives",
    ),
    ReviewSignal(
        "signal.initiative_guardrails",
        "review.organisational_impact",
        "Business results within guardrails",
        "initiatives",
    ),
    ReviewSignal(
        "signal.communication_effectiveness",
        "review.organisational_impact",
        "Culture development (communication effectiveness)",
        "communications",
    ),
)


#: Peer recognition in the review (``signal.peer_recognition``): the share is the number of
#: different colleagues who recognised the leader in the quarter over this many (capped at
#: 1), so one colleague recognising ten times counts once. The framework names recognition
#: (§3.3) but no figure: three colleagues a quarter is Bellwether's choice.
REVIEW_RECOGNITION_COLLEAGUES = 3


# --- §4.2 pathways as plan items, §4.3 succession and learnings --------------------------------


@dataclass(frozen=True, slots=True)
class Labelled:
    key: str
    name: str


#: The groups of a pathway plan: the pathway's capabilities, then §4.2's Year 2 focus and
#: ongoing learning requirements, which every pathway carries.
PLAN_ITEM_KINDS: tuple[Labelled, ...] = (
    Labelled("plan_item.capability", "Pathway capability"),
    Labelled("plan_item.year_two", "Year 2 development focus"),
    Labelled("plan_item.ongoing", "Ongoing learning requirement"),
)

#: How soon a named successor could step in (§4.3 "Develop AI leadership pipeline"); the
#: framework names no scale, these three are the customary succession-planning ones.
SUCCESSION_READINESS: tuple[Labelled, ...] = (
    Labelled("succession.ready_now", "Ready now"),
    Labelled("succession.one_to_two_years", "1–2 years"),
    Labelled("succession.three_plus_years", "3+ years"),
)

#: The four phases of the framework (seed 000), used to tag learnings (§4.3).
PROGRAMME_PHASES: tuple[Labelled, ...] = (
    Labelled("phase.readiness", "Phase 1: Executive AI Readiness Assessment (Month 1)"),
    Labelled("phase.vision", "Phase 2: Leadership Vision Alignment (Months 1-2)"),
    Labelled("phase.development", "Phase 3: Leadership Development and Support (Months 2-6)"),
    Labelled("phase.sustained", "Phase 4: Sustained Leadership Engagement (Months 6-12+)"),
)

#: What a learnings-log entry is (§4.3 "Legacy systems").
LEARNING_KINDS: tuple[Labelled, ...] = (
    Labelled("learning.learning", "Transformation learning"),
    Labelled("learning.best_practice", "Best practice"),
)

check(
    {s.component for s in REVIEW_SIGNALS} == {c.key for c in QUARTERLY_REVIEW.components},
    "every review component has evidence",
)


def development_pathway(key: str) -> DevelopmentPathway:
    for pathway in DEVELOPMENT_PATHWAYS:
        if pathway.key == key:
            return pathway
    raise KeyError(key)


def pathway_plan_items(key: str) -> list[tuple[str, str]]:
    """The plan items of a pathway, as (kind key, text): its capabilities, the Year 2
    focus and the ongoing learning requirements (§4.2)."""
    capability, year_two, ongoing = (kind.key for kind in PLAN_ITEM_KINDS)
    return (
        [(capability, text) for text in development_pathway(key).focus]
        + [(year_two, text) for text in CONTINUOUS_DEVELOPMENT.year_two_focus]
        + [(ongoing, text) for text in CONTINUOUS_DEVELOPMENT.ongoing_learning]
    )
