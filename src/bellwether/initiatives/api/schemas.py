"""The initiatives API's input and output schemas (their names are the OpenAPI document's
component names: keep them)."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from bellwether.core.bounds import MAX_INT32
from bellwether.core.schema import CursorQuery, Id, Link, QueryInput, StrictInput, UtcDateTime
from bellwether.framework.catalogue import COMPARISON_NONE
from bellwether.initiatives import services

MAX_PUSH = services.MAX_MEASUREMENTS

# Free text of the register and the package (stored in text columns): generous, but bounded.
Text = Annotated[str, Field(max_length=20_000)]


Key = Annotated[str, Field(max_length=80)]


Count = Annotated[int, Field(ge=0, le=MAX_INT32)]


class InitiativePersonRef(Schema):
    id: int
    name: str


class AlignmentOut(Schema):
    executives: int
    aligned: int
    share: float | None = Field(description="Aligned executives / executives asked")
    disagreements: list[dict[str, Any]]
    pending: list[int]


class SignatoryOut(Schema):
    id: int
    name: str
    given: int = Field(description="Elements of the package the executive has a position on")
    signed: bool = Field(description="A position on every element")
    aligned: bool = Field(description="Agrees on every element")


class SignatoriesIn(StrictInput):
    person_ids: list[Id] = Field(
        max_length=500,
        description="The executives who must sign; replaces the list (empty: none named)",
    )


class SignatoriesOut(Schema):
    signatories: list[SignatoryOut]
    alignment: AlignmentOut


class AlertOut(Schema):
    kind: str = Field(description='"guardrail", "weak_chain" or "majority_wall"')
    message: str


class InitiativeSummary(Schema):
    id: int
    name: str
    archetype: str
    horizon: str
    stage: str
    sponsor: InitiativePersonRef
    scale_ready_blockers: list[str]
    learning_only: bool = Field(description="True while the measurement lacks integrity")
    gates_endorsed: int
    gates_total: int
    teams_in_flight: list[str]
    alignment: AlignmentOut
    alerts: list[AlertOut]


class InitiativeList(Schema):
    items: list[InitiativeSummary]


class InitiativeIn(StrictInput):
    name: str = Field(max_length=200)
    archetype: Key
    sponsor_id: Id
    problem: Text = ""
    horizon: str = Field("H1", max_length=2)
    teams_involved: Text = ""


class InitiativePatch(StrictInput):
    name: str | None = Field(None, max_length=200)
    problem: Text | None = None
    archetype: Key | None = None
    horizon: str | None = Field(None, max_length=2)
    teams_involved: Text | None = None
    business_owner_id: Id | None = None
    model_owner_id: Id | None = None
    operational_owner_id: Id | None = None
    raci: dict[Key, dict[Key, Annotated[str, Field(max_length=500)]]] | None = Field(
        None, description="Activity key → {responsible, accountable, consulted, informed}"
    )
    incident_process: Text | None = None
    rollback_procedure: Text | None = None
    on_call: Text | None = None
    new_work: Text | None = None
    training: Text | None = None
    incentives: Text | None = None
    controls: Text | None = None
    dependencies: Text | None = None
    risk_posture: Text | None = None


class ChainLinkIn(StrictInput):
    kind: Key = Field(description="A catalogue outcome-chain step key, e.g. chain.ai_output")
    text: str = Field(max_length=300)


class ChainLinkOut(Schema):
    kind: str
    text: str


class ChainIn(StrictInput):
    links: list[ChainLinkIn] = Field(max_length=50)


class ChainOut(Schema):
    links: list[ChainLinkOut]
    weaknesses: list[str]


class MetricIn(StrictInput):
    name: str = Field(max_length=200)
    layer: Key
    direction: str = Field(
        max_length=10, description='"increase" or "decrease": the way it should move'
    )
    unit: str = Field("", max_length=40)
    target: float | None = None
    baseline_value: float | None = None
    baseline_period: str = Field("", max_length=100)
    baseline_source: str = Field("", max_length=200)
    comparison: Key = COMPARISON_NONE
    guardrail: float | None = None


class MetricOut(Schema):
    id: int
    name: str
    layer: str
    direction: str
    unit: str
    target: float | None
    baseline_value: float | None
    baseline_period: str
    baseline_source: str
    comparison: str
    guardrail: float | None
    latest: float | None = None
    breached: bool = False


class GateOut(Schema):
    key: str
    name: str
    status: str
    evidence_text: str
    evidence_link: str
    has_file: bool
    waiver_reason: str
    endorsed_by: InitiativePersonRef | None


class InitiativeDetail(InitiativeSummary):
    problem: str
    teams_involved: str
    business_owner: InitiativePersonRef | None
    model_owner: InitiativePersonRef | None
    operational_owner: InitiativePersonRef | None
    raci: dict[str, Any]
    incident_process: str
    rollback_procedure: str
    on_call: str
    new_work: str
    training: str
    incentives: str
    controls: str
    dependencies: str
    risk_posture: str
    chain: ChainOut
    metrics: list[MetricOut]
    measurement_integrity_gaps: list[str]
    gates: list[GateOut]
    majority_wall: bool
    signatories: list[SignatoryOut] = Field(
        description="The required signatories: alignment is measured over them"
    )
    change_impacts: list[ChangeImpactOut]
    decision_rights: list[DecisionRightOut]
    before_after: dict[str, dict[str, str]]


class MeasurementIn(StrictInput):
    metric_id: Id
    measured_at: UtcDateTime = Field(description="ISO 8601 with a time zone")
    value: float


class MeasurementsIn(StrictInput):
    measurements: list[MeasurementIn] = Field(
        description=f"Up to {MAX_PUSH:,}; idempotent on metric + measured_at"
    )


class MeasurementsOut(Schema):
    created: int
    updated: int
    unchanged: int


class EvidenceIn(StrictInput):
    text: Text = ""
    link: Link = Field("", description="An http(s) address; other schemes are refused")


class WaiveIn(StrictInput):
    reason: Text


class StageIn(StrictInput):
    stage: Key


class StageOut(Schema):
    id: int
    stage: str


class AlignmentIn(StrictInput):
    element: Key
    agrees: bool
    comment: Text = ""


class ChangeImpactIn(StrictInput):
    impact_type: Key
    affected_group: str = Field(max_length=200)
    owner_id: Id | None = None
    mitigation: Text = ""
    status: str = Field("open", max_length=20)


class DecisionRightIn(StrictInput):
    decision: str = Field(max_length=300)
    decided_by_before: str = Field(max_length=200)
    decided_by_after: str = Field(max_length=200)
    mode: str = Field(max_length=10, description='"advisory" or "binding"')
    accountable: str = Field(max_length=200)
    override_handling: Text = ""


class CreatedOut(Schema):
    id: int


class AdoptionSampleIn(StrictInput):
    cohort: str = Field(max_length=20, description='"early_adopters" or "majority"')
    week: int = Field(ge=1, le=520)
    active_users: Count = 0
    suggestions: Count
    accepted: Count
    overridden: Count = 0


class AdoptionIn(StrictInput):
    samples: list[AdoptionSampleIn] = Field(max_length=2000)


class AdoptionOut(Schema):
    written: int
    majority_wall: bool
    guidance: str


class MetricPatch(StrictInput):
    name: str | None = Field(None, max_length=200)
    layer: Key | None = None
    direction: str | None = Field(None, max_length=10)
    unit: str | None = Field(None, max_length=40)
    target: float | None = None
    baseline_value: float | None = None
    baseline_period: str | None = Field(None, max_length=100)
    baseline_source: str | None = Field(None, max_length=200)
    comparison: Key | None = None
    guardrail: float | None = None


class ChangeImpactPatch(StrictInput):
    impact_type: Key | None = None
    affected_group: str | None = Field(None, max_length=200)
    owner_id: Id | None = None
    mitigation: Text | None = None
    status: str | None = Field(
        None, max_length=20, description='"open", "mitigating" or "mitigated" (closed)'
    )


class ChangeImpactOut(Schema):
    id: int
    impact_type: str
    affected_group: str
    owner: InitiativePersonRef | None
    mitigation: str
    status: str
    missing: list[str] = Field(
        description='What an impact registered before both were required lacks: "owner", '
        '"mitigation" (an edit must complete it)'
    )


class DecisionRightPatch(StrictInput):
    decision: str | None = Field(None, max_length=300)
    decided_by_before: str | None = Field(None, max_length=200)
    decided_by_after: str | None = Field(None, max_length=200)
    mode: str | None = Field(None, max_length=10)
    accountable: str | None = Field(None, max_length=200)
    override_handling: Text | None = None


class DecisionRightOut(Schema):
    id: int
    decision: str
    decided_by_before: str
    decided_by_after: str
    mode: str
    accountable: str
    override_handling: str


class BeforeAfterIO(StrictInput):
    before: str = Field("", max_length=2000)
    after: str = Field("", max_length=2000)


class BeforeAfterIn(StrictInput):
    dimensions: dict[Key, BeforeAfterIO] = Field(
        description="Catalogue before/after dimension key (e.g. before_after.decision_flow) "
        "→ before and after"
    )


class AdoptionWeekOut(Schema):
    week: int
    cohort: str
    active_users: int
    suggestions: int
    accepted: int
    overridden: int
    acceptance_rate: float | None = Field(
        description="Percent of suggestions accepted; null for a week without suggestions "
        "(left out of the majority wall, not counted as 0%)"
    )
    override_rate: float | None


class AdoptionCurveOut(Schema):
    samples: list[AdoptionWeekOut]
    majority_wall: bool
    wall_weeks: list[int]
    guidance: str


class TeamStartIn(StrictInput):
    override_reason: Text = Field("", description="Only the sponsor may start beyond the cap")


class DemandOut(Schema):
    team: str
    in_flight: bool
    override_reason: str


class TeamLoadOut(Schema):
    id: int
    name: str
    cap: int
    in_flight: int
    overrides: int
    waiting: int
    over_cap: bool


class TimeToDecisionQuery(QueryInput):
    baseline_days: float | None = Field(None, gt=0, le=3650)


class MonthlyMedianOut(Schema):
    # An object rather than a [month, days] pair: OpenAPI 3.1 has no tuple type.
    month: str
    median_days: float


class TimeToDecisionOut(Schema):
    median_days: float | None
    baseline_days: float | None
    change_percent: float | None
    by_month: list[MonthlyMedianOut]
    open_requests: int


class DecisionsQuery(CursorQuery):
    status: Literal["", "open", "decided"] = Field("", description="Empty for both")
    initiative_id: Id | None = None
    q: str = Field("", max_length=100, description="Words of the title or the outcome")


class DecisionRequestIn(StrictInput):
    title: str = Field(max_length=300)
    initiative_id: Id | None = None
    requested_at: UtcDateTime | None = None


class DecisionOutcomeIn(StrictInput):
    outcome: Text
    decided_by_id: Id
    decided_at: UtcDateTime | None = None


class DecisionOut(Schema):
    id: int
    title: str
    initiative_id: int | None
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None
    decided_by: InitiativePersonRef | None
    outcome: str
