"""The rules of seed 003 (and seed 001's adoption curve) as plain Python.

No Django here: services, selectors, the API and the benchmark all ask these
functions, and they are tested directly.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from bellwether.framework.catalogue import (
    CATALOGUE,
    CHAIN_AI_OUTPUT,
    CHAIN_BUSINESS_RISK_OUTCOME,
    CHAIN_DECISION_OR_WORKFLOW_STEP,
    CHAIN_OPERATIONAL_METRIC,
    LAYER_BUSINESS_RISK_OUTCOME,
    LAYER_COUNTER_METRIC,
    LAYER_MODEL_DATA_HEALTH,
    LAYER_OPERATIONAL,
    MAJORITY_WALL,
    OUTCOME_CHAIN_STEPS,
    MajorityWallRule,
)

# The stage and comparison keys the register's rules name, re-exported for its modules.
from bellwether.framework.catalogue import COMPARISON_NONE as COMPARISON_NONE
from bellwether.framework.catalogue import STAGE_IDEA as STAGE_IDEA
from bellwether.framework.catalogue import (
    STAGE_LEARNING_ONLY_PILOT as STAGE_LEARNING_ONLY_PILOT,
)
from bellwether.framework.catalogue import STAGE_RETIRED as STAGE_RETIRED
from bellwether.framework.catalogue import STAGE_SCALE_READY as STAGE_SCALE_READY
from bellwether.framework.catalogue import STAGE_SCALING as STAGE_SCALING

AI_OUTPUT = CHAIN_AI_OUTPUT
DECISION_STEP = CHAIN_DECISION_OR_WORKFLOW_STEP
OPERATIONAL_METRIC = CHAIN_OPERATIONAL_METRIC
BUSINESS_OUTCOME = CHAIN_BUSINESS_RISK_OUTCOME
CHAIN_KINDS = tuple(step.key for step in OUTCOME_CHAIN_STEPS)

LAYER_HEALTH = LAYER_MODEL_DATA_HEALTH
LAYER_OUTCOME = LAYER_BUSINESS_RISK_OUTCOME
LAYER_COUNTER = LAYER_COUNTER_METRIC
LAYERS = tuple(layer.key for layer in CATALOGUE.metric_layers)

COMPARISONS_WITH_INTEGRITY = frozenset(
    method.key for method in CATALOGUE.comparison_methods if method.gives_measurement_integrity
)
COMPARISONS = tuple(method.key for method in CATALOGUE.comparison_methods)

Direction = Literal["increase", "decrease"]
GateStatus = Literal["open", "evidence_submitted", "endorsed", "waived"]

EARLY_ADOPTERS = "early_adopters"
MAJORITY = "majority"


# --- outcome chain ------------------------------------------------------------------------


def chain_weaknesses(kinds: Sequence[str]) -> list[str]:
    """Why an outcome chain (its links' kinds, in order) is weak; empty when it is sound.

    Seed 003: if the AI output doesn't change a human decision, a workflow step or a
    customer interaction, the business impact will be weak or unmeasurable.
    """
    if not kinds:
        return ["The outcome chain is empty: link the AI output to what it changes."]
    reasons = []
    if DECISION_STEP not in kinds:
        reasons.append(
            "The chain never reaches a human decision or workflow step, so the business "
            "impact will be weak or unmeasurable."
        )
    if BUSINESS_OUTCOME not in kinds:
        reasons.append("The chain never reaches a business or risk outcome.")
    elif DECISION_STEP in kinds and kinds.index(BUSINESS_OUTCOME) < kinds.index(DECISION_STEP):
        reasons.append(
            "The business or risk outcome comes before the decision or workflow step that "
            "should produce it."
        )
    return reasons


# --- measurement integrity ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MetricFacts:
    layer: str
    has_baseline: bool
    comparison: str


def _defensible(metric: MetricFacts) -> bool:
    return metric.has_baseline and metric.comparison in COMPARISONS_WITH_INTEGRITY


def integrity_gaps(
    *, defensible_operational: int, defensible_outcome: int, counter_metrics: int
) -> list[str]:
    """What the measurement still lacks, from counts of the metrics that qualify."""
    gaps = []
    if not defensible_operational:
        gaps.append(
            "An operational metric with a baseline and a comparison method other than “None”."
        )
    if not defensible_outcome:
        gaps.append(
            "A business/risk outcome metric with a baseline and a comparison method other "
            "than “None”."
        )
    if not counter_metrics:
        gaps.append("A counter-metric.")
    return gaps


def measurement_integrity_gaps(metrics: Iterable[MetricFacts]) -> list[str]:
    """What the measurement still lacks; empty means it has integrity (seed 003)."""
    metrics = list(metrics)
    return integrity_gaps(
        defensible_operational=sum(
            1 for m in metrics if m.layer == LAYER_OPERATIONAL and _defensible(m)
        ),
        defensible_outcome=sum(1 for m in metrics if m.layer == LAYER_OUTCOME and _defensible(m)),
        counter_metrics=sum(1 for m in metrics if m.layer == LAYER_COUNTER),
    )


# --- gates and scale-readiness -------------------------------------------------------------

GATE_NAMES: dict[str, str] = {
    **{gate.key: f"Gate {gate.number}: {gate.name}" for gate in CATALOGUE.gates},
    **{item.key: f"Non-negotiable: {item.name}" for item in CATALOGUE.non_negotiables},
}
GATE_KEYS = tuple(GATE_NAMES)
STATUS_LABELS: dict[str, str] = {
    "open": "open",
    "evidence_submitted": "evidence submitted, not yet endorsed",
    "endorsed": "endorsed",
    "waived": "waived",
}


def scale_ready_blockers(
    *,
    gate_statuses: Mapping[str, str],
    metrics: Iterable[MetricFacts] = (),
    gaps: Sequence[str] | None = None,
) -> list[str]:
    """Exactly what stands between an initiative and scale-ready; empty when nothing does.

    The measurement's ``gaps`` may be given when already known; otherwise they are
    worked out from ``metrics``. Every gate and non-negotiable must be endorsed: a waiver
    lets a learning-only pilot run, it does not justify scaling.
    """
    if gaps is None:
        gaps = measurement_integrity_gaps(metrics)
    blockers = [f"Measurement integrity: {gap}" for gap in gaps]
    for key in GATE_KEYS:
        status = gate_statuses.get(key, "open")
        if status != "endorsed":
            blockers.append(f"{GATE_NAMES[key]} is {STATUS_LABELS.get(status, status)}.")
    return blockers


# --- counter-metric guardrails ------------------------------------------------------------


def guardrail_breached(*, direction: str, guardrail: float | None, value: float | None) -> bool:
    """Has the metric moved the wrong way past its guardrail?

    ``direction`` is the way the metric should move; a counter-metric that should
    decrease (repeat contact) breaches when it rises above the guardrail.
    """
    if guardrail is None or value is None:
        return False
    if direction == "decrease":
        return value > guardrail
    return value < guardrail


# --- executive alignment ------------------------------------------------------------------

ALIGNMENT_ELEMENTS = tuple(element.key for element in CATALOGUE.alignment_elements)


@dataclass(frozen=True, slots=True)
class AlignmentSummary:
    executives: int
    aligned: int
    share: float | None  # aligned / executives, None when nobody was asked
    # (executive, element) pairs with a recorded disagreement.
    disagreements: tuple[tuple[int, str], ...]
    # Executives who have not recorded a position on every element yet.
    pending: tuple[int, ...]


def alignment_summary(
    *,
    executives: Iterable[int],
    positions: Mapping[tuple[int, str], bool],
    elements: Sequence[str] = ALIGNMENT_ELEMENTS,
) -> AlignmentSummary:
    """The share of executives in agreement on every element of the package.

    ``positions`` maps (executive, element) to agreement; a missing position is not
    agreement (alignment is decision-grade, not silence).
    """
    asked = sorted(set(executives))
    aligned = 0
    disagreements: list[tuple[int, str]] = []
    pending: list[int] = []
    for executive in asked:
        mine = [positions.get((executive, element)) for element in elements]
        if all(position is True for position in mine):
            aligned += 1
        if any(position is None for position in mine):
            pending.append(executive)
        disagreements.extend(
            (executive, element)
            for element, position in zip(elements, mine, strict=True)
            if position is False
        )
    return AlignmentSummary(
        executives=len(asked),
        aligned=aligned,
        share=(aligned / len(asked)) if asked else None,
        disagreements=tuple(disagreements),
        pending=tuple(pending),
    )


def alignment_from_counts(
    *,
    executives: Iterable[int],
    agreed: Mapping[int, int],
    disagreements: Sequence[tuple[int, str]],
    elements: Sequence[str] = ALIGNMENT_ELEMENTS,
) -> AlignmentSummary:
    """``alignment_summary`` from per-executive counts of agreements (as SQL gives them)
    and the list of disagreements."""
    asked_set = set(executives)
    asked = sorted(asked_set)
    needed = len(elements)
    disagreed: dict[int, int] = {}
    for executive, _ in disagreements:
        disagreed[executive] = disagreed.get(executive, 0) + 1
    aligned = sum(1 for e in asked if agreed.get(e, 0) >= needed)
    ordered = (
        sorted(
            (d for d in disagreements if d[0] in asked_set),
            key=lambda d: (d[0], elements.index(d[1])),
        )
        if disagreements
        else []
    )
    return AlignmentSummary(
        executives=len(asked),
        aligned=aligned,
        share=(aligned / len(asked)) if asked else None,
        disagreements=tuple(ordered),
        pending=tuple(e for e in asked if agreed.get(e, 0) + disagreed.get(e, 0) < needed),
    )


# --- adoption curve -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AdoptionPoint:
    week: int  # weeks since launch, from 1
    cohort: str  # EARLY_ADOPTERS or MAJORITY
    acceptance_rate: float  # percent of AI suggestions accepted


def rate(part: int, suggestions: int) -> float | None:
    """``part`` as a percent of the suggestions made; None for a week without suggestions.

    A week in which a cohort was shown no suggestion has no acceptance rate: it is not 0%
    (nobody refused anything), so it is left out of the curve and of the majority wall.
    The page, the API, the portfolio and the PDF all ask this function.
    """
    return 100 * part / suggestions if suggestions > 0 else None


def adoption_points(
    samples: Iterable[tuple[int, str, int, int]],
) -> list[AdoptionPoint]:
    """(week, cohort, accepted, suggestions) → the measured points of the adoption curve:
    weeks without suggestions are left out (see ``rate``)."""
    points = []
    for week, cohort, accepted, suggestions in samples:
        acceptance = rate(accepted, suggestions)
        if acceptance is not None:
            points.append(AdoptionPoint(week, cohort, acceptance))
    return points


@dataclass(frozen=True, slots=True)
class MajorityWall:
    flagged: bool
    weeks: tuple[int, ...]  # the trailing weeks where the gap held
    gap_points: float | None  # the latest gap, early minus majority
    guidance: str


def majority_wall(
    points: Iterable[AdoptionPoint], *, rule: MajorityWallRule = MAJORITY_WALL
) -> MajorityWall:
    """Flag the wall when, after the initial weeks, the majority's acceptance has trailed the
    early adopters' by at least the rule's gap for the last ``sustained_weeks`` weeks
    that have both cohorts measured (``points`` come from ``adoption_points``)."""
    early: dict[int, float] = {}
    majority: dict[int, float] = {}
    for point in points:
        (early if point.cohort == EARLY_ADOPTERS else majority)[point.week] = point.acceptance_rate
    weeks = sorted(w for w in early.keys() & majority.keys() if w > rule.initial_weeks)
    latest_gap = early[weeks[-1]] - majority[weeks[-1]] if weeks else None
    trailing: list[int] = []
    for week in reversed(weeks):
        if early[week] - majority[week] >= rule.gap_points:
            trailing.append(week)
        else:
            break
    flagged = len(trailing) >= rule.sustained_weeks
    return MajorityWall(
        flagged=flagged,
        weeks=tuple(sorted(trailing)) if flagged else (),
        gap_points=latest_gap,
        guidance=rule.guidance if flagged else "",
    )


# --- time to decision ---------------------------------------------------------------------


def median_days(durations: Iterable[float]) -> float | None:
    values = list(durations)
    return statistics.median(values) if values else None


def change_against_baseline(current: float | None, baseline: float | None) -> float | None:
    """Percent change of ``current`` against ``baseline`` (−50 means halved)."""
    if current is None or baseline is None or baseline <= 0:
        return None
    return (current - baseline) / baseline * 100


def median_by_period(samples: Iterable[tuple[str, float]]) -> list[tuple[str, float]]:
    """(period, days) samples → the median days per period, periods in order."""
    grouped: dict[str, list[float]] = {}
    for period, days in samples:
        grouped.setdefault(period, []).append(days)
    return [(period, statistics.median(grouped[period])) for period in sorted(grouped)]
