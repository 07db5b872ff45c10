"""§2.2 Personal AI Learning Plans and Template 3: the learning tiers, their modules and
hours, and the three-month development plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bellwether.framework.catalogue._base import NamedField, check, named_fields


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
        check(self.total_hours == sum(m.hours for m in self.modules), f"{self.key}: hours")


@dataclass(frozen=True, slots=True)
class LearningTier:
    key: str
    number: int
    name: str
    audience: str
    blocks: tuple[LearningBlock, ...]
    total_hours: int

    def __post_init__(self) -> None:
        check(self.total_hours == sum(b.total_hours for b in self.blocks), f"{self.key}: hours")


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
        check(self.total_hours == sum(m.total_hours for m in self.months), f"{self.key}: hours")


def _block(
    key: str, name: str, month: int | None, entries: Iterable[tuple[str, str, int]]
) -> LearningBlock:
    modules = tuple(LearningModule(f"{key}.{slug}", title, hours) for slug, title, hours in entries)
    return LearningBlock(key, name, month, modules, sum(m.hours for m in modules))


def _tier(
    key: str, number: int, name: str, audience: str, blocks: tuple[LearningBlock, ...]
) -> LearningTier:
    return LearningTier(key, number, name, audience, blocks, sum(b.total_hours for b in blocks))


LEARNING_TIERS = (
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

DEVELOPMENT_PLAN_MONTHS = (
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

DEVELOPMENT_PLAN = DevelopmentPlanTemplate(
    key="template.development_plan",
    name="Personalized AI Leadership Development Plan",
    months=DEVELOPMENT_PLAN_MONTHS,
    total_hours=sum(m.total_hours for m in DEVELOPMENT_PLAN_MONTHS),
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
    success_metrics=named_fields(
        "plan_metric",
        [
            ("knowledge_improvement", "AI knowledge assessment improvement"),
            ("employee_engagement", "Employee AI engagement scores"),
            ("tool_usage", "Personal AI tool usage frequency"),
            ("behaviour_observations", "AI leadership behavior observations"),
        ],
    ),
)


def learning_tier(key: str) -> LearningTier:
    for candidate in LEARNING_TIERS:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


# --- Who takes which tier, and how a plan is laid out ------------------------------------------
# The framework names each tier's audience ("All Executives", "Senior Executives", "AI
# Sponsors") but not how to recognise it in an organisation's data; the rule below is
# Bellwether's reading of it, stated once and shown beside every generated plan (an admin
# may override it per leader, with a reason).


@dataclass(frozen=True, slots=True)
class TierRule:
    """A tier is for leaders of ``levels``, or (``sponsors``) for leaders who hold the
    AI sponsor role whatever their level."""

    tier: str
    levels: tuple[str, ...]
    sponsors: bool
    text: str


TIER_RULES = (
    TierRule(
        "tier.literacy",
        ("executive", "senior", "operational"),
        False,
        "Tier 1 (AI Literacy) for every leader",
    ),
    TierRule(
        "tier.leadership",
        ("executive", "senior"),
        False,
        "Tier 2 (AI Leadership) for senior executives: the executive and senior levels",
    ),
    TierRule(
        "tier.championship",
        (),
        True,
        "Tier 3 (AI Championship) for AI sponsors: leaders who hold the sponsor role",
    ),
)

# The Template 3 month a tier's "additional requirements" fall in (Tier 1 has months).
TIER_BLOCK_MONTH: dict[str, int] = {
    "tier.leadership.additional": 2,
    "tier.championship.additional": 3,
}

# The readiness dimension (§1.1) each module mainly develops, by the module's slug (the
# part of its key after the block): a plan puts the modules of the leader's lowest
# dimensions first in each month. Bellwether's mapping; the framework does not give one.
MODULE_DIMENSIONS: dict[str, str] = {
    "business_fundamentals": "knowledge",
    "industry_applications": "knowledge",
    "ethics_governance": "knowledge",
    "case_studies": "knowledge",
    "tool_experimentation": "behaviours",
    "executive_decisions": "behaviours",
    "competitive_strategy": "strategy",
    "risk_management": "strategy",
    "transformation_leadership": "attitude",
    "cross_functional": "behaviours",
    "methodology": "strategy",
    "change_culture": "attitude",
    "measurement": "strategy",
    "ecosystem": "knowledge",
    "future_trends": "strategy",
    "technical_deep_dive": "knowledge",
    "product_development": "strategy",
    "talent_building": "behaviours",
    "innovation": "attitude",
    "thought_leadership": "behaviours",
    "coaching_session": "attitude",
    "peer_learning": "attitude",
    "decision_workshop": "behaviours",
    "communication_training": "behaviours",
    "team_development": "behaviours",
    "transformation_methodology": "strategy",
    "strategy_development": "strategy",
    "culture_building": "attitude",
    "leadership_project": "behaviours",
}

PLAN_MONTH_DAYS = 30  # a Template 3 "month", for due dates relative to the plan's start
MAX_MODULE_HOURS = 80  # the most hours one module may record as spent (a typo guard)
MAX_PLAN_ITEMS = 80  # items on one plan, all sources together

MILESTONE_RATINGS = named_fields(
    "milestone_rating",
    [
        ("ahead", "Ahead of plan"),
        ("on_track", "On track"),
        ("behind", "Behind plan"),
        ("off_track", "Off track: the plan needs changing"),
    ],
)


def module_slug(key: str) -> str:
    """The slug of a module key (``plan.month_1.peer_learning`` → ``peer_learning``)."""
    return key.rsplit(".", 1)[-1]


def _check_mapping() -> None:
    slugs = {
        module_slug(m.key)
        for block in (*DEVELOPMENT_PLAN_MONTHS, *(b for t in LEARNING_TIERS for b in t.blocks))
        for m in block.modules
    }
    check(
        slugs <= set(MODULE_DIMENSIONS),
        f"modules without a dimension: {slugs - set(MODULE_DIMENSIONS)}",
    )
    check({r.tier for r in TIER_RULES} == {t.key for t in LEARNING_TIERS}, "tier rules")


_check_mapping()
