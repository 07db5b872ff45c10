"""Seed 003: executive alignment, metric layers, comparison methods, initiative stages and
gates, archetypes, non-negotiables, change impacts and the outcome chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Layer, comparison, stage and outcome chain keys code refers to by name.
LAYER_MODEL_DATA_HEALTH: Final = "layer.model_data_health"
LAYER_OPERATIONAL: Final = "layer.operational"
LAYER_BUSINESS_RISK_OUTCOME: Final = "layer.business_risk_outcome"
LAYER_COUNTER_METRIC: Final = "layer.counter_metric"
COMPARISON_NONE: Final = "comparison.none"
STAGE_IDEA: Final = "stage.idea"
STAGE_LEARNING_ONLY_PILOT: Final = "stage.learning_only_pilot"
STAGE_SCALE_READY: Final = "stage.scale_ready"
STAGE_SCALING: Final = "stage.scaling"
STAGE_RETIRED: Final = "stage.retired"
CHAIN_AI_OUTPUT: Final = "chain.ai_output"
CHAIN_DECISION_OR_WORKFLOW_STEP: Final = "chain.decision_or_workflow_step"
CHAIN_OPERATIONAL_METRIC: Final = "chain.operational_metric"
CHAIN_BUSINESS_RISK_OUTCOME: Final = "chain.business_risk_outcome"


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


ALIGNMENT_ELEMENTS = (
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

METRIC_LAYERS = (
    MetricLayer(
        LAYER_MODEL_DATA_HEALTH,
        "Model/data health",
        ("Drift", "Coverage", "Eval quality for genAI"),
    ),
    MetricLayer(
        LAYER_OPERATIONAL,
        "Operational",
        ("Cycle time", "Acceptance/override", "Rework", "Escalations"),
    ),
    MetricLayer(
        LAYER_BUSINESS_RISK_OUTCOME,
        "Business/risk outcome",
        ("Loss rates", "Churn", "Complaint rates", "Cost-to-serve"),
    ),
    MetricLayer(
        LAYER_COUNTER_METRIC,
        "Counter-metric",
        ("Guardrails against harmful “wins”, like faster responses but higher repeat contact",),
    ),
)

COMPARISON_METHODS = (
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
        COMPARISON_NONE,
        "None",
        "No comparison: impact cannot be defended, so the initiative is learning-only.",
        False,
    ),
)

INITIATIVE_STAGES = (
    InitiativeStage(STAGE_IDEA, 1, "Idea", "Proposed; the alignment package is being written."),
    InitiativeStage(
        STAGE_LEARNING_ONLY_PILOT,
        2,
        "Learning-only pilot",
        "Running without measurement integrity or with gates open: results teach, they don't justify scaling.",
    ),
    InitiativeStage(
        STAGE_SCALE_READY,
        3,
        "Scale-ready",
        "Every gate has evidence and the measurement has integrity.",
    ),
    InitiativeStage(
        STAGE_SCALING, 4, "Scaling", "Expanding coverage in horizons, with the controls running."
    ),
    InitiativeStage(STAGE_RETIRED, 5, "Retired", "Stopped or replaced; its learnings are kept."),
)

ARCHETYPES = (
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

GATES = (
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

NON_NEGOTIABLES = (
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

CHANGE_IMPACTS = (
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

BEFORE_AFTER = (
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

BOTTLENECK_TEAMS = (
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
    OutcomeChainStep(CHAIN_AI_OUTPUT, 1, "AI output"),
    OutcomeChainStep(CHAIN_DECISION_OR_WORKFLOW_STEP, 2, "Human decision or workflow step"),
    OutcomeChainStep(CHAIN_OPERATIONAL_METRIC, 3, "Operational metric"),
    OutcomeChainStep(CHAIN_BUSINESS_RISK_OUTCOME, 4, "Business or risk outcome"),
)
