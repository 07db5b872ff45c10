"""The framework catalogue: everything Bellwether runs on, as versioned data in one place.

The content and wording come from the framework seeds (``/work/shared/seeds``):
seed 000 is the leadership engagement framework (section numbers like §1.1 are
its own), seed 001 the failure modes of leadership, seed 003 executive alignment,
gates and change impacts. Every entry a later module may store a reference to
has a stable ``key`` (a slug such as ``knowledge.fundamentals`` or
``band.champion``); keys never change meaning within a ``FRAMEWORK_VERSION``.

Plain Python on purpose: no Django import, so scoring, planners and tests can
use it directly. Derived figures (hours per tier, instrument totals) are stored
as fields *and* checked on construction, so the JSON the API serves carries them
and a typo in the data fails at import time rather than in a report.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

FRAMEWORK_VERSION = "2026.1"

Comparison = Literal[">=", "<="]
Frequency = Literal[
    "daily", "weekly", "biweekly", "monthly", "quarterly", "annual", "regular", "continuous"
]
Rating = Literal["high", "medium", "low"]
LeaderLevelKey = Literal["executive", "senior", "operational"]

# Nominal days between two occurrences, for "is it overdue?" questions. "regular" and
# "continuous" cadences have no fixed interval in the framework, so none is invented.
FREQUENCY_INTERVAL_DAYS: dict[str, int | None] = {
    "daily": 1,
    "weekly": 7,
    "biweekly": 14,
    "monthly": 30,
    "quarterly": 91,
    "annual": 365,
    "regular": None,
    "continuous": None,
}


class CatalogueError(ValueError):
    """The catalogue data contradicts itself (raised at import time)."""


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise CatalogueError(message)


# --- §1.1 Executive AI Readiness Scorecard -----------------------------------------


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
        _check(
            all(item.dimension == self.key for item in self.items), f"{self.key}: item dimension"
        )


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
        _check(self.min_total == len(items) * self.scale_min, "instrument min_total")
        _check(self.max_total == len(items) * self.scale_max, "instrument max_total")
        for dimension in self.dimensions:
            _check(dimension.min_score == len(dimension.items) * self.scale_min, "dimension min")
            _check(dimension.max_score == len(dimension.items) * self.scale_max, "dimension max")
        # The bands must cover every possible total exactly once.
        for total in range(self.min_total, self.max_total + 1):
            _check(sum(band.contains(total) for band in self.bands) == 1, f"band cover at {total}")


# --- §1.2 influence, §1.3 barriers and concerns --------------------------------------


@dataclass(frozen=True, slots=True)
class InfluenceMetric:
    key: str
    name: str
    ratings: tuple[Rating, ...]


@dataclass(frozen=True, slots=True)
class NamedField:
    """A named prompt on a form: an engagement driver, a strategy field, a success metric."""

    key: str
    name: str


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


@dataclass(frozen=True, slots=True)
class FailureMode:
    """Seed 001: the ways leadership engagement fails."""

    key: str
    name: str
    description: str


# --- §2 vision, learning, communication ------------------------------------------------


@dataclass(frozen=True, slots=True)
class VisioningSession:
    key: str
    number: int
    name: str
    duration: str
    agenda: tuple[str, ...]
    outcomes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LearningModule:
    key: str
    title: str
    hours: int


@dataclass(frozen=True, slots=True)
class LearningBlock:
    """A month of Tier 1, or a tier's "additional requirements", or a Template 3 month."""

    key: str
    name: str
    month: int | None
    modules: tuple[LearningModule, ...]
    total_hours: int

    def __post_init__(self) -> None:
        _check(self.total_hours == sum(m.hours for m in self.modules), f"{self.key}: hours")


@dataclass(frozen=True, slots=True)
class LearningTier:
    key: str
    number: int
    name: str
    audience: str
    blocks: tuple[LearningBlock, ...]
    total_hours: int

    def __post_init__(self) -> None:
        _check(self.total_hours == sum(b.total_hours for b in self.blocks), f"{self.key}: hours")


@dataclass(frozen=True, slots=True)
class MilestoneReview:
    key: str
    day: int
    name: str


@dataclass(frozen=True, slots=True)
class DevelopmentPlanTemplate:
    """Template 3: the personalised three-month plan and its milestone reviews."""

    key: str
    name: str
    months: tuple[LearningBlock, ...]
    total_hours: int
    milestone_reviews: tuple[MilestoneReview, ...]
    support_resources: tuple[str, ...]
    practice_opportunities: tuple[str, ...]
    success_metrics: tuple[NamedField, ...]

    def __post_init__(self) -> None:
        _check(self.total_hours == sum(m.total_hours for m in self.months), f"{self.key}: hours")


@dataclass(frozen=True, slots=True)
class CoreMessage:
    key: str
    number: int
    name: str
    statement: str


@dataclass(frozen=True, slots=True)
class Cadence:
    """A communication a leader at some level owes, and how often."""

    key: str
    text: str
    frequency: Frequency
    interval_days: int | None

    def __post_init__(self) -> None:
        _check(
            self.interval_days == FREQUENCY_INTERVAL_DAYS[self.frequency], f"{self.key}: interval"
        )


@dataclass(frozen=True, slots=True)
class LevelCommunication:
    key: str
    level: LeaderLevelKey
    name: str
    cadences: tuple[Cadence, ...]


@dataclass(frozen=True, slots=True)
class CalendarSlot:
    """Template 2's communication calendar: week 1, week 2, monthly, quarterly."""

    key: str
    name: str
    activities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AudienceFocus:
    key: str
    audience: str
    focus: str


@dataclass(frozen=True, slots=True)
class CommunicationPlanTemplate:
    """Template 2: Leadership AI Communication Plan."""

    key: str
    name: str
    supporting_messages: tuple[NamedField, ...]
    calendar: tuple[CalendarSlot, ...]
    audiences: tuple[AudienceFocus, ...]
    effectiveness_measures: tuple[NamedField, ...]


# --- §3 coaching, peers, behaviours ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CoachingPhase:
    key: str
    name: str
    first_week: int
    last_week: int
    activities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CoachingProgramme:
    key: str
    name: str
    weeks: int
    phases: tuple[CoachingPhase, ...]
    pre_session_questions: tuple[NamedField, ...]
    focus_areas: tuple[NamedField, ...]
    action_items_per_session: int
    next_session_goals: int
    success_metrics: tuple[NamedField, ...]

    def __post_init__(self) -> None:
        # The phases tile weeks 1..weeks with no gap or overlap.
        week = 1
        for phase in self.phases:
            _check(phase.first_week == week, f"{phase.key}: starts at week {week}")
            week = phase.last_week + 1
        _check(week == self.weeks + 1, f"{self.key}: phases cover {self.weeks} weeks")


@dataclass(frozen=True, slots=True)
class PeerForum:
    key: str
    name: str
    frequency: Frequency | None
    activities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Behaviour:
    key: str
    frequency: Literal["daily", "weekly", "monthly"]
    text: str


# --- §4 accountability, development, success metrics ----------------------------------


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
        _check(self.total == sum(c.weight for c in self.components), f"{self.key}: weights")


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


@dataclass(frozen=True, slots=True)
class Kpi:
    """A success metric with a machine-checkable target.

    ``comparison`` says which side of ``target_value`` meets the target, in ``unit``.
    ``qualifying_score`` is the per-leader score a leader must reach to count
    (the "70+" of Executive AI Fluency), where there is one.
    """

    key: str
    number: int
    name: str
    target: str
    target_value: float
    unit: str
    comparison: Comparison
    measurement: str
    success_indicator: str
    qualifying_score: int | None = None

    def meets_target(self, value: float) -> bool:
        if self.comparison == ">=":
            return value >= self.target_value
        return value <= self.target_value


@dataclass(frozen=True, slots=True)
class DashboardCadence:
    key: str
    name: str
    frequency: Frequency
    metrics: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class KeyOutcome:
    key: str
    value: int
    unit: str
    text: str


@dataclass(frozen=True, slots=True)
class EngagementPlanTemplate:
    """Template 1: Executive AI Engagement Plan."""

    key: str
    name: str
    obstacle_fields: tuple[NamedField, ...]
    strategies: tuple[NamedField, ...]
    action_periods: tuple[NamedField, ...]
    actions_per_period: int
    success_metrics: tuple[NamedField, ...]
    review_schedule: tuple[Cadence, ...]


# --- Seed 003: executive alignment, gates and change impacts ------------------------------


@dataclass(frozen=True, slots=True)
class AlignmentElement:
    key: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class MetricLayer:
    key: str
    name: str
    examples: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ComparisonMethod:
    key: str
    name: str
    description: str
    # Without a comparison, impact can't be defended: the initiative stays learning-only.
    gives_measurement_integrity: bool


@dataclass(frozen=True, slots=True)
class InitiativeStage:
    key: str
    order: int
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class Archetype:
    key: str
    name: str
    risks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Gate:
    key: str
    number: int
    name: str
    question: str
    evidence: str


@dataclass(frozen=True, slots=True)
class NonNegotiable:
    key: str
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class ChangeImpactType:
    key: str
    number: int
    name: str
    description: str


@dataclass(frozen=True, slots=True)
class BeforeAfterDimension:
    key: str
    name: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class BottleneckTeam:
    key: str
    name: str


# --- The catalogue ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Catalogue:
    version: str
    key_outcomes: tuple[KeyOutcome, ...]
    instrument: Instrument
    influence_metrics: tuple[InfluenceMetric, ...]
    engagement_drivers: tuple[NamedField, ...]
    strategy_fields: tuple[NamedField, ...]
    barriers: tuple[Barrier, ...]
    leader_levels: tuple[LeaderLevel, ...]
    leader_profile: tuple[ProfileBehaviour, ...]
    failure_modes: tuple[FailureMode, ...]
    engagement_plan: EngagementPlanTemplate
    visioning_sessions: tuple[VisioningSession, ...]
    learning_tiers: tuple[LearningTier, ...]
    development_plan: DevelopmentPlanTemplate
    core_messages: tuple[CoreMessage, ...]
    communication: tuple[LevelCommunication, ...]
    communication_plan: CommunicationPlanTemplate
    coaching: CoachingProgramme
    peer_forums: tuple[PeerForum, ...]
    behaviours: tuple[Behaviour, ...]
    reinforcement: tuple[str, ...]
    quarterly_review: QuarterlyReview
    development_pathways: tuple[DevelopmentPathway, ...]
    continuous_development: ContinuousDevelopment
    primary_kpis: tuple[Kpi, ...]
    secondary_kpis: tuple[Kpi, ...]
    dashboard: tuple[DashboardCadence, ...]
    alignment_elements: tuple[AlignmentElement, ...]
    metric_layers: tuple[MetricLayer, ...]
    comparison_methods: tuple[ComparisonMethod, ...]
    initiative_stages: tuple[InitiativeStage, ...]
    archetypes: tuple[Archetype, ...]
    gates: tuple[Gate, ...]
    non_negotiables: tuple[NonNegotiable, ...]
    change_impacts: tuple[ChangeImpactType, ...]
    before_after: tuple[BeforeAfterDimension, ...]
    bottleneck_teams: tuple[BottleneckTeam, ...]
    # Engagement plan generation (issue 5): rules and the action catalogue, defined at the
    # end of the data. No defaults: the API schema lists every catalogue field as required.
    engagement_rules: tuple[EngagementRule, ...]
    engagement_actions: tuple[EngagementAction, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable data (tuples become lists), the same shape the API serves."""
        result = _jsonable(self)
        assert isinstance(result, dict)
        return result


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


# =========================================================================================
# The data. Wording is the framework's own; where it is silent (scale labels, the
# ranking of stages) the choice is noted.
# =========================================================================================


def _items(dimension: str, entries: Iterable[tuple[str, str]]) -> tuple[InstrumentItem, ...]:
    return tuple(InstrumentItem(f"{dimension}.{slug}", dimension, text) for slug, text in entries)


def _dimension(key: str, name: str, entries: Iterable[tuple[str, str]]) -> Dimension:
    items = _items(key, entries)
    return Dimension(key, name, items, min_score=len(items), max_score=5 * len(items))


def _block(
    key: str, name: str, month: int | None, entries: Iterable[tuple[str, str, int]]
) -> LearningBlock:
    modules = tuple(LearningModule(f"{key}.{slug}", title, hours) for slug, title, hours in entries)
    return LearningBlock(key, name, month, modules, sum(m.hours for m in modules))


def _tier(
    key: str, number: int, name: str, audience: str, blocks: tuple[LearningBlock, ...]
) -> LearningTier:
    return LearningTier(key, number, name, audience, blocks, sum(b.total_hours for b in blocks))


def _cadence(key: str, text: str, frequency: Frequency) -> Cadence:
    return Cadence(key, text, frequency, FREQUENCY_INTERVAL_DAYS[frequency])


def _fields(prefix: str, entries: Iterable[tuple[str, str]]) -> tuple[NamedField, ...]:
    return tuple(NamedField(f"{prefix}.{slug}", name) for slug, name in entries)


_DIMENSIONS = (
    _dimension(
        "knowledge",
        "AI Knowledge and Understanding",
        [
            ("fundamentals", "AI technology fundamentals"),
            ("business_applications", "AI business applications and use cases"),
            ("implementation_challenges", "AI implementation challenges and risks"),
            ("competitive_landscape", "AI competitive landscape and opportunities"),
            ("ethics_governance", "AI ethical considerations and governance"),
        ],
    ),
    _dimension(
        "attitude",
        "AI Attitude and Mindset",
        [
            ("enthusiasm", "Enthusiasm for AI potential"),
            ("comfort_with_uncertainty", "Comfort with AI uncertainty and ambiguity"),
            ("willingness_to_experiment", "Willingness to experiment and learn"),
            ("openness_to_change", "Openness to organizational change"),
            ("personal_development", "Commitment to personal AI development"),
        ],
    ),
    _dimension(
        "behaviours",
        "AI Leadership Behaviors",
        [
            ("communicates_vision", "Communicates AI vision effectively"),
            ("allocates_resources", "Allocates sufficient resources to AI"),
            ("timely_decisions", "Makes timely AI-related decisions"),
            ("models_adoption", "Models AI adoption personally"),
            ("supports_development", "Supports employee AI development"),
        ],
    ),
    _dimension(
        "strategy",
        "AI Strategic Thinking",
        [
            ("business_strategy", "Connects AI to business strategy"),
            ("competitive_implications", "Understands AI competitive implications"),
            ("risks_and_opportunities", "Balances AI risks and opportunities"),
            ("scaling_integration", "Plans for AI scaling and integration"),
            ("future_trends", "Anticipates AI future trends and needs"),
        ],
    ),
)

# Ordered from the top: a leader's band is the first whose range holds the total.
_BANDS = (
    Band("band.champion", "Champion", 85, 100, "85–100", "Ready to lead AI transformation"),
    Band("band.supporter", "Supporter", 70, 84, "70–84", "Needs development to lead effectively"),
    Band(
        "band.cautious", "Cautious", 55, 69, "55–69", "Requires significant engagement intervention"
    ),
    Band("band.skeptical", "Skeptical", 40, 54, "40–54", "Needs intensive conversion and support"),
    Band(
        "band.resistant",
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
    dimensions=_DIMENSIONS,
    min_total=20,
    max_total=100,
    bands=_BANDS,
)

_RATINGS: tuple[Rating, ...] = ("high", "medium", "low")

_INFLUENCE_METRICS = tuple(
    InfluenceMetric(f"influence.{slug}", name, _RATINGS)
    for slug, name in [
        ("formal_authority", "Formal Authority"),
        ("informal_influence", "Informal Influence"),
        ("peer_respect", "Peer Respect"),
        ("employee_following", "Employee Following"),
        ("external_credibility", "External Credibility"),
    ]
)

# The framework rates each influence metric High/Medium/Low but gives no weights. The
# influence index (0–100) therefore weighs the five metrics equally and scores a rating
# High 1, Medium ½, Low 0: all High is 100, all Low is 0, every step is worth 10 points.
INFLUENCE_RATING_POINTS: dict[str, float] = {"high": 1.0, "medium": 0.5, "low": 0.0}
INFLUENCE_METRIC_WEIGHTS: dict[str, float] = {metric.key: 1.0 for metric in _INFLUENCE_METRICS}

_ENGAGEMENT_DRIVERS = _fields(
    "driver",
    [
        ("motivated_by", "Motivated by"),
        ("concerned_about", "Concerned about"),
        ("values_alignment", "Values alignment"),
    ],
)

_STRATEGY_FIELDS = _fields(
    "strategy_field",
    [
        ("approach", "Approach"),
        ("messaging", "Messaging"),
        ("timing", "Timing"),
        ("support_needed", "Support needed"),
    ],
)

_BARRIERS = tuple(
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


_LEADER_LEVELS = (
    LeaderLevel(
        "level.executive",
        "executive",
        "Executive",
        "CEO/President Level Concerns",
        "CEO/President and C-suite",
        _concerns(
            "executive",
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
        "level.senior",
        "senior",
        "Senior",
        "Functional Leadership Concerns",
        "Functional heads",
        _concerns(
            "senior",
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
        "level.operational",
        "operational",
        "Operational",
        "Operational Leadership Concerns",
        "Line leaders",
        _concerns(
            "operational",
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

_LEADER_PROFILE = tuple(
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

_FAILURE_MODES = (
    FailureMode(
        "failure.disengaged",
        "Disengaged",
        "Stays entirely outside the AI initiative: approves budget, reviews results at "
        "quarterly business reviews and treats AI as something the technical team manages.",
    ),
    FailureMode(
        "failure.fearful",
        "Fearful",
        "Terrified of AI: every setback confirms that AI isn't ready and the organization "
        "should wait until the technology is more mature.",
    ),
    FailureMode(
        "failure.uncritically_enthusiastic",
        "Uncritically enthusiastic",
        "Every successful demo produces pressure to implement immediately and at scale, "
        "until real operational data creates a crisis of confidence.",
    ),
)

_ENGAGEMENT_PLAN = EngagementPlanTemplate(
    key="template.engagement_plan",
    name="Executive AI Engagement Plan",
    obstacle_fields=_fields(
        "obstacle",
        [
            ("primary_barriers", "Primary barriers"),
            ("secondary_concerns", "Secondary concerns"),
            ("influencer_resistance", "Influencer resistance"),
            ("resource_constraints", "Resource constraints"),
        ],
    ),
    strategies=_fields(
        "engagement_strategy",
        [
            ("personal_education", "Personal AI education and development"),
            ("business_case", "AI business case and ROI demonstration"),
            ("peer_influence", "Peer influence and social proof"),
            ("executive_coaching", "Executive coaching and support"),
            ("recognition", "Recognition and advancement opportunities"),
            ("risk_mitigation", "Risk mitigation and safety nets"),
        ],
    ),
    action_periods=_fields(
        "action_period",
        [
            ("weeks_1_2", "Week 1-2"),
            ("weeks_3_4", "Week 3-4"),
            ("month_2", "Month 2"),
            ("month_3", "Month 3"),
        ],
    ),
    actions_per_period=3,
    success_metrics=_fields(
        "engagement_metric",
        [
            ("behaviour_frequency", "Engagement behavior frequency"),
            ("employee_perception", "Employee perception scores"),
            ("initiative_support", "AI initiative support level"),
            ("personal_tool_usage", "Personal AI tool usage"),
        ],
    ),
    review_schedule=(
        _cadence("engagement_review.weekly_check_in", "Weekly check-ins", "weekly"),
        _cadence("engagement_review.monthly_progress", "Monthly progress review", "monthly"),
        _cadence(
            "engagement_review.quarterly_adjustment", "Quarterly plan adjustment", "quarterly"
        ),
    ),
)

_VISIONING_SESSIONS = (
    VisioningSession(
        "vision.reality_and_opportunity",
        1,
        "AI Reality and Opportunity",
        "Half-day",
        (
            "AI competitive landscape analysis",
            "Industry AI transformation case studies",
            "Organization-specific AI opportunity assessment",
            "Current state AI capability audit",
            "AI threat and opportunity scenario planning",
        ),
        (
            "Shared understanding of AI competitive imperative",
            "Agreement on AI transformation urgency",
            "Identification of highest-impact AI opportunities",
            "Recognition of AI transformation complexity",
        ),
    ),
    VisioningSession(
        "vision.vision_and_strategy",
        2,
        "AI Vision and Strategy Development",
        "Full day",
        (
            "Organizational AI vision statement creation",
            "AI strategy alignment with business strategy",
            "AI transformation success metrics definition",
            "Resource requirements and investment planning",
            "Timeline and milestone establishment",
        ),
        (
            "Executive-authored AI vision and strategy",
            "Committed AI investment and resource allocation",
            "Agreed success metrics and accountability",
            "Unified leadership messaging and communication",
        ),
    ),
    VisioningSession(
        "vision.role_definition",
        3,
        "Leadership Role Definition",
        "Half-day",
        (
            "Individual leader AI responsibilities",
            "Cross-functional AI collaboration requirements",
            "Leadership communication and modeling expectations",
            "AI governance and decision-making processes",
            "Personal AI development commitments",
        ),
        (
            "Clear leadership accountability and expectations",
            "Personal AI development plans for each leader",
            "Communication and change management responsibilities",
            "Governance structure and decision-making processes",
        ),
    ),
)

_LEARNING_TIERS = (
    _tier(
        "tier.literacy",
        1,
        "AI Literacy",
        "All Executives",
        (
            _block(
                "tier.literacy.month_1",
                "Foundation",
                1,
                [
                    ("business_fundamentals", "AI business fundamentals", 4),
                    ("industry_applications", "Industry-specific AI applications", 3),
                    ("ethics_governance", "AI ethics and governance overview", 2),
                    ("case_studies", "AI transformation case studies", 3),
                    ("tool_experimentation", "Personal AI tool experimentation", 2),
                ],
            ),
            _block(
                "tier.literacy.month_2",
                "Application",
                2,
                [
                    ("executive_decisions", "AI in executive decision-making", 3),
                    ("competitive_strategy", "AI competitive strategy development", 4),
                    ("risk_management", "AI risk management and mitigation", 3),
                    ("transformation_leadership", "AI transformation leadership", 3),
                    ("cross_functional", "Cross-functional AI collaboration", 2),
                ],
            ),
        ),
    ),
    _tier(
        "tier.leadership",
        2,
        "AI Leadership",
        "Senior Executives",
        (
            _block(
                "tier.leadership.additional",
                "Additional Requirements",
                None,
                [
                    ("methodology", "AI transformation methodology", 6),
                    ("change_culture", "AI change management and culture", 4),
                    ("measurement", "AI measurement and optimization", 3),
                    ("ecosystem", "AI vendor and partner ecosystem", 3),
                    ("future_trends", "AI future trends and strategic planning", 4),
                ],
            ),
        ),
    ),
    _tier(
        "tier.championship",
        3,
        "AI Championship",
        "AI Sponsors",
        (
            _block(
                "tier.championship.additional",
                "Additional Requirements",
                None,
                [
                    ("technical_deep_dive", "Technical AI deep dive", 8),
                    ("product_development", "AI product and service development", 6),
                    ("talent_building", "AI talent and capability building", 4),
                    ("innovation", "AI innovation and experimentation", 4),
                    ("thought_leadership", "AI thought leadership and external communication", 4),
                ],
            ),
        ),
    ),
)

_DEVELOPMENT_PLAN_MONTHS = (
    _block(
        "plan.month_1",
        "Foundation Building",
        1,
        [
            ("business_fundamentals", "AI business fundamentals", 4),
            ("industry_applications", "Industry AI applications", 3),
            ("tool_experimentation", "Personal AI tool experimentation", 4),
            ("coaching_session", "AI leadership coaching session", 2),
            ("peer_learning", "AI peer learning discussion", 1),
        ],
    ),
    _block(
        "plan.month_2",
        "Application Development",
        2,
        [
            ("decision_workshop", "AI decision-making workshop", 3),
            ("communication_training", "AI communication training", 2),
            ("team_development", "AI team development skills", 3),
            ("transformation_methodology", "AI transformation methodology", 4),
            ("coaching_session", "AI leadership coaching session", 2),
        ],
    ),
    _block(
        "plan.month_3",
        "Integration and Mastery",
        3,
        [
            ("strategy_development", "AI strategy development", 4),
            ("culture_building", "AI culture building", 3),
            ("measurement", "AI measurement and optimization", 2),
            ("leadership_project", "AI leadership project", 8),
            ("coaching_session", "AI leadership coaching session", 2),
        ],
    ),
)

_DEVELOPMENT_PLAN = DevelopmentPlanTemplate(
    key="template.development_plan",
    name="Personalized AI Leadership Development Plan",
    months=_DEVELOPMENT_PLAN_MONTHS,
    total_hours=sum(m.total_hours for m in _DEVELOPMENT_PLAN_MONTHS),
    milestone_reviews=(
        MilestoneReview("milestone.day_30", 30, "30-day check-in"),
        MilestoneReview("milestone.day_60", 60, "60-day assessment"),
        MilestoneReview("milestone.day_90", 90, "90-day evaluation"),
    ),
    support_resources=("AI coach", "AI mentor", "AI peer group", "AI tools access"),
    practice_opportunities=(
        "AI pilot project leadership",
        "AI presentation opportunities",
        "AI decision-making scenarios",
        "AI team development assignments",
    ),
    success_metrics=_fields(
        "plan_metric",
        [
            ("knowledge_improvement", "AI knowledge assessment improvement"),
            ("employee_engagement", "Employee AI engagement scores"),
            ("tool_usage", "Personal AI tool usage frequency"),
            ("behaviour_observations", "AI leadership behavior observations"),
        ],
    ),
)

_CORE_MESSAGES = tuple(
    CoreMessage(f"message.{slug}", number, name, statement)
    for number, (slug, name, statement) in enumerate(
        [
            (
                "imperative",
                "AI Imperative",
                "AI transformation is essential for competitive survival",
            ),
            ("opportunity", "AI Opportunity", "AI amplifies human potential and creates new value"),
            ("commitment", "AI Commitment", "We're investing significantly in AI and our people"),
            (
                "partnership",
                "AI Partnership",
                "Humans and AI work better together than either alone",
            ),
            ("future", "AI Future", "AI readiness positions us for long-term success"),
        ],
        start=1,
    )
)

_COMMUNICATION = (
    LevelCommunication(
        "communication.executive",
        "executive",
        "CEO Communication",
        (
            _cadence(
                "cadence.executive.progress_update",
                "Monthly company-wide AI progress updates",
                "monthly",
            ),
            _cadence(
                "cadence.executive.results_presentation",
                "Quarterly AI strategy and results presentation",
                "quarterly",
            ),
            _cadence(
                "cadence.executive.vision_address",
                "Annual AI vision and commitment address",
                "annual",
            ),
            # The secondary indicators ask for monthly thought-leadership contributions.
            _cadence(
                "cadence.executive.thought_leadership",
                "External AI thought leadership and speaking",
                "monthly",
            ),
        ),
    ),
    LevelCommunication(
        "communication.senior",
        "senior",
        "Senior Leadership Communication",
        (
            _cadence(
                "cadence.senior.integration_update",
                "Bi-weekly department AI integration updates",
                "biweekly",
            ),
            _cadence(
                "cadence.senior.collaboration_report",
                "Monthly cross-functional AI collaboration reports",
                "monthly",
            ),
            _cadence(
                "cadence.senior.success_stories", "Quarterly AI success story sharing", "quarterly"
            ),
            _cadence(
                "cadence.senior.development_conversations",
                "Regular one-on-one AI development conversations",
                "regular",
            ),
        ),
    ),
    LevelCommunication(
        "communication.operational",
        "operational",
        "Operational Leadership Communication",
        (
            _cadence(
                "cadence.operational.tool_usage", "Weekly team AI tool usage and benefits", "weekly"
            ),
            _cadence(
                "cadence.operational.experimentation",
                "Daily AI experimentation and learning sharing",
                "daily",
            ),
            _cadence(
                "cadence.operational.peer_coaching",
                "Regular AI peer coaching and mentoring",
                "regular",
            ),
            _cadence(
                "cadence.operational.culture_modeling",
                "Continuous AI culture modeling and reinforcement",
                "continuous",
            ),
        ),
    ),
)

_COMMUNICATION_PLAN = CommunicationPlanTemplate(
    key="template.communication_plan",
    name="Leadership AI Communication Strategy",
    supporting_messages=_fields(
        "supporting_message",
        [
            ("necessity", "AI Necessity"),
            ("opportunity", "AI Opportunity"),
            ("security", "AI Security"),
            ("partnership", "AI Partnership"),
            ("future", "AI Future"),
        ],
    ),
    calendar=(
        CalendarSlot(
            "calendar.week_1",
            "Week 1",
            (
                "All-hands AI vision presentation",
                "Executive team AI strategy alignment",
                "Department head AI briefings",
                "Employee Q&A session",
            ),
        ),
        CalendarSlot(
            "calendar.week_2",
            "Week 2",
            (
                "AI success story sharing",
                "Personal AI usage demonstration",
                "Cross-functional AI collaboration showcase",
                "AI learning and development announcement",
            ),
        ),
        CalendarSlot(
            "calendar.monthly",
            "Monthly",
            (
                "AI progress update presentation",
                "AI challenge and solution discussion",
                "AI innovation recognition ceremony",
                "AI future planning and preparation",
            ),
        ),
        CalendarSlot(
            "calendar.quarterly",
            "Quarterly",
            (
                "AI transformation results review",
                "AI strategy adjustment and refinement",
                "AI competitive positioning update",
                "AI culture and engagement assessment",
            ),
        ),
    ),
    audiences=(
        AudienceFocus("audience.employees", "Employees", "Focus on empowerment and opportunity"),
        AudienceFocus("audience.customers", "Customers", "Emphasize service improvement and value"),
        AudienceFocus("audience.investors", "Investors", "Highlight ROI and competitive advantage"),
        AudienceFocus("audience.partners", "Partners", "Stress collaboration and mutual benefit"),
    ),
    effectiveness_measures=_fields(
        "communication_measure",
        [
            ("comprehension", "Message comprehension"),
            ("engagement", "Audience engagement"),
            ("behaviour_change", "Behavior change"),
            ("business_impact", "Business impact"),
        ],
    ),
)

_COACHING = CoachingProgramme(
    key="coaching.programme",
    name="Individual Executive Coaching Structure",
    weeks=12,
    phases=(
        CoachingPhase(
            "coaching.assessment_planning",
            "Assessment and Planning",
            1,
            2,
            (
                "Personal AI leadership strengths and gaps",
                "Individual AI transformation challenges",
                "Customized AI development plan creation",
                "Success metrics and milestone definition",
            ),
        ),
        CoachingPhase(
            "coaching.skill_development",
            "Skill Development",
            3,
            8,
            (
                "AI tool usage and personal productivity",
                "AI-informed decision making techniques",
                "AI communication and influence strategies",
                "AI risk assessment and management",
            ),
        ),
        CoachingPhase(
            "coaching.application_integration",
            "Application and Integration",
            9,
            12,
            (
                "Real-world AI leadership challenges",
                "Team AI engagement and development",
                "AI transformation obstacle navigation",
                "AI success measurement and optimization",
            ),
        ),
    ),
    pre_session_questions=_fields(
        "coaching.pre_session",
        [
            ("tool_usage", "AI tool usage since last session"),
            ("challenges", "AI leadership challenges encountered"),
            ("wins", "AI wins and successes"),
            ("employee_feedback", "Employee feedback on AI leadership"),
        ],
    ),
    focus_areas=_fields(
        "coaching.focus",
        [
            ("personal_skill", "Personal AI skill development"),
            ("communication", "AI communication and messaging"),
            ("decision_making", "AI decision-making processes"),
            ("team_development", "AI team development and support"),
            ("obstacle_management", "AI transformation obstacle management"),
        ],
    ),
    action_items_per_session=3,
    next_session_goals=3,
    success_metrics=_fields(
        "coaching.metric",
        [
            ("tool_usage_frequency", "Personal AI tool usage frequency"),
            ("employee_engagement", "Employee AI engagement scores"),
            ("decision_confidence", "AI decision-making confidence"),
            ("communication_effectiveness", "AI communication effectiveness"),
        ],
    ),
)

_PEER_FORUMS = (
    PeerForum(
        "peer.roundtable",
        "Monthly AI Leadership Roundtables",
        "monthly",
        (
            "Cross-functional AI challenge sharing",
            "Best practice exchange and learning",
            "AI vendor and solution evaluation",
            "AI industry trend discussion and analysis",
        ),
    ),
    PeerForum(
        "peer.summit",
        "Quarterly AI Leadership Summits",
        "quarterly",
        (
            "External AI expert presentations",
            "AI transformation success story sharing",
            "AI competitive intelligence updates",
            "AI strategic planning and alignment",
        ),
    ),
    PeerForum(
        "peer.mentorship",
        "AI Executive Mentorship Program",
        None,
        (
            "Pair experienced AI leaders with developing leaders",
            "Cross-industry AI leadership exchange",
            "External AI expert advisory relationships",
            "Board-level AI governance and oversight",
        ),
    ),
)


def _behaviours(
    frequency: Literal["daily", "weekly", "monthly"], entries: Iterable[tuple[str, str]]
) -> tuple[Behaviour, ...]:
    return tuple(
        Behaviour(f"behaviour.{frequency}.{slug}", frequency, text) for slug, text in entries
    )


_BEHAVIOURS = (
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

_QUARTERLY_REVIEW = QuarterlyReview(
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

_DEVELOPMENT_PATHWAYS = (
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

_CONTINUOUS_DEVELOPMENT = ContinuousDevelopment(
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

_PRIMARY_KPIS = (
    Kpi(
        "kpi.executive_fluency",
        1,
        "Executive AI Fluency",
        "90% of leaders score 70+ on AI knowledge assessment",
        90,
        "% of leaders",
        ">=",
        "Quarterly AI competency evaluations",
        "Consistent score improvement over time",
        qualifying_score=70,
    ),
    Kpi(
        "kpi.leadership_behaviour",
        2,
        "Leadership AI Behavior",
        "85% of leaders demonstrate daily AI leadership behaviors",
        85,
        "% of leaders",
        ">=",
        "360-degree feedback and observation tracking",
        "Sustained behavior consistency",
    ),
    Kpi(
        "kpi.employee_confidence",
        3,
        "Employee Confidence in AI Leadership",
        "80% employee confidence in leadership AI direction",
        80,
        "% of employees",
        ">=",
        "Monthly employee pulse surveys",
        "Improving confidence trend",
    ),
    Kpi(
        "kpi.resource_commitment",
        4,
        "AI Investment and Resource Commitment",
        "100% of committed AI resources allocated on schedule",
        100,
        "% of committed resources",
        ">=",
        "Budget tracking and resource deployment monitoring",
        "Consistent investment and expansion",
    ),
    Kpi(
        "kpi.communication_quality",
        5,
        "Leadership AI Communication Quality",
        '75% employee rating of "effective" or "very effective"',
        75,
        "% of employees",
        ">=",
        "Communication effectiveness surveys",
        "Improving message clarity and impact",
    ),
)

_SECONDARY_KPIS = (
    Kpi(
        "kpi.time_to_decision",
        1,
        "Time-to-decision on AI initiatives",
        "50% reduction",
        -50,
        "% change from baseline",
        "<=",
        "Days from proposal to decision, against the programme's baseline",
        "Faster AI decisions",
    ),
    Kpi(
        "kpi.cross_functional_collaboration",
        2,
        "Cross-functional AI collaboration frequency",
        "200% increase",
        200,
        "% change from baseline",
        ">=",
        "Cross-functional collaboration behaviours logged, against the baseline",
        "More cross-functional AI work",
    ),
    Kpi(
        "kpi.executive_tool_adoption",
        3,
        "Executive AI tool adoption rate",
        "90% regular usage",
        90,
        "% of executives",
        ">=",
        "Executives reporting regular AI tool use",
        "Regular personal AI use",
    ),
    Kpi(
        "kpi.innovation_support",
        4,
        "Leadership AI innovation support",
        "100% of pilot approvals",
        100,
        "% of pilots approved",
        ">=",
        "Pilot proposals approved by their leader",
        "Every pilot gets leadership support",
    ),
    Kpi(
        "kpi.thought_leadership",
        5,
        "External AI thought leadership activities",
        "Monthly contributions",
        1,
        "contributions per month",
        ">=",
        "External talks, articles and panels logged",
        "A steady external voice",
    ),
)

_DASHBOARD = (
    DashboardCadence(
        "dashboard.weekly",
        "Weekly Metrics",
        "weekly",
        (
            "Leadership AI tool usage tracking",
            "Executive AI communication activities",
            "Leadership AI decision-making instances",
            "Employee feedback on leadership AI support",
        ),
    ),
    DashboardCadence(
        "dashboard.monthly",
        "Monthly Metrics",
        "monthly",
        (
            "Leadership AI behavior consistency scores",
            "Employee confidence in AI leadership ratings",
            "AI initiative resource allocation status",
            "Leadership AI development progress tracking",
        ),
    ),
    DashboardCadence(
        "dashboard.quarterly",
        "Quarterly Metrics",
        "quarterly",
        (
            "Comprehensive leadership AI assessment scores",
            "AI transformation milestone achievement rates",
            "Leadership AI ROI and business impact contribution",
            "Organizational AI culture development indicators",
        ),
    ),
)

_KEY_OUTCOMES = (
    KeyOutcome(
        "outcome.alignment", 95, "%", "senior leadership alignment with AI transformation vision"
    ),
    KeyOutcome("outcome.fluency", 80, "%", "increase in executive AI fluency and comfort"),
    KeyOutcome(
        "outcome.commitment", 90, "%", "sustained leadership commitment throughout transformation"
    ),
    KeyOutcome(
        "outcome.acceleration",
        70,
        "%",
        "acceleration in transformation timeline through executive support",
    ),
    KeyOutcome(
        "outcome.employee_confidence", 60, "%", "improvement in employee confidence and engagement"
    ),
)

_ALIGNMENT_ELEMENTS = (
    AlignmentElement(
        "alignment.outcome_chain",
        "Outcome chain",
        "What the AI intervention changes in operations, and how that produces business or risk outcomes.",
    ),
    AlignmentElement(
        "alignment.operating_model",
        "Operating model",
        "Who owns the AI system in production (including monitoring, incidents, and updates), "
        "and what decisions are now made differently.",
    ),
    AlignmentElement(
        "alignment.change_load",
        "Change load",
        "What new work, training, incentives, controls, and dependencies the organisation must "
        "absorb to get the benefit safely.",
    ),
    AlignmentElement(
        "alignment.risk_posture",
        "Risk posture",
        "What harms are unacceptable, what oversight is required, how incidents are handled, and "
        "how quickly the organisation can roll back or restrict behaviour.",
    ),
    AlignmentElement(
        "alignment.gates",
        "Gates",
        "The feasibility constraints converted into explicit gates that executives endorse.",
    ),
)

_METRIC_LAYERS = (
    MetricLayer(
        "layer.model_data_health",
        "Model/data health",
        ("Drift", "Coverage", "Eval quality for genAI"),
    ),
    MetricLayer(
        "layer.operational",
        "Operational",
        ("Cycle time", "Acceptance/override", "Rework", "Escalations"),
    ),
    MetricLayer(
        "layer.business_risk_outcome",
        "Business/risk outcome",
        ("Loss rates", "Churn", "Complaint rates", "Cost-to-serve"),
    ),
    MetricLayer(
        "layer.counter_metric",
        "Counter-metric",
        ("Guardrails against harmful “wins”, like faster responses but higher repeat contact",),
    ),
)

_COMPARISON_METHODS = (
    ComparisonMethod(
        "comparison.ab_test", "A/B test", "Randomised groups with and without the AI.", True
    ),
    ComparisonMethod(
        "comparison.before_after", "Before/after", "The same population against its baseline.", True
    ),
    ComparisonMethod(
        "comparison.matched_cohorts",
        "Matched cohorts",
        "Comparable groups matched on what drives the outcome.",
        True,
    ),
    ComparisonMethod(
        "comparison.none",
        "None",
        "No comparison: impact cannot be defended, so the initiative is learning-only.",
        False,
    ),
)

_INITIATIVE_STAGES = (
    InitiativeStage("stage.idea", 1, "Idea", "Proposed; the alignment package is being written."),
    InitiativeStage(
        "stage.learning_only_pilot",
        2,
        "Learning-only pilot",
        "Running without measurement integrity or with gates open: results teach, they don't justify scaling.",
    ),
    InitiativeStage(
        "stage.scale_ready",
        3,
        "Scale-ready",
        "Every gate has evidence and the measurement has integrity.",
    ),
    InitiativeStage(
        "stage.scaling", 4, "Scaling", "Expanding coverage in horizons, with the controls running."
    ),
    InitiativeStage("stage.retired", 5, "Retired", "Stopped or replaced; its learnings are kept."),
)

_ARCHETYPES = (
    Archetype(
        "archetype.genai_customer_facing",
        "GenAI in customer-facing workflows",
        (
            "Hallucinations",
            "Policy misstatements",
            "PII leakage",
            "Inconsistent tone or commitments",
        ),
    ),
    Archetype(
        "archetype.ml_decisioning",
        "ML in decisioning workflows",
        (
            "Auditability gaps",
            "Inconsistent adverse-action reasoning",
            "Drift-driven performance decay",
            "Unfair outcomes",
        ),
    ),
    # The register also names these two; the seed lists no risks for them.
    Archetype("archetype.internal_productivity", "Internal productivity", ()),
    Archetype("archetype.other", "Other", ()),
)

_GATES = (
    Gate(
        "gate.data_rights",
        1,
        "Data rights and access",
        "Are data rights and access cleared?",
        "Data rights and access are cleared (including how PII is handled).",
    ),
    Gate(
        "gate.workflow_instrumentation",
        2,
        "Workflow instrumentation",
        "Can we observe behaviour change?",
        "Workflow instrumentation exists to observe behaviour change (acceptance, edits, overrides, rework).",
    ),
    Gate(
        "gate.integration_support",
        3,
        "Integration and production support",
        "Is production support defined?",
        "Integration and production support are defined (latency, failure modes, fallback).",
    ),
    Gate(
        "gate.governance_controls",
        4,
        "Governance controls",
        "Are governance controls built in?",
        "Governance controls are built-in (logging, redaction, oversight rules, audit trail).",
    ),
    Gate(
        "gate.operational_ownership",
        5,
        "Named operational ownership",
        "Is there a named operational owner?",
        "Named operational ownership exists (RACI, incident response, retraining triggers).",
    ),
)

_NON_NEGOTIABLES = (
    NonNegotiable(
        "non_negotiable.decision_logging",
        "Decision logging",
        "Model inputs, outputs and the reasons used in the workflow are logged, overrides with their reasons.",
    ),
    NonNegotiable(
        "non_negotiable.monitoring_ownership",
        "Monitoring ownership",
        "A named owner watches drift and quality against thresholds.",
    ),
    NonNegotiable(
        "non_negotiable.incident_process",
        "Incident process",
        "A defined incident playbook with on-call ownership and a rollback procedure.",
    ),
)

_CHANGE_IMPACTS = (
    ChangeImpactType(
        "impact.decision_rights",
        1,
        "Decision-right shifts",
        "AI often changes who decides what. A recommender model doesn't “automate”; it reshapes accountability.",
    ),
    ChangeImpactType(
        "impact.workload_redistribution",
        2,
        "Workload redistribution",
        "AI frequently reduces time in one step but increases time elsewhere (editing, validation, exception handling).",
    ),
    ChangeImpactType(
        "impact.incentive_misalignment",
        3,
        "Incentive and KPI misalignment",
        "If people are rewarded for speed, an AI assistant may increase risky behaviour unless "
        "counter-metrics and quality checks are aligned.",
    ),
    ChangeImpactType(
        "impact.operational_obligations",
        4,
        "New operational obligations",
        "AI introduces monitoring, evaluation, retraining triggers, audits, and incident response; "
        "without budget, headcount or ownership the system degrades and trust collapses.",
    ),
)

_BEFORE_AFTER = (
    BeforeAfterDimension(
        "before_after.decision_flow",
        "Decision flow",
        "Decisions rely on human judgment with informal rationale, sometimes inconsistently documented.",
        "Decisions become a human+AI system with explicit rules for when AI is advisory vs binding, "
        "and how overrides are handled and logged.",
    ),
    BeforeAfterDimension(
        "before_after.accountability",
        "Accountability",
        "Outcome accountability sits with the function (e.g., underwriting, support), but tooling ownership is clearer.",
        "Accountability splits: business owns outcomes, platform/ML owns model health, and a named "
        "operational owner coordinates incidents and change approvals.",
    ),
    BeforeAfterDimension(
        "before_after.work_measurement",
        "Work measurement",
        "Process metrics exist, but the “why” behind outcomes is often opaque.",
        "Workflow instrumentation captures acceptance/override, rework, edits, escalations, and "
        "enables counter-metrics to detect harm or gaming.",
    ),
    BeforeAfterDimension(
        "before_after.risk_management",
        "Risk management",
        "Risk governance often happens through periodic reviews and manual sampling.",
        "Risk controls are designed in: logging, audit trail, redaction, citations for genAI, drift "
        "monitoring, and a defined incident playbook.",
    ),
    BeforeAfterDimension(
        "before_after.capacity_constraints",
        "Capacity constraints",
        "Bottlenecks are visible (IT queues, policy reviews), but impact is limited to projects.",
        "Bottlenecks multiply across the AI portfolio unless leaders cap in-flight work and fund "
        "shared dependencies (logging, eval harnesses, data rights).",
    ),
)

_BOTTLENECK_TEAMS = (
    BottleneckTeam("bottleneck.legal", "Legal"),
    BottleneckTeam("bottleneck.security", "Security"),
    BottleneckTeam("bottleneck.data_engineering", "Data engineering"),
)


@dataclass(frozen=True, slots=True)
class OutcomeChainStep:
    key: str
    order: int
    name: str


# Seed 003: AI output → changed decision or workflow step → operational metric →
# business or risk outcome.
OUTCOME_CHAIN_STEPS = (
    OutcomeChainStep("chain.ai_output", 1, "AI output"),
    OutcomeChainStep("chain.decision_or_workflow_step", 2, "Human decision or workflow step"),
    OutcomeChainStep("chain.operational_metric", 3, "Operational metric"),
    OutcomeChainStep("chain.business_risk_outcome", 4, "Business or risk outcome"),
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

# --- §1.3 / Template 1: engagement plan generation rules and action catalogue ---------------
# (owned by the engagement module, issue 5). The framework names the six strategies, the
# four action periods and the barriers, but not which strategy answers which obstacle nor
# the actions themselves: these rules and actions are Bellwether's reading of §1.3, the
# Critical Success Factors and seed 001, written as data so they can be read on the
# Framework page and every generated plan item can say which rule produced it.


EngagementTrigger = Literal[
    "barrier", "concern", "band", "failure_mode", "influencer", "sponsor", "driver", "default"
]


@dataclass(frozen=True, slots=True)
class EngagementRule:
    """When ``trigger`` matches one of ``matches``, choose ``strategy`` with ``weight``.

    Triggers: ``barrier`` (a barrier key marked primary or secondary; primary counts
    double), ``concern`` (a level concern key), ``band`` (the current band key, or
    ``none`` when not assessed), ``failure_mode`` (a failure-mode key), ``influencer``
    (``resistance``: someone who influences the leader is Skeptical or Resistant),
    ``sponsor`` (``yes``), ``driver`` (a word in the named driver's text, see ``field``),
    ``default`` (no other rule chose anything). ``focus`` names actions to prefer."""

    key: str
    trigger: EngagementTrigger
    matches: tuple[str, ...]
    strategy: str
    weight: int
    text: str
    focus: str = ""
    field: str = ""


@dataclass(frozen=True, slots=True)
class EngagementAction:
    """One action of the catalogue: for a strategy and an action period. ``{messengers}``
    in the text is replaced by the messengers named for the leader."""

    key: str
    strategy: str
    period: str
    text: str
    focus: str = ""


_S = "engagement_strategy."


def _rule(
    slug: str,
    trigger: EngagementTrigger,
    matches: tuple[str, ...],
    strategy: str,
    weight: int,
    text: str,
    focus: str = "",
    field: str = "",
) -> EngagementRule:
    return EngagementRule(
        f"engagement_rule.{slug}",
        trigger,
        matches,
        _S + strategy,
        weight,
        text,
        focus,
        field,
    )


_ENGAGEMENT_RULES = (
    _rule(
        "skill_gap_education",
        "barrier",
        ("barrier.skill_gap_anxiety", "barrier.complexity_overwhelm"),
        "personal_education",
        2,
        "Skill gap anxiety or complexity overwhelm → personal AI education: start with "
        "education before expecting commitment.",
    ),
    _rule(
        "investment_business_case",
        "barrier",
        ("barrier.investment_uncertainty", "barrier.competing_priorities"),
        "business_case",
        2,
        "Investment uncertainty or competing priorities → an AI business case and ROI "
        "demonstration tied to the leader's own goals.",
    ),
    _rule(
        "risk_aversion_safety_nets",
        "barrier",
        ("barrier.risk_aversion",),
        "risk_mitigation",
        2,
        "Risk aversion → risk mitigation and safety nets: small, reversible pilots with "
        "explicit guardrails.",
    ),
    _rule(
        "responsibility_coaching",
        "barrier",
        ("barrier.responsibility_diffusion",),
        "executive_coaching",
        2,
        "Responsibility diffusion → executive coaching to make ownership and accountability "
        "explicit.",
    ),
    _rule(
        "culture_peer_proof",
        "barrier",
        ("barrier.cultural_misalignment", "barrier.change_fatigue"),
        "peer_influence",
        2,
        "Cultural misalignment or change fatigue → peer influence and social proof from "
        "respected colleagues who have made AI work.",
    ),
    _rule(
        "knowledge_concerns_education",
        "concern",
        ("concern.executive.knowledge_gaps", "concern.senior.training_investment"),
        "personal_education",
        1,
        "A knowledge-gap or training concern → personal AI education.",
    ),
    _rule(
        "roi_concerns_business_case",
        "concern",
        (
            "concern.executive.investor_skepticism",
            "concern.executive.resource_conflicts",
            "concern.senior.budget_competition",
            "concern.senior.department_impact",
        ),
        "business_case",
        1,
        "An ROI, budget or impact concern → a business case with the department's own figures.",
    ),
    _rule(
        "timeline_concerns_business_case",
        "concern",
        ("concern.executive.pressure_for_results", "concern.operational.timeline_pressure"),
        "business_case",
        1,
        "Pressure for immediate results → a business case with realistic timelines, set "
        "explicitly rather than implicitly.",
        focus="implementation_risks",
    ),
    _rule(
        "reliability_concerns_safety_nets",
        "concern",
        (
            "concern.executive.reputation_risk",
            "concern.senior.integration_complexity",
            "concern.operational.business_disruption",
            "concern.operational.customer_impact",
            "concern.operational.quality_reliability",
            "concern.operational.vendor_dependency",
        ),
        "risk_mitigation",
        1,
        "A reputation, reliability, disruption or dependency concern → risk mitigation and "
        "safety nets.",
    ),
    _rule(
        "change_burden_peers",
        "concern",
        ("concern.senior.change_burden",),
        "peer_influence",
        1,
        "Employee resistance and change burden → peer learning with leaders who have led the "
        "same change.",
    ),
    _rule(
        "resistant_band_peers",
        "band",
        ("band.skeptical", "band.resistant"),
        "peer_influence",
        3,
        "A Skeptical or Resistant band → peer influence, delivered by the messengers best "
        "placed to reach this leader.",
    ),
    _rule(
        "resistant_band_coaching",
        "band",
        ("band.skeptical", "band.resistant"),
        "executive_coaching",
        2,
        "A Skeptical or Resistant band → intensive executive coaching and support.",
    ),
    _rule(
        "cautious_band_education",
        "band",
        ("band.cautious",),
        "personal_education",
        2,
        "A Cautious band → personal AI education and development with visible early wins.",
    ),
    _rule(
        "supporter_band_recognition",
        "band",
        ("band.supporter", "band.champion"),
        "recognition",
        2,
        "A Supporter or Champion band → recognition and advancement opportunities as a "
        "visible AI advocate.",
    ),
    _rule(
        "not_assessed_education",
        "band",
        ("none",),
        "personal_education",
        1,
        "Not assessed yet → start with AI education before expecting commitment; set the "
        "target once the readiness assessment is in.",
    ),
    _rule(
        "influencer_resistance_peers",
        "influencer",
        ("resistance",),
        "peer_influence",
        3,
        "Someone who influences this leader is Skeptical or Resistant → peer influence from "
        "Champions and Supporters, to counter the resistant influence.",
    ),
    _rule(
        "fearful_coaching",
        "failure_mode",
        ("failure.fearful",),
        "executive_coaching",
        3,
        "Fearful failure mode → executive coaching: every setback is read as proof AI isn't "
        "ready; coach through setbacks.",
    ),
    _rule(
        "fearful_safety_nets",
        "failure_mode",
        ("failure.fearful",),
        "risk_mitigation",
        2,
        "Fearful failure mode → risk mitigation and safety nets, and the cost of waiting "
        "made explicit.",
    ),
    _rule(
        "enthusiastic_implementation_risks",
        "failure_mode",
        ("failure.uncritically_enthusiastic",),
        "business_case",
        3,
        "Uncritically enthusiastic failure mode → a business case that focuses on "
        "implementation risks and the gap between demo and production.",
        focus="implementation_risks",
    ),
    _rule(
        "disengaged_involvement",
        "failure_mode",
        ("failure.disengaged",),
        "personal_education",
        3,
        "Disengaged failure mode → personal involvement: the leader uses AI themselves on "
        "work they actually need to do.",
        focus="personal_involvement",
    ),
    _rule(
        "disengaged_recognition",
        "failure_mode",
        ("failure.disengaged",),
        "recognition",
        1,
        "Disengaged failure mode → recognition of visible personal AI learning.",
        focus="personal_involvement",
    ),
    _rule(
        "sponsor_recognition",
        "sponsor",
        ("yes",),
        "recognition",
        2,
        "An executive sponsor → recognition and a platform as the AI champion their "
        "initiatives need (target: Champion).",
    ),
    _rule(
        "motivated_by_advancement",
        "driver",
        ("career", "advancement", "promotion", "recognition", "visibility", "legacy"),
        "recognition",
        1,
        "Motivated by career, recognition or visibility → recognition and advancement "
        "opportunities.",
        field="driver.motivated_by",
    ),
    _rule(
        "motivated_by_results",
        "driver",
        ("results", "roi", "growth", "revenue", "cost", "efficiency", "numbers", "margin"),
        "business_case",
        1,
        "Motivated by results, growth or efficiency → the AI business case and ROI.",
        field="driver.motivated_by",
    ),
    _rule(
        "concerned_about_risk",
        "driver",
        ("risk", "safety", "compliance", "failure", "reputation", "security", "privacy"),
        "risk_mitigation",
        1,
        "Concerned about risk, compliance or reputation → risk mitigation and safety nets.",
        field="driver.concerned_about",
    ),
    _rule(
        "concerned_about_skills",
        "driver",
        ("skill", "learn", "understand", "knowledge", "complex", "time"),
        "personal_education",
        1,
        "Concerned about skills, understanding or time → short personal AI education.",
        field="driver.concerned_about",
    ),
    _rule(
        "values_peers",
        "driver",
        ("people", "team", "culture", "tradition", "employees"),
        "peer_influence",
        1,
        "Values centred on people, team or culture → peer influence and social proof.",
        field="driver.values_alignment",
    ),
    _rule(
        "default_education_coaching",
        "default",
        (),
        "personal_education",
        1,
        "Nothing else known → gradual and supported development: AI education first.",
    ),
    _rule(
        "default_coaching",
        "default",
        (),
        "executive_coaching",
        1,
        "Nothing else known → continuous coaching and support throughout the journey.",
    ),
)

_P1, _P2, _P3, _P4 = (
    "action_period.weeks_1_2",
    "action_period.weeks_3_4",
    "action_period.month_2",
    "action_period.month_3",
)


def _actions(
    strategy: str, entries: Iterable[tuple[str, str, str, str]]
) -> tuple[EngagementAction, ...]:
    return tuple(
        EngagementAction(f"engagement_action.{strategy}.{slug}", _S + strategy, period, text, focus)
        for slug, period, text, focus in entries
    )


_ENGAGEMENT_ACTIONS = (
    *_actions(
        "personal_education",
        [
            (
                "own_task",
                _P1,
                "Use an AI assistant on one task from this week's own work and note what worked and what didn't",
                "personal_involvement",
            ),
            ("fundamentals", _P1, "Complete the AI fundamentals module (Tier 1, month 1)", ""),
            (
                "hands_on",
                _P1,
                "One-hour hands-on session with the coach on the tools the team already has",
                "",
            ),
            (
                "domain_failure",
                _P2,
                "See AI fail at a task the leader knows well and discuss where human review is non-optional",
                "personal_involvement",
            ),
            (
                "weekly_use",
                _P2,
                "Use AI on one recurring task each week and keep a short log",
                "personal_involvement",
            ),
            (
                "strategy_module",
                _P2,
                "Complete the AI strategy and business applications module",
                "",
            ),
            (
                "share_learning",
                _P3,
                "Tell the team what surprised you using AI and what you changed",
                "personal_involvement",
            ),
            (
                "use_case_review",
                _P3,
                "Review two AI use cases in the leader's own area with the delivery team",
                "",
            ),
            ("peer_learning", _P3, "Join the monthly AI leadership learning session", ""),
            (
                "teach_back",
                _P4,
                "Lead a short teach-back on AI for the leader's own team",
                "personal_involvement",
            ),
            ("next_tier", _P4, "Agree the next learning tier and its dates", ""),
            ("demo_own", _P4, "Demonstrate personal AI use in a leadership meeting", ""),
        ],
    ),
    *_actions(
        "business_case",
        [
            ("goals", _P1, "Connect AI to two of the leader's own goals for the year", ""),
            (
                "baseline",
                _P1,
                "Agree the baseline figures an AI use case in the area would move",
                "",
            ),
            (
                "demo_vs_production",
                _P1,
                "Walk through the gap between demo results and production with real operational data and edge cases",
                "implementation_risks",
            ),
            (
                "case_studies",
                _P2,
                "Review two case studies from similar organisations with their figures",
                "",
            ),
            (
                "roi_model",
                _P2,
                "Draft an ROI estimate with the finance partner, with its assumptions written down",
                "",
            ),
            (
                "realistic_timeline",
                _P2,
                "Set expectations explicitly: how long until the system is reliable in operational use",
                "implementation_risks",
            ),
            ("pilot_case", _P3, "Present a pilot business case to the leadership team", ""),
            (
                "implementation_risks",
                _P3,
                "List the implementation risks of the favoured use case and who owns each",
                "implementation_risks",
            ),
            ("budget", _P3, "Agree a pilot budget and the decision it would inform", ""),
            (
                "results_review",
                _P4,
                "Review pilot results against the baseline, not against the demo",
                "implementation_risks",
            ),
            ("scale_decision", _P4, "Decide scale, adjust or stop on the evidence", ""),
            ("share_results", _P4, "Share the results, including what did not work", ""),
        ],
    ),
    *_actions(
        "peer_influence",
        [
            (
                "messenger_conversation",
                _P1,
                "Informal conversation with {messengers} about their AI experience",
                "",
            ),
            ("peer_story", _P1, "Share a success story from a peer in a similar role", ""),
            ("forum_invite", _P1, "Invitation to the next AI leadership peer forum", ""),
            ("shadow", _P2, "Shadow {messengers} for an hour of AI-assisted work", ""),
            ("peer_network", _P2, "Join a peer learning network of leaders at the same level", ""),
            ("industry_advocate", _P2, "Meet a respected industry leader who advocates AI", ""),
            ("co_present", _P3, "Co-present an AI topic with {messengers}", ""),
            ("forum_contribute", _P3, "Contribute a question or experience at the peer forum", ""),
            ("peer_review", _P3, "Peer review of an AI use case with a Champion", ""),
            ("buddy", _P4, "Become a learning buddy for another leader", ""),
            ("forum_lead", _P4, "Lead one topic at the peer forum", ""),
            ("peer_feedback", _P4, "Ask {messengers} for feedback on progress", ""),
        ],
    ),
    *_actions(
        "executive_coaching",
        [
            (
                "coach_kickoff",
                _P1,
                "First coaching session: concerns, goals and what support is needed",
                "",
            ),
            ("readiness_debrief", _P1, "Debrief the readiness report with the coach", ""),
            ("ownership", _P1, "Make explicit which AI decisions the leader owns", ""),
            ("weekly_coaching", _P2, "Weekly 30-minute coaching check-in", ""),
            (
                "setback_review",
                _P2,
                "Review a recent AI setback with the coach: technology, data, use case or adoption?",
                "",
            ),
            ("commitment", _P2, "Agree one visible AI commitment for the month", ""),
            ("biweekly_coaching", _P3, "Fortnightly coaching on progress against the plan", ""),
            ("behaviours", _P3, "Practise the weekly AI leadership behaviours with the coach", ""),
            ("stakeholder_map", _P3, "Map the leader's stakeholders and their stance on AI", ""),
            ("progress_review", _P4, "Coaching review of progress and next quarter's focus", ""),
            ("self_assessment", _P4, "Repeat the readiness self-assessment and compare", ""),
            ("plan_adjust", _P4, "Adjust the plan with the coach for the next quarter", ""),
        ],
    ),
    *_actions(
        "recognition",
        [
            (
                "acknowledge",
                _P1,
                "Acknowledge the leader's first AI experiment in the leadership team",
                "personal_involvement",
            ),
            ("advocate_role", _P1, "Offer a visible role as AI advocate for the area", ""),
            ("goals_link", _P1, "Link AI leadership to the leader's performance goals", ""),
            (
                "spotlight",
                _P2,
                "Spotlight the leader's AI learning in internal communication",
                "personal_involvement",
            ),
            ("sponsor_visibility", _P2, "Give the leader a speaking slot at the AI town hall", ""),
            ("celebrate", _P2, "Celebrate an incremental AI win from the leader's team", ""),
            ("award", _P3, "Nominate the leader for AI leadership recognition", ""),
            ("mentor", _P3, "Invite the leader to mentor a Cautious peer", ""),
            ("external", _P3, "Offer an external speaking or writing opportunity on AI", ""),
            ("career", _P4, "Discuss how AI leadership figures in career advancement", ""),
            ("succession", _P4, "Record AI leadership in the succession planning review", ""),
            ("champion_network", _P4, "Invite the leader into the Champion network", ""),
        ],
    ),
    *_actions(
        "risk_mitigation",
        [
            ("guardrails", _P1, "Agree the guardrails and human review for the first AI use", ""),
            ("safe_pilot", _P1, "Choose a small, reversible pilot with a clear stop rule", ""),
            (
                "cost_of_waiting",
                _P1,
                "Discuss the cost of waiting: what competitors learn meanwhile",
                "",
            ),
            ("risk_register", _P2, "Build the pilot's risk register with the owners named", ""),
            ("fallback", _P2, "Define the fallback if the AI system misbehaves", ""),
            ("escalation", _P2, "Agree how incidents are escalated and reported", ""),
            ("pilot_review", _P3, "Review the pilot's incidents and near misses", ""),
            ("quality_checks", _P3, "Set quality and reliability checks on AI outputs", ""),
            ("vendor", _P3, "Review vendor dependencies and exit options", ""),
            ("lessons", _P4, "Write down lessons learned and what changes", ""),
            ("expand_safely", _P4, "Agree the conditions to expand the pilot", ""),
            ("risk_signoff", _P4, "Risk sign-off for the next stage", ""),
        ],
    ),
)


_STRATEGY_KEYS = {s.key for s in _ENGAGEMENT_PLAN.strategies}
_PERIOD_KEYS = [p.key for p in _ENGAGEMENT_PLAN.action_periods]
for _r in _ENGAGEMENT_RULES:
    _check(_r.strategy in _STRATEGY_KEYS, f"{_r.key}: unknown strategy {_r.strategy}")
    _check(_r.trigger != "driver" or bool(_r.field), f"{_r.key}: a driver rule names its field")
for _strategy in _STRATEGY_KEYS:
    for _period in _PERIOD_KEYS:
        _check(
            sum(a.strategy == _strategy and a.period == _period for a in _ENGAGEMENT_ACTIONS)
            >= _ENGAGEMENT_PLAN.actions_per_period,
            f"{_strategy} needs {_ENGAGEMENT_PLAN.actions_per_period} actions in {_period}",
        )


CATALOGUE = Catalogue(
    version=FRAMEWORK_VERSION,
    key_outcomes=_KEY_OUTCOMES,
    instrument=INSTRUMENT,
    influence_metrics=_INFLUENCE_METRICS,
    engagement_drivers=_ENGAGEMENT_DRIVERS,
    strategy_fields=_STRATEGY_FIELDS,
    barriers=_BARRIERS,
    leader_levels=_LEADER_LEVELS,
    leader_profile=_LEADER_PROFILE,
    failure_modes=_FAILURE_MODES,
    engagement_plan=_ENGAGEMENT_PLAN,
    visioning_sessions=_VISIONING_SESSIONS,
    learning_tiers=_LEARNING_TIERS,
    development_plan=_DEVELOPMENT_PLAN,
    core_messages=_CORE_MESSAGES,
    communication=_COMMUNICATION,
    communication_plan=_COMMUNICATION_PLAN,
    coaching=_COACHING,
    peer_forums=_PEER_FORUMS,
    behaviours=_BEHAVIOURS,
    reinforcement=(
        "Peer recognition and celebration",
        "360-degree feedback on AI leadership",
        "AI leadership competency development",
        "Performance management integration",
        "Succession planning and career advancement",
    ),
    quarterly_review=_QUARTERLY_REVIEW,
    development_pathways=_DEVELOPMENT_PATHWAYS,
    continuous_development=_CONTINUOUS_DEVELOPMENT,
    primary_kpis=_PRIMARY_KPIS,
    secondary_kpis=_SECONDARY_KPIS,
    dashboard=_DASHBOARD,
    alignment_elements=_ALIGNMENT_ELEMENTS,
    metric_layers=_METRIC_LAYERS,
    comparison_methods=_COMPARISON_METHODS,
    initiative_stages=_INITIATIVE_STAGES,
    archetypes=_ARCHETYPES,
    gates=_GATES,
    non_negotiables=_NON_NEGOTIABLES,
    change_impacts=_CHANGE_IMPACTS,
    before_after=_BEFORE_AFTER,
    bottleneck_teams=_BOTTLENECK_TEAMS,
    engagement_rules=_ENGAGEMENT_RULES,
    engagement_actions=_ENGAGEMENT_ACTIONS,
)


# --- Lookups later modules use ------------------------------------------------------------


def _walk_keyed(value: Any) -> Iterator[Any]:
    """Every catalogue entry that has a ``key``, depth first."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "key"):
            yield value
        for f in dataclasses.fields(value):
            yield from _walk_keyed(getattr(value, f.name))
    elif isinstance(value, tuple):
        for v in value:
            yield from _walk_keyed(v)


def all_keyed_entries(catalogue: Catalogue = CATALOGUE) -> list[Any]:
    return list(_walk_keyed(catalogue))


_BY_KEY: dict[str, Any] = {entry.key: entry for entry in _walk_keyed(CATALOGUE)}
_check(len(_BY_KEY) == len(all_keyed_entries()), "catalogue keys are not unique")


def entry(key: str) -> Any:
    """Any catalogue entry by its key; KeyError if there is none."""
    return _BY_KEY[key]


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


def behaviours_by_frequency() -> dict[str, tuple[Behaviour, ...]]:
    """The 15 behaviours of §3.3 grouped as daily, weekly, monthly (in that order)."""
    grouped: dict[str, tuple[Behaviour, ...]] = {}
    for frequency in ("daily", "weekly", "monthly"):
        grouped[frequency] = tuple(b for b in CATALOGUE.behaviours if b.frequency == frequency)
    return grouped


def leader_level(level: str) -> LeaderLevel:
    """The level profile for a ``Person.leader_level`` value (executive/senior/operational)."""
    for candidate in CATALOGUE.leader_levels:
        if candidate.level == level:
            return candidate
    raise KeyError(level)


def communication_for(level: str) -> LevelCommunication:
    for candidate in CATALOGUE.communication:
        if candidate.level == level:
            return candidate
    raise KeyError(level)


def learning_tier(key: str) -> LearningTier:
    for candidate in CATALOGUE.learning_tiers:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


def review_weights() -> dict[str, int]:
    """Quarterly review component key → weight out of 100."""
    return {c.key: c.weight for c in CATALOGUE.quarterly_review.components}


def kpi(key: str) -> Kpi:
    for candidate in (*CATALOGUE.primary_kpis, *CATALOGUE.secondary_kpis):
        if candidate.key == key:
            return candidate
    raise KeyError(key)
