"""AI initiatives over the JSON API: the register, the alignment package, measurements
push, gates, stage changes, capacity and alignment. Each endpoint parses, asks
``permissions``, then calls a service or selector."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from bellwether.accounts.access import membership_of
from bellwether.accounts.models import Membership
from bellwether.core.access import require
from bellwether.core.bounds import MAX_INT32
from bellwether.core.errors import DomainError
from bellwether.core.schema import (
    ERRORS,
    ErrorOut,
    Id,
    Link,
    PathId,
    QueryInput,
    StrictInput,
    UtcDateTime,
)
from bellwether.initiatives import access, selectors, services
from bellwether.initiatives.alignment import AlignmentSummary
from bellwether.initiatives.models import (
    AdoptionSample,
    BottleneckTeam,
    ChangeImpact,
    DecisionLogEntry,
    DecisionRight,
    GateReview,
    Initiative,
    Metric,
)
from bellwether.people.models import Person

router = Router(tags=["initiatives"])

MAX_PUSH = services.MAX_MEASUREMENTS


# --- schemas --------------------------------------------------------------------------------


# Free text of the register and the package (stored in text columns): generous, but bounded.
Text = Annotated[str, Field(max_length=20_000)]
# A catalogue key (archetype, stage, layer, gate, element …): the services check the value.
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
    comparison: Key = "comparison.none"
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
    acceptance_rate: float
    override_rate: float


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


# --- helpers ------------------------------------------------------------------------------


PartT = TypeVar("PartT", bound=Model)


def _ref(person: Person | None) -> dict[str, Any] | None:
    return {"id": person.pk, "name": person.name} if person is not None else None


def _alignment_out(summary: AlignmentSummary) -> dict[str, Any]:
    return {
        "executives": summary.executives,
        "aligned": summary.aligned,
        "share": summary.share,
        "disagreements": [{"executive": e, "element": el} for e, el in summary.disagreements],
        "pending": list(summary.pending),
    }


def _summary_out(row: selectors.PortfolioRow) -> dict[str, Any]:
    i = row.initiative
    return {
        "id": i.pk,
        "name": i.name,
        "archetype": i.archetype,
        "horizon": i.horizon,
        "stage": i.stage,
        "sponsor": _ref(i.sponsor),
        "scale_ready_blockers": row.blockers,
        "learning_only": row.learning_only,
        "gates_endorsed": row.gates_endorsed,
        "gates_total": row.gates_total,
        "teams_in_flight": row.teams_in_flight,
        "alignment": _alignment_out(row.alignment),
        "alerts": [{"kind": a.kind, "message": a.message} for a in row.alerts],
    }


def _person_in(membership: Membership, person_id: int | None, field: str) -> Person | None:
    if person_id is None:
        return None
    person = Person.objects.filter(organisation=membership.organisation, pk=person_id).first()
    if person is None:
        raise DomainError(
            "There is no such person.", field_errors={field: ["There is no such person."]}
        )
    return person


def _editable(request: HttpRequest, initiative_id: int) -> tuple[Membership, Initiative]:
    membership = membership_of(request)
    initiative = access.get_initiative_for(request, membership, initiative_id)
    require(
        request,
        membership,
        access.can_edit_initiative(membership, initiative),
        rule="can_edit_initiative",
    )
    return membership, initiative


def _part(rows: QuerySet[PartT], pk: int, missing: str) -> PartT:
    """A part of the initiative (metric, impact, decision right) by id, or 404."""
    part = rows.filter(pk=pk).first()
    if part is None:
        raise HttpError(404, missing)
    return part


def _gate(initiative: Initiative, gate_key: str) -> GateReview:
    gate = GateReview.objects.filter(initiative=initiative, key=gate_key).first()
    if gate is None:
        raise HttpError(404, "No such gate.")
    return gate


def _detail(initiative: Initiative) -> dict[str, Any]:
    package = selectors.initiative_package(initiative, series_days=0)
    [row] = selectors.portfolio(Initiative.objects.filter(pk=initiative.pk))
    return {
        **_summary_out(row),
        "problem": initiative.problem,
        "teams_involved": initiative.teams_involved,
        "business_owner": _ref(initiative.business_owner),
        "model_owner": _ref(initiative.model_owner),
        "operational_owner": _ref(initiative.operational_owner),
        "raci": initiative.raci,
        **{
            f: getattr(initiative, f)
            for f in (
                "incident_process",
                "rollback_procedure",
                "on_call",
                "new_work",
                "training",
                "incentives",
                "controls",
                "dependencies",
                "risk_posture",
            )
        },
        "chain": {
            "links": [{"kind": link.kind, "text": link.text} for link in package.chain],
            "weaknesses": package.chain_weaknesses,
        },
        "metrics": [
            {
                "id": v.metric.pk,
                **{f: getattr(v.metric, f) for f in services.METRIC_FIELDS},
                "latest": v.latest,
                "breached": v.breached,
            }
            for v in package.metrics
        ],
        "measurement_integrity_gaps": package.integrity_gaps,
        "gates": [
            {
                "key": g.key,
                "name": g.name,
                "status": g.status,
                "evidence_text": g.evidence_text,
                "evidence_link": g.evidence_link,
                "has_file": bool(g.evidence_file),
                "waiver_reason": g.waiver_reason,
                "endorsed_by": _ref(g.endorsed_by),
            }
            for g in package.gates
        ],
        "majority_wall": package.majority_wall.flagged,
        "change_impacts": [_impact_out(i) for i in package.impacts],
        "decision_rights": [_right_out(r) for r in package.decision_rights],
        "before_after": initiative.before_after,
    }


def _impact_out(impact: ChangeImpact) -> dict[str, Any]:
    return {
        "id": impact.pk,
        "impact_type": impact.impact_type,
        "affected_group": impact.affected_group,
        "owner": _ref(impact.owner),
        "mitigation": impact.mitigation,
        "status": impact.status,
    }


def _right_out(right: DecisionRight) -> dict[str, Any]:
    return {"id": right.pk, **{f: getattr(right, f) for f in DECISION_RIGHT_FIELDS}}


DECISION_RIGHT_FIELDS = (
    "decision",
    "decided_by_before",
    "decided_by_after",
    "mode",
    "accountable",
    "override_handling",
)


def _no_nulls(changes: dict[str, Any], nullable: set[str]) -> dict[str, Any]:
    """A PATCH may leave a field out, but may set only ``nullable`` ones to null."""
    nulls = sorted(k for k, v in changes.items() if v is None and k not in nullable)
    if nulls:
        raise DomainError(
            "These fields can't be null.", field_errors={k: ["Can't be null."] for k in nulls}
        )
    return changes


# --- the register -------------------------------------------------------------------------


@router.get(
    "",
    response={200: InitiativeList, **ERRORS},
    summary="List initiatives (the portfolio)",
    operation_id="list_initiatives",
)
def list_initiatives(request: HttpRequest) -> dict[str, Any]:
    """Initiatives the member may see, with readiness, gates, capacity, alignment and alerts."""
    membership = membership_of(request)
    require(
        request,
        membership,
        access.can_view_initiatives(membership),
        rule="can_view_initiatives",
    )
    rows = selectors.portfolio(access.visible_initiatives(membership, Initiative.objects.all()))
    return {"items": [_summary_out(r) for r in rows]}


@router.post(
    "",
    response={201: InitiativeDetail, **ERRORS},
    summary="Register an initiative",
    operation_id="create_initiative",
)
def create_initiative(request: HttpRequest, payload: InitiativeIn) -> Status[dict[str, Any]]:
    membership = membership_of(request)
    require(
        request,
        membership,
        access.can_manage_initiatives(membership),
        rule="can_manage_initiatives",
    )
    sponsor = _person_in(membership, payload.sponsor_id, "sponsor_id")
    assert sponsor is not None
    initiative = services.create_initiative(
        organisation=membership.organisation,
        actor=membership.user,
        name=payload.name,
        archetype=payload.archetype,
        sponsor=sponsor,
        problem=payload.problem,
        horizon=payload.horizon,
        teams_involved=payload.teams_involved,
    )
    return Status(201, _detail(initiative))


@router.get(
    "/capacity",
    response={200: list[TeamLoadOut], **ERRORS},
    summary="Bottleneck teams: load against caps",
    operation_id="initiative_capacity",
)
def capacity(request: HttpRequest) -> list[dict[str, Any]]:
    membership = membership_of(request)
    require(
        request,
        membership,
        access.can_manage_initiatives(membership),
        rule="can_manage_initiatives",
    )
    return [
        {
            "id": load.team.pk,
            "name": load.team.name,
            "cap": load.team.cap,
            "in_flight": load.in_flight,
            "overrides": load.overrides,
            "waiting": load.waiting,
            "over_cap": load.over_cap,
        }
        for load in selectors.capacity_load(membership.organisation)
    ]


@router.get(
    "/alignment",
    response={200: AlignmentOut, **ERRORS},
    summary="Organisation-level executive alignment",
    operation_id="organisation_alignment",
)
def organisation_alignment(request: HttpRequest) -> dict[str, Any]:
    """Executives aligned on every element of every live package they sign."""
    membership = membership_of(request)
    require(
        request,
        membership,
        access.can_manage_initiatives(membership),
        rule="can_manage_initiatives",
    )
    return _alignment_out(selectors.organisation_alignment(membership.organisation))


@router.get(
    "/time-to-decision",
    response={200: TimeToDecisionOut, **ERRORS},
    summary="Median time-to-decision on AI decisions",
    operation_id="time_to_decision",
)
def time_to_decision(request: HttpRequest, query: Query[TimeToDecisionQuery]) -> dict[str, Any]:
    membership = membership_of(request)
    require(
        request,
        membership,
        access.can_manage_initiatives(membership),
        rule="can_manage_initiatives",
    )
    result = selectors.time_to_decision(membership.organisation, baseline_days=query.baseline_days)
    return {
        "median_days": result.median_days,
        "baseline_days": result.baseline_days,
        "change_percent": result.change_percent,
        "by_month": [{"month": month, "median_days": median} for month, median in result.by_month],
        "open_requests": result.open_requests,
    }


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


def _decision_out(entry: DecisionLogEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "title": entry.title,
        "initiative_id": entry.initiative_id,
        "requested_at": entry.requested_at,
        "decided_at": entry.decided_at,
        "decided_by": _ref(entry.decided_by),
        "outcome": entry.outcome,
    }


@router.get(
    "/decisions",
    response={200: list[DecisionOut], **ERRORS},
    summary="The log of AI decisions leadership must take",
    operation_id="list_decisions",
)
def list_decisions(request: HttpRequest) -> list[dict[str, Any]]:
    membership = membership_of(request)
    require(
        request,
        membership,
        access.can_manage_initiatives(membership),
        rule="can_manage_initiatives",
    )
    entries = DecisionLogEntry.objects.filter(organisation=membership.organisation).select_related(
        "decided_by"
    )
    return [_decision_out(e) for e in entries[:500]]


@router.post(
    "/decisions",
    response={201: DecisionOut, **ERRORS},
    summary="Log a decision leadership is asked to take",
    operation_id="request_decision",
)
def request_decision(request: HttpRequest, payload: DecisionRequestIn) -> Status[dict[str, Any]]:
    membership = membership_of(request)
    require(
        request,
        membership,
        access.can_manage_initiatives(membership),
        rule="can_manage_initiatives",
    )
    initiative = None
    if payload.initiative_id is not None:
        initiative = Initiative.objects.filter(
            organisation=membership.organisation, pk=payload.initiative_id
        ).first()
        if initiative is None:
            raise DomainError(
                "There is no such initiative.",
                field_errors={"initiative_id": ["There is no such initiative."]},
            )
    entry = services.request_decision(
        organisation=membership.organisation,
        actor=membership.user,
        title=payload.title,
        initiative=initiative,
        requested_at=payload.requested_at,
    )
    return Status(201, _decision_out(entry))


@router.post(
    "/decisions/{int:decision_id}/decide",
    response={200: DecisionOut, **ERRORS},
    summary="Record the decision taken",
    operation_id="record_decision",
)
def record_decision(
    request: HttpRequest, decision_id: PathId, payload: DecisionOutcomeIn
) -> dict[str, Any]:
    membership = membership_of(request)
    entry = access.get_decision_for(request, membership, decision_id)
    decided_by = _person_in(membership, payload.decided_by_id, "decided_by_id")
    assert decided_by is not None
    entry = services.record_decision(
        entry=entry,
        actor=membership.user,
        decided_by=decided_by,
        outcome=payload.outcome,
        decided_at=payload.decided_at,
    )
    return _decision_out(entry)


@router.get(
    "/{int:initiative_id}",
    response={200: InitiativeDetail, **ERRORS},
    summary="Get an initiative with its alignment package",
    operation_id="get_initiative",
)
def get_initiative(request: HttpRequest, initiative_id: PathId) -> dict[str, Any]:
    membership = membership_of(request)
    return _detail(access.get_initiative_for(request, membership, initiative_id))


@router.patch(
    "/{int:initiative_id}",
    response={200: InitiativeDetail, **ERRORS},
    summary="Change the register entry and the alignment package",
    operation_id="update_initiative",
)
def update_initiative(
    request: HttpRequest, initiative_id: PathId, payload: InitiativePatch
) -> dict[str, Any]:
    membership, initiative = _editable(request, initiative_id)
    owners = {"business_owner_id", "model_owner_id", "operational_owner_id"}
    # Only an owner may be cleared with null; any other null is refused, not ignored.
    sent = _no_nulls(payload.model_dump(exclude_unset=True), owners)
    changes: dict[str, Any] = {}
    for field, value in sent.items():
        if field in owners:
            changes[field.removesuffix("_id")] = _person_in(membership, value, field)
        else:
            changes[field] = value
    services.update_initiative(initiative=initiative, actor=membership.user, changes=changes)
    return _detail(initiative)


@router.put(
    "/{int:initiative_id}/chain",
    response={200: ChainOut, **ERRORS},
    summary="Replace the outcome chain",
    operation_id="set_outcome_chain",
)
def set_chain(request: HttpRequest, initiative_id: PathId, payload: ChainIn) -> dict[str, Any]:
    """The chain's links in order; the answer says why the chain is weak, if it is."""
    membership, initiative = _editable(request, initiative_id)
    links = [(link.kind, link.text) for link in payload.links]
    weaknesses = services.set_outcome_chain(
        initiative=initiative, actor=membership.user, links=links
    )
    return {"links": [{"kind": k, "text": t} for k, t in links], "weaknesses": weaknesses}


@router.post(
    "/{int:initiative_id}/metrics",
    response={201: MetricOut, **ERRORS},
    summary="Add a layered metric",
    operation_id="add_metric",
)
def add_metric(
    request: HttpRequest, initiative_id: PathId, payload: MetricIn
) -> Status[dict[str, Any]]:
    membership, initiative = _editable(request, initiative_id)
    metric = services.add_metric(
        initiative=initiative, actor=membership.user, **payload.model_dump()
    )
    return Status(201, {"id": metric.pk, **{f: getattr(metric, f) for f in services.METRIC_FIELDS}})


@router.patch(
    "/{int:initiative_id}/metrics/{int:metric_id}",
    response={200: MetricOut, **ERRORS},
    summary="Change a metric: layer, unit, direction, target, baseline, comparison, guardrail",
    operation_id="update_metric",
)
def update_metric(
    request: HttpRequest, initiative_id: PathId, metric_id: PathId, payload: MetricPatch
) -> dict[str, Any]:
    membership, initiative = _editable(request, initiative_id)
    metric = _part(Metric.objects.filter(initiative=initiative), metric_id, "No such metric.")
    changes = _no_nulls(
        payload.model_dump(exclude_unset=True), {"target", "baseline_value", "guardrail"}
    )
    metric = services.update_metric(metric=metric, actor=membership.user, changes=changes)
    return {"id": metric.pk, **{f: getattr(metric, f) for f in services.METRIC_FIELDS}}


@router.post(
    "/{int:initiative_id}/measurements",
    response={200: MeasurementsOut, **ERRORS, 413: ErrorOut},
    summary="Push measurements",
    operation_id="push_measurements",
)
def push_measurements(
    request: HttpRequest, initiative_id: PathId, payload: MeasurementsIn
) -> dict[str, Any]:
    """Idempotent on metric + measured_at: a re-sent batch changes nothing; a different
    value for the same instant replaces the stored one."""
    membership, initiative = _editable(request, initiative_id)
    if len(payload.measurements) > MAX_PUSH:
        raise HttpError(413, f"At most {MAX_PUSH:,} measurements per call.")
    result = services.record_measurements(
        initiative=initiative,
        actor=membership.user,
        points=[
            services.MeasurementPoint(m.metric_id, m.measured_at, m.value)
            for m in payload.measurements
        ],
        source="api",
    )
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


# --- gates --------------------------------------------------------------------------------


def _gate_out(gate: GateReview) -> dict[str, Any]:
    return {
        "key": gate.key,
        "name": gate.name,
        "status": gate.status,
        "evidence_text": gate.evidence_text,
        "evidence_link": gate.evidence_link,
        "has_file": bool(gate.evidence_file),
        "waiver_reason": gate.waiver_reason,
        "endorsed_by": _ref(gate.endorsed_by),
    }


@router.post(
    "/{int:initiative_id}/gates/{gate_key}/evidence",
    response={200: GateOut, **ERRORS},
    summary="Submit evidence for a gate or non-negotiable",
    operation_id="submit_gate_evidence",
)
def submit_evidence(
    request: HttpRequest, initiative_id: PathId, gate_key: str, payload: EvidenceIn
) -> dict[str, Any]:
    """Text and/or a link; files are uploaded on the initiative's page."""
    membership, initiative = _editable(request, initiative_id)
    gate = services.submit_gate_evidence(
        gate=_gate(initiative, gate_key),
        actor=membership.user,
        text=payload.text,
        link=payload.link,
    )
    return _gate_out(gate)


def _executive(request: HttpRequest, initiative_id: int) -> tuple[Membership, Initiative, Person]:
    membership = membership_of(request)
    initiative = access.get_initiative_for(request, membership, initiative_id)
    require(
        request,
        membership,
        access.can_endorse_gates(membership, initiative),
        rule="can_endorse_gates",
    )
    assert membership.person is not None
    return membership, initiative, membership.person


@router.post(
    "/{int:initiative_id}/gates/{gate_key}/endorse",
    response={200: GateOut, **ERRORS},
    summary="Endorse a gate (executives)",
    operation_id="endorse_gate",
)
def endorse(request: HttpRequest, initiative_id: PathId, gate_key: str) -> dict[str, Any]:
    membership, initiative, executive = _executive(request, initiative_id)
    gate = services.endorse_gate(
        gate=_gate(initiative, gate_key), actor=membership.user, executive=executive
    )
    return _gate_out(gate)


@router.post(
    "/{int:initiative_id}/gates/{gate_key}/waive",
    response={200: GateOut, **ERRORS},
    summary="Waive a gate with a reason (executives)",
    operation_id="waive_gate",
)
def waive(
    request: HttpRequest, initiative_id: PathId, gate_key: str, payload: WaiveIn
) -> dict[str, Any]:
    membership, initiative, executive = _executive(request, initiative_id)
    gate = services.waive_gate(
        gate=_gate(initiative, gate_key),
        actor=membership.user,
        executive=executive,
        reason=payload.reason,
    )
    return _gate_out(gate)


@router.post(
    "/{int:initiative_id}/stage",
    response={200: StageOut, **ERRORS},
    summary="Change the stage",
    operation_id="change_initiative_stage",
)
def change_stage(request: HttpRequest, initiative_id: PathId, payload: StageIn) -> dict[str, Any]:
    """Scale-ready (and scaling) is refused with ``error.fields.stage`` listing exactly what
    is missing. Admins and the initiative's sponsor only."""
    membership = membership_of(request)
    initiative = access.get_initiative_for(request, membership, initiative_id)
    require(
        request,
        membership,
        access.can_change_initiative_stage(membership, initiative),
        rule="can_change_initiative_stage",
    )
    initiative = services.change_stage(
        initiative=initiative, actor=membership.user, stage=payload.stage
    )
    return {"id": initiative.pk, "stage": initiative.stage}


@router.post(
    "/{int:initiative_id}/alignment",
    response={200: AlignmentOut, **ERRORS},
    summary="Record the executive's agreement on one element of the package",
    operation_id="record_alignment",
)
def record_alignment(
    request: HttpRequest, initiative_id: PathId, payload: AlignmentIn
) -> dict[str, Any]:
    membership, initiative, executive = _executive(request, initiative_id)
    services.record_alignment(
        initiative=initiative,
        actor=membership.user,
        executive=executive,
        element=payload.element,
        agrees=payload.agrees,
        comment=payload.comment,
    )
    return _alignment_out(selectors.initiative_package(initiative, series_days=0).alignment)


# --- change impacts, decision rights, adoption, capacity ------------------------------------


@router.post(
    "/{int:initiative_id}/change-impacts",
    response={201: CreatedOut, **ERRORS},
    summary="Register a change impact",
    operation_id="add_change_impact",
)
def add_change_impact(
    request: HttpRequest, initiative_id: PathId, payload: ChangeImpactIn
) -> Status[dict[str, Any]]:
    membership, initiative = _editable(request, initiative_id)
    impact = services.add_change_impact(
        initiative=initiative,
        actor=membership.user,
        impact_type=payload.impact_type,
        affected_group=payload.affected_group,
        owner=_person_in(membership, payload.owner_id, "owner_id"),
        mitigation=payload.mitigation,
        status=payload.status,
    )
    return Status(201, {"id": impact.pk})


@router.patch(
    "/{int:initiative_id}/change-impacts/{int:impact_id}",
    response={200: ChangeImpactOut, **ERRORS},
    summary="Change or close a change impact",
    operation_id="update_change_impact",
)
def update_change_impact(
    request: HttpRequest, initiative_id: PathId, impact_id: PathId, payload: ChangeImpactPatch
) -> dict[str, Any]:
    """Closing an impact is setting its status to "mitigated"."""
    membership, initiative = _editable(request, initiative_id)
    impact = _part(
        ChangeImpact.objects.filter(initiative=initiative), impact_id, "No such change impact."
    )
    changes = _no_nulls(payload.model_dump(exclude_unset=True), {"owner_id"})
    if "owner_id" in changes:
        changes["owner"] = _person_in(membership, changes.pop("owner_id"), "owner_id")
    impact = services.update_change_impact(impact=impact, actor=membership.user, changes=changes)
    return _impact_out(impact)


@router.post(
    "/{int:initiative_id}/decision-rights",
    response={201: CreatedOut, **ERRORS},
    summary="Register a decision the initiative changes",
    operation_id="add_decision_right",
)
def add_decision_right(
    request: HttpRequest, initiative_id: PathId, payload: DecisionRightIn
) -> Status[dict[str, Any]]:
    membership, initiative = _editable(request, initiative_id)
    right = services.add_decision_right(
        initiative=initiative, actor=membership.user, **payload.model_dump()
    )
    return Status(201, {"id": right.pk})


@router.patch(
    "/{int:initiative_id}/decision-rights/{int:right_id}",
    response={200: DecisionRightOut, **ERRORS},
    summary="Change a decision right",
    operation_id="update_decision_right",
)
def update_decision_right(
    request: HttpRequest, initiative_id: PathId, right_id: PathId, payload: DecisionRightPatch
) -> dict[str, Any]:
    membership, initiative = _editable(request, initiative_id)
    right = _part(
        DecisionRight.objects.filter(initiative=initiative), right_id, "No such decision right."
    )
    changes = _no_nulls(payload.model_dump(exclude_unset=True), set())
    right = services.update_decision_right(right=right, actor=membership.user, changes=changes)
    return _right_out(right)


@router.put(
    "/{int:initiative_id}/before-after",
    response={200: dict[str, dict[str, str]], **ERRORS},
    summary="Set the before/after view across the catalogue's dimensions",
    operation_id="set_before_after",
)
def set_before_after(
    request: HttpRequest, initiative_id: PathId, payload: BeforeAfterIn
) -> dict[str, Any]:
    membership, initiative = _editable(request, initiative_id)
    initiative = services.set_before_after(
        initiative=initiative,
        actor=membership.user,
        dimensions={k: v.model_dump() for k, v in payload.dimensions.items()},
    )
    return initiative.before_after


@router.get(
    "/{int:initiative_id}/adoption",
    response={200: AdoptionCurveOut, **ERRORS},
    summary="The adoption curve per cohort and the majority-wall flag",
    operation_id="get_adoption",
)
def get_adoption(request: HttpRequest, initiative_id: PathId) -> dict[str, Any]:
    membership = membership_of(request)
    initiative = access.get_initiative_for(request, membership, initiative_id)
    samples: list[AdoptionSample] = list(initiative.adoption.all())
    wall = selectors.adoption_wall(samples)
    return {
        "samples": [
            {
                "week": s.week,
                "cohort": s.cohort,
                "active_users": s.active_users,
                "suggestions": s.suggestions,
                "accepted": s.accepted,
                "overridden": s.overridden,
                "acceptance_rate": s.acceptance_rate,
                "override_rate": s.override_rate,
            }
            for s in samples
        ],
        "majority_wall": wall.flagged,
        "wall_weeks": list(wall.weeks),
        "guidance": wall.guidance,
    }


@router.post(
    "/{int:initiative_id}/adoption",
    response={200: AdoptionOut, **ERRORS},
    summary="Record weekly usage per cohort",
    operation_id="record_adoption",
)
def record_adoption(
    request: HttpRequest, initiative_id: PathId, payload: AdoptionIn
) -> dict[str, Any]:
    membership, initiative = _editable(request, initiative_id)
    written = services.record_adoption(
        initiative=initiative,
        actor=membership.user,
        samples=[s.model_dump() for s in payload.samples],
    )
    wall = selectors.initiative_package(initiative, series_days=0).majority_wall
    return {"written": written, "majority_wall": wall.flagged, "guidance": wall.guidance}


def _team(membership: Membership, team_id: int) -> BottleneckTeam:
    team = BottleneckTeam.objects.filter(organisation=membership.organisation, pk=team_id).first()
    if team is None:
        raise HttpError(404, "No such team.")
    return team


@router.post(
    "/{int:initiative_id}/teams/{int:team_id}/start",
    response={200: DemandOut, **ERRORS},
    summary="Start work with a bottleneck team",
    operation_id="start_team_work",
)
def start_team_work(
    request: HttpRequest, initiative_id: PathId, team_id: PathId, payload: TeamStartIn
) -> dict[str, Any]:
    """Refused beyond the team's cap (400, code ``over_capacity``) unless the initiative's
    sponsor gives an ``override_reason``."""
    membership, initiative = _editable(request, initiative_id)
    if payload.override_reason.strip():
        require(
            request,
            membership,
            access.can_override_capacity(membership, initiative),
            rule="can_override_capacity",
        )
    demand = services.start_team_work(
        initiative=initiative,
        team=_team(membership, team_id),
        actor=membership.user,
        override_reason=payload.override_reason,
    )
    return {
        "team": demand.team.name,
        "in_flight": demand.in_flight,
        "override_reason": demand.override_reason,
    }


@router.post(
    "/{int:initiative_id}/teams/{int:team_id}/finish",
    response={200: DemandOut, **ERRORS},
    summary="Finish work with a bottleneck team",
    operation_id="finish_team_work",
)
def finish_team_work(
    request: HttpRequest, initiative_id: PathId, team_id: PathId
) -> dict[str, Any]:
    membership, initiative = _editable(request, initiative_id)
    team = _team(membership, team_id)
    services.finish_team_work(initiative=initiative, team=team, actor=membership.user)
    return {"team": team.name, "in_flight": False, "override_reason": ""}
