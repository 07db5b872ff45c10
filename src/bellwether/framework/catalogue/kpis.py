"""Success Metrics and Measurement: the key outcomes, primary and secondary KPIs with
machine-checkable targets, and the measurement dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from bellwether.framework.catalogue._base import Comparison, Frequency

# KPI keys code refers to by name.
KPI_EMPLOYEE_CONFIDENCE: Final = "kpi.employee_confidence"
KPI_COMMUNICATION_QUALITY: Final = "kpi.communication_quality"


def kpi(key: str) -> Kpi:
    for candidate in (*PRIMARY_KPIS, *SECONDARY_KPIS):
        if candidate.key == key:
            return candidate
    raise KeyError(key)


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


PRIMARY_KPIS = (
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
        KPI_EMPLOYEE_CONFIDENCE,
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
        KPI_COMMUNICATION_QUALITY,
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

SECONDARY_KPIS = (
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

DASHBOARD = (
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

KEY_OUTCOMES = (
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
