"""Template 1: the Executive AI Engagement Plan (drivers, strategy fields, strategies,
action periods, success metrics, review schedule).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from bellwether.framework.catalogue._base import Cadence, NamedField, cadence, named_fields

# Template 1 success metric keys code refers to by name.
ENGAGEMENT_METRIC_BEHAVIOUR_FREQUENCY: Final = "engagement_metric.behaviour_frequency"
ENGAGEMENT_METRIC_EMPLOYEE_PERCEPTION: Final = "engagement_metric.employee_perception"
ENGAGEMENT_METRIC_INITIATIVE_SUPPORT: Final = "engagement_metric.initiative_support"
ENGAGEMENT_METRIC_PERSONAL_TOOL_USAGE: Final = "engagement_metric.personal_tool_usage"


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


ENGAGEMENT_DRIVERS = named_fields(
    "driver",
    [
        ("motivated_by", "Motivated by"),
        ("concerned_about", "Concerned about"),
        ("values_alignment", "Values alignment"),
    ],
)

STRATEGY_FIELDS = named_fields(
    "strategy_field",
    [
        ("approach", "Approach"),
        ("messaging", "Messaging"),
        ("timing", "Timing"),
        ("support_needed", "Support needed"),
    ],
)


ENGAGEMENT_PLAN = EngagementPlanTemplate(
    key="template.engagement_plan",
    name="Executive AI Engagement Plan",
    obstacle_fields=named_fields(
        "obstacle",
        [
            ("primary_barriers", "Primary barriers"),
            ("secondary_concerns", "Secondary concerns"),
            ("influencer_resistance", "Influencer resistance"),
            ("resource_constraints", "Resource constraints"),
        ],
    ),
    strategies=named_fields(
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
    action_periods=named_fields(
        "action_period",
        [
            ("weeks_1_2", "Week 1-2"),
            ("weeks_3_4", "Week 3-4"),
            ("month_2", "Month 2"),
            ("month_3", "Month 3"),
        ],
    ),
    actions_per_period=3,
    success_metrics=named_fields(
        "engagement_metric",
        [
            (ENGAGEMENT_METRIC_BEHAVIOUR_FREQUENCY, "Engagement behavior frequency"),
            (ENGAGEMENT_METRIC_EMPLOYEE_PERCEPTION, "Employee perception scores"),
            (ENGAGEMENT_METRIC_INITIATIVE_SUPPORT, "AI initiative support level"),
            (ENGAGEMENT_METRIC_PERSONAL_TOOL_USAGE, "Personal AI tool usage"),
        ],
    ),
    review_schedule=(
        cadence("engagement_review.weekly_check_in", "Weekly check-ins", "weekly"),
        cadence("engagement_review.monthly_progress", "Monthly progress review", "monthly"),
        cadence("engagement_review.quarterly_adjustment", "Quarterly plan adjustment", "quarterly"),
    ),
)
