"""Every write to initiatives: one function per action, atomic, audited in the same
transaction. The rules themselves live in ``alignment.py``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.links import clean_link
from bellwether.core.models import Organisation
from bellwether.core.uploads import UploadLimits
from bellwether.framework.catalogue import CATALOGUE
from bellwether.initiatives import alignment, measurement_csv
from bellwether.initiatives.models import (
    RACI_ACTIVITIES,
    RACI_ROLES,
    STAGE_ORDER,
    STAGE_SCALE_READY,
    AdoptionSample,
    AlignmentPosition,
    BottleneckTeam,
    ChainLink,
    ChangeImpact,
    DecisionLogEntry,
    DecisionRight,
    GateReview,
    Horizon,
    Initiative,
    Measurement,
    Metric,
    Signatory,
    TeamDemand,
)
from bellwether.people.models import LeaderLevel, Person

if TYPE_CHECKING:
    from bellwether.accounts.models import User

ARCHETYPES = {a.key for a in CATALOGUE.archetypes}
STAGES = set(STAGE_ORDER)
IMPACT_TYPES = {c.key for c in CATALOGUE.change_impacts}
BEFORE_AFTER = {d.key for d in CATALOGUE.before_after}
MAX_MEASUREMENTS = 50_000
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

PACKAGE_TEXT_FIELDS = (
    "name",
    "problem",
    "teams_involved",
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
PACKAGE_PERSON_FIELDS = ("sponsor", "business_owner", "model_owner", "operational_owner")


def _refuse(field: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(message, code=code, field_errors={field: [message]})


def _check_person(organisation: Organisation, person: Person | None, field: str) -> None:
    if person is not None and person.organisation_id != organisation.pk:
        raise _refuse(field, "Choose a person of this organisation.")


# --- the register -------------------------------------------------------------------------


@transaction.atomic
def create_initiative(
    *,
    organisation: Organisation,
    actor: User | None,
    name: str,
    archetype: str,
    sponsor: Person,
    problem: str = "",
    horizon: str = Horizon.H1,
    teams_involved: str = "",
) -> Initiative:
    name = name.strip()
    if not name:
        raise _refuse("name", "Give the initiative a name.")
    if archetype not in ARCHETYPES:
        raise _refuse("archetype", f"Unknown archetype “{archetype}”.")
    if horizon not in Horizon.values:
        raise _refuse("horizon", "The horizon must be H1, H2 or H3.")
    _check_person(organisation, sponsor, "sponsor")
    initiative = Initiative.objects.create(
        organisation=organisation,
        name=name,
        problem=problem,
        archetype=archetype,
        horizon=horizon,
        sponsor=sponsor,
        teams_involved=teams_involved,
    )
    # Every initiative carries the five gates and three non-negotiables from the start.
    GateReview.objects.bulk_create(
        [
            GateReview(organisation=organisation, initiative=initiative, key=key)
            for key in alignment.GATE_KEYS
        ]
    )
    audit.record(
        action="initiative.created", organisation=organisation, actor=actor, target=initiative
    )
    return initiative


@transaction.atomic
def update_initiative(
    *, initiative: Initiative, actor: User | None, changes: Mapping[str, Any]
) -> Initiative:
    """Change fields of the register and the alignment package (not the stage)."""
    allowed = {*PACKAGE_TEXT_FIELDS, *PACKAGE_PERSON_FIELDS, "archetype", "horizon", "raci"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(f"These fields can't be changed here: {', '.join(sorted(unknown))}.")
    changed = []
    for field, value in changes.items():
        if field in PACKAGE_PERSON_FIELDS:
            if field == "sponsor" and value is None:
                raise _refuse("sponsor", "An initiative needs a sponsor.")
            _check_person(initiative.organisation, value, field)
        elif field == "archetype" and value not in ARCHETYPES:
            raise _refuse("archetype", f"Unknown archetype “{value}”.")
        elif field == "horizon" and value not in Horizon.values:
            raise _refuse("horizon", "The horizon must be H1, H2 or H3.")
        elif field == "raci":
            value = _clean_raci(value)
        elif field == "name" and not str(value).strip():
            raise _refuse("name", "Give the initiative a name.")
        elif field in PACKAGE_TEXT_FIELDS:
            value = str(value)
        if getattr(initiative, field) != value:
            setattr(initiative, field, value)
            changed.append(field)
    if changed:
        initiative.save(update_fields=[*changed, "updated_at"])
        audit.record(
            action="initiative.updated",
            organisation=initiative.organisation,
            actor=actor,
            target=initiative,
            details={"fields": sorted(changed)},
        )
    return initiative


def _clean_raci(value: Any) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict) or set(value) - set(RACI_ACTIVITIES):
        raise _refuse("raci", f"The RACI covers {', '.join(RACI_ACTIVITIES.values())}.")
    clean: dict[str, dict[str, str]] = {}
    for activity, roles in value.items():
        if not isinstance(roles, dict) or set(roles) - set(RACI_ROLES):
            raise _refuse(
                "raci", "Each RACI row has responsible, accountable, consulted, informed."
            )
        clean[activity] = {role: str(roles.get(role, "")).strip() for role in RACI_ROLES}
    return clean


@transaction.atomic
def set_before_after(
    *, initiative: Initiative, actor: User | None, dimensions: Mapping[str, Mapping[str, str]]
) -> Initiative:
    unknown = set(dimensions) - BEFORE_AFTER
    if unknown:
        raise _refuse("before_after", f"Unknown dimension: {', '.join(sorted(unknown))}.")
    initiative.before_after = {
        key: {"before": str(v.get("before", "")), "after": str(v.get("after", ""))}
        for key, v in dimensions.items()
    }
    initiative.save(update_fields=["before_after", "updated_at"])
    audit.record(
        action="initiative.before_after_set",
        organisation=initiative.organisation,
        actor=actor,
        target=initiative,
    )
    return initiative


@transaction.atomic
def set_signatories(
    *, initiative: Initiative, actor: User | None, people: Sequence[Person]
) -> None:
    """The executives asked to align on the package."""
    for person in people:
        _check_person(initiative.organisation, person, "signatories")
        if person.leader_level != LeaderLevel.EXECUTIVE:
            raise _refuse("signatories", f"{person.name} is not an executive.")
    Signatory.objects.filter(initiative=initiative).delete()
    Signatory.objects.bulk_create(
        [
            Signatory(organisation=initiative.organisation, initiative=initiative, person=p)
            for p in {p.pk: p for p in people}.values()
        ]
    )
    audit.record(
        action="initiative.signatories_set",
        organisation=initiative.organisation,
        actor=actor,
        target=initiative,
        details={"people": sorted(p.pk for p in people)},
    )


@transaction.atomic
def set_outcome_chain(
    *, initiative: Initiative, actor: User | None, links: Sequence[tuple[str, str]]
) -> list[str]:
    """Replace the chain with ``links`` (kind, text) in order; returns why it is weak."""
    for kind, text in links:
        if kind not in alignment.CHAIN_KINDS:
            raise _refuse("chain", f"Unknown chain step “{kind}”.")
        if not text.strip():
            raise _refuse("chain", "Every link of the chain needs a description.")
    ChainLink.objects.filter(initiative=initiative).delete()
    ChainLink.objects.bulk_create(
        [
            ChainLink(
                organisation=initiative.organisation,
                initiative=initiative,
                position=position,
                kind=kind,
                text=text.strip(),
            )
            for position, (kind, text) in enumerate(links, start=1)
        ]
    )
    weaknesses = alignment.chain_weaknesses([kind for kind, _ in links])
    audit.record(
        action="initiative.chain_set",
        organisation=initiative.organisation,
        actor=actor,
        target=initiative,
        details={"links": len(links), "weak": bool(weaknesses)},
    )
    return weaknesses


# --- metrics and measurements ---------------------------------------------------------------

METRIC_FIELDS = (
    "name",
    "layer",
    "unit",
    "direction",
    "target",
    "baseline_value",
    "baseline_period",
    "baseline_source",
    "comparison",
    "guardrail",
)


def _check_metric(metric: Metric) -> None:
    if not metric.name.strip():
        raise _refuse("name", "Give the metric a name.")
    if metric.layer not in alignment.LAYERS:
        raise _refuse("layer", f"Unknown metric layer “{metric.layer}”.")
    if metric.comparison not in alignment.COMPARISONS:
        raise _refuse("comparison", f"Unknown comparison method “{metric.comparison}”.")
    if metric.direction not in Metric.Direction.values:
        raise _refuse("direction", "The direction is “increase” or “decrease”.")
    if metric.baseline_value is not None and not metric.baseline_period.strip():
        raise _refuse("baseline_period", "Say which period the baseline covers.")
    clash = Metric.objects.filter(initiative_id=metric.initiative_id, name=metric.name)
    if clash.exclude(pk=metric.pk).exists():
        raise _refuse("name", "This initiative already has a metric with that name.")


@transaction.atomic
def add_metric(
    *,
    initiative: Initiative,
    actor: User | None,
    name: str,
    layer: str,
    direction: str,
    unit: str = "",
    target: float | None = None,
    baseline_value: float | None = None,
    baseline_period: str = "",
    baseline_source: str = "",
    comparison: str = "comparison.none",
    guardrail: float | None = None,
) -> Metric:
    metric = Metric(
        organisation=initiative.organisation,
        initiative=initiative,
        name=name.strip(),
        layer=layer,
        unit=unit,
        direction=direction,
        target=target,
        baseline_value=baseline_value,
        baseline_period=baseline_period,
        baseline_source=baseline_source,
        comparison=comparison,
        guardrail=guardrail,
    )
    _check_metric(metric)
    metric.save()
    audit.record(
        action="initiative.metric_added",
        organisation=initiative.organisation,
        actor=actor,
        target=metric,
        details={"initiative": initiative.pk, "layer": layer},
    )
    return metric


@transaction.atomic
def update_metric(*, metric: Metric, actor: User | None, changes: Mapping[str, Any]) -> Metric:
    unknown = set(changes) - set(METRIC_FIELDS)
    if unknown:
        raise DomainError(f"These fields can't be changed here: {', '.join(sorted(unknown))}.")
    for field, value in changes.items():
        setattr(metric, field, value)
    _check_metric(metric)
    metric.save()
    audit.record(
        action="initiative.metric_updated",
        organisation=metric.organisation,
        actor=actor,
        target=metric,
        details={"fields": sorted(changes)},
    )
    return metric


@dataclass(frozen=True, slots=True)
class MeasurementResult:
    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class MeasurementPoint:
    metric_id: int
    measured_at: datetime.datetime
    value: float


def record_measurements(
    *,
    initiative: Initiative,
    actor: User | None,
    points: Sequence[MeasurementPoint],
    source: str = Measurement.Source.UI,
) -> MeasurementResult:
    """Store measurements, idempotent on (metric, instant): a re-sent batch changes nothing,
    a corrected value replaces the old one."""
    if len(points) > MAX_MEASUREMENTS:
        raise DomainError(f"Send at most {MAX_MEASUREMENTS:,} measurements at a time.")
    metric_ids = set(Metric.objects.filter(initiative=initiative).values_list("pk", flat=True))
    latest: dict[tuple[int, datetime.datetime], float] = {}
    for index, point in enumerate(points, start=1):
        if point.metric_id not in metric_ids:
            raise _refuse(
                f"measurements[{index}].metric", "This initiative has no metric with that id."
            )
        if timezone.is_naive(point.measured_at):
            raise _refuse(f"measurements[{index}].measured_at", "Give the time with its time zone.")
        if point.value != point.value or point.value in (float("inf"), float("-inf")):
            raise _refuse(f"measurements[{index}].value", "The value must be a finite number.")
        latest[(point.metric_id, point.measured_at)] = point.value
    with transaction.atomic():
        existing: dict[tuple[int, datetime.datetime], float] = {}
        instants = {at for _, at in latest}
        if latest:
            for metric_id, at, value in Measurement.objects.filter(
                metric_id__in={m for m, _ in latest}, measured_at__in=instants
            ).values_list("metric_id", "measured_at", "value"):
                existing[(metric_id, at)] = value
        new = [key for key in latest if key not in existing]
        changed = [key for key in latest if key in existing and existing[key] != latest[key]]
        Measurement.objects.bulk_create(
            [
                Measurement(
                    organisation_id=initiative.organisation_id,
                    metric_id=metric_id,
                    measured_at=at,
                    value=latest[(metric_id, at)],
                    source=source,
                )
                for metric_id, at in new
            ],
            batch_size=5000,
        )
        for metric_id, at in changed:
            Measurement.objects.filter(metric_id=metric_id, measured_at=at).update(
                value=latest[(metric_id, at)], source=source, updated_at=timezone.now()
            )
        result = MeasurementResult(
            created=len(new),
            updated=len(changed),
            unchanged=len(latest) - len(new) - len(changed),
        )
        if new or changed:
            audit.record(
                action="initiative.measurements_recorded",
                organisation=initiative.organisation,
                actor=actor,
                target=initiative,
                details={"created": result.created, "updated": result.updated, "source": source},
            )
    return result


def import_measurements_csv(
    *, initiative: Initiative, actor: User | None, content: bytes
) -> MeasurementResult:
    """A CSV with the columns ``metric`` (the metric's name), ``measured_at`` (ISO 8601)
    and ``value``. A file with any error writes nothing (``initiatives/measurement_csv``)."""
    by_name = dict(Metric.objects.filter(initiative=initiative).values_list("name", "pk"))
    points = measurement_csv.parse_measurements(
        content,
        metrics=by_name,
        limits=measurement_csv.limits_for(UploadLimits.from_settings(), MAX_MEASUREMENTS),
    )
    return record_measurements(
        initiative=initiative,
        actor=actor,
        points=[MeasurementPoint(*point) for point in points],
        source=Measurement.Source.CSV,
    )


# --- gates and non-negotiables ------------------------------------------------------------


@transaction.atomic
def submit_gate_evidence(
    *,
    gate: GateReview,
    actor: User | None,
    text: str = "",
    link: str = "",
    file: UploadedFile | None = None,
) -> GateReview:
    """New evidence reopens the endorsement: executives endorse what they have seen."""
    if not (text.strip() or link.strip() or file is not None):
        raise _refuse("evidence_text", "Give the evidence as text, a link or a file.")
    if file is not None and file.size is not None and file.size > MAX_EVIDENCE_BYTES:
        raise _refuse("evidence_file", "The file is larger than 10 MB.")
    try:
        # Executives click this link: a javascript: or data: one would run in their session.
        link = clean_link(link)
    except ValueError as exc:
        raise _refuse("link", str(exc)) from None
    gate.evidence_text = text.strip()
    gate.evidence_link = link
    if file is not None:
        gate.evidence_file.save(file.name or "evidence", file, save=False)
    gate.status = GateReview.Status.EVIDENCE_SUBMITTED
    gate.endorsed_by = None
    gate.endorsed_at = None
    gate.waiver_reason = ""
    gate.save()
    audit.record(
        action="initiative.gate_evidence_submitted",
        organisation=gate.organisation,
        actor=actor,
        target=gate.initiative,
        details={"gate": gate.key},
    )
    return gate


def _check_executive(executive: Person, gate: GateReview) -> None:
    if executive.organisation_id != gate.organisation_id or (
        executive.leader_level != LeaderLevel.EXECUTIVE
    ):
        raise DomainError("Only an executive may endorse or waive a gate.", code="not_executive")


@transaction.atomic
def endorse_gate(*, gate: GateReview, actor: User | None, executive: Person) -> GateReview:
    _check_executive(executive, gate)
    if gate.status == GateReview.Status.OPEN:
        raise DomainError(
            f"{gate.name} has no evidence yet: submit it before endorsing.", code="no_evidence"
        )
    gate.status = GateReview.Status.ENDORSED
    gate.endorsed_by = executive
    gate.endorsed_at = timezone.now()
    gate.waiver_reason = ""
    gate.save()
    audit.record(
        action="initiative.gate_endorsed",
        organisation=gate.organisation,
        actor=actor,
        target=gate.initiative,
        details={"gate": gate.key, "executive": executive.pk},
    )
    return gate


@transaction.atomic
def waive_gate(
    *, gate: GateReview, actor: User | None, executive: Person, reason: str
) -> GateReview:
    _check_executive(executive, gate)
    if not reason.strip():
        raise _refuse("waiver_reason", "Say why the gate is waived.")
    gate.status = GateReview.Status.WAIVED
    gate.waiver_reason = reason.strip()
    gate.endorsed_by = executive
    gate.endorsed_at = timezone.now()
    gate.save()
    audit.record(
        action="initiative.gate_waived",
        organisation=gate.organisation,
        actor=actor,
        target=gate.initiative,
        details={"gate": gate.key, "executive": executive.pk, "reason": gate.waiver_reason},
    )
    return gate


# --- stage ---------------------------------------------------------------------------------


def metric_facts(initiative: Initiative) -> list[alignment.MetricFacts]:
    return [
        alignment.MetricFacts(layer, baseline is not None, comparison)
        for layer, baseline, comparison in Metric.objects.filter(initiative=initiative).values_list(
            "layer", "baseline_value", "comparison"
        )
    ]


def scale_ready_blockers(initiative: Initiative) -> list[str]:
    statuses = dict(GateReview.objects.filter(initiative=initiative).values_list("key", "status"))
    return alignment.scale_ready_blockers(metrics=metric_facts(initiative), gate_statuses=statuses)


@transaction.atomic
def change_stage(*, initiative: Initiative, actor: User | None, stage: str) -> Initiative:
    """Move the initiative; scale-ready and scaling are refused with exactly what is missing."""
    if stage not in STAGES:
        raise _refuse("stage", f"Unknown stage “{stage}”.")
    # Lock the row so two stage changes can't both pass the check on stale gates.
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if stage == initiative.stage:
        return initiative
    if STAGE_ORDER[STAGE_SCALE_READY] <= STAGE_ORDER[stage] < STAGE_ORDER["stage.retired"]:
        blockers = scale_ready_blockers(initiative)
        if blockers:
            raise DomainError(
                "The initiative can't be scale-ready yet. Missing: " + " ".join(blockers),
                code="not_scale_ready",
                field_errors={"stage": blockers},
            )
    previous = initiative.stage
    initiative.stage = stage
    initiative.save(update_fields=["stage", "updated_at"])
    audit.record(
        action="initiative.stage_changed",
        organisation=initiative.organisation,
        actor=actor,
        target=initiative,
        details={"from": previous, "to": stage},
    )
    return initiative


# --- capacity caps -------------------------------------------------------------------------


@transaction.atomic
def ensure_bottleneck_teams(
    *, organisation: Organisation, actor: User | None, caps: Mapping[str, int] | None = None
) -> list[BottleneckTeam]:
    """The catalogue's bottleneck teams for the organisation (cap 3 unless given)."""
    teams = []
    for entry in CATALOGUE.bottleneck_teams:
        team, created = BottleneckTeam.objects.get_or_create(
            organisation=organisation,
            name=entry.name,
            defaults={"catalogue_key": entry.key, "cap": (caps or {}).get(entry.key, 3)},
        )
        if created:
            audit.record(
                action="initiative.team_created",
                organisation=organisation,
                actor=actor,
                target=team,
            )
        teams.append(team)
    return teams


@transaction.atomic
def set_team_cap(*, team: BottleneckTeam, actor: User | None, cap: int) -> BottleneckTeam:
    if cap < 0:
        raise _refuse("cap", "The cap can't be negative.")
    previous, team.cap = team.cap, cap
    team.save(update_fields=["cap", "updated_at"])
    audit.record(
        action="initiative.team_cap_set",
        organisation=team.organisation,
        actor=actor,
        target=team,
        details={"from": previous, "to": cap},
    )
    return team


@transaction.atomic
def start_team_work(
    *,
    initiative: Initiative,
    team: BottleneckTeam,
    actor: User | None,
    override_reason: str = "",
) -> TeamDemand:
    """Put the initiative in flight with ``team``, refused beyond the team's cap unless the
    sponsor gives a written reason (the caller checks the override is the sponsor's)."""
    if team.organisation_id != initiative.organisation_id:
        raise _refuse("team", "Choose a team of this organisation.")
    # The team row is the lock: two starts at one below the cap queue here, and the
    # second counts the first.
    team = BottleneckTeam.objects.select_for_update().get(pk=team.pk)
    demand, _ = TeamDemand.objects.get_or_create(
        organisation=initiative.organisation, initiative=initiative, team=team
    )
    if demand.in_flight:
        return demand
    in_flight = list(
        TeamDemand.objects.filter(team=team, in_flight=True)
        .order_by("initiative__name")
        .values_list("initiative__name", flat=True)
    )
    override_reason = override_reason.strip()
    if len(in_flight) >= team.cap:
        if not override_reason:
            raise DomainError(
                f"{team.name} is at its cap: {len(in_flight)} of {team.cap} initiatives in "
                f"flight ({', '.join(in_flight)}). The sponsor may override with a written "
                "reason.",
                code="over_capacity",
                field_errors={"team": [f"{team.name} is at its cap of {team.cap}."]},
            )
        audit.record(
            action="initiative.capacity_overridden",
            organisation=initiative.organisation,
            actor=actor,
            target=initiative,
            details={"team": team.name, "cap": team.cap, "reason": override_reason},
        )
    else:
        override_reason = ""
    demand.in_flight = True
    demand.started_at = timezone.now()
    demand.override_reason = override_reason
    demand.save()
    audit.record(
        action="initiative.team_work_started",
        organisation=initiative.organisation,
        actor=actor,
        target=initiative,
        details={"team": team.name},
    )
    return demand


@transaction.atomic
def finish_team_work(*, initiative: Initiative, team: BottleneckTeam, actor: User | None) -> None:
    updated = TeamDemand.objects.filter(initiative=initiative, team=team, in_flight=True).update(
        in_flight=False, updated_at=timezone.now()
    )
    if updated:
        audit.record(
            action="initiative.team_work_finished",
            organisation=initiative.organisation,
            actor=actor,
            target=initiative,
            details={"team": team.name},
        )


# --- executive alignment -------------------------------------------------------------------


@transaction.atomic
def record_alignment(
    *,
    initiative: Initiative,
    actor: User | None,
    executive: Person,
    element: str,
    agrees: bool,
    comment: str = "",
) -> AlignmentPosition:
    if executive.organisation_id != initiative.organisation_id or (
        executive.leader_level != LeaderLevel.EXECUTIVE
    ):
        raise DomainError("Only executives record alignment.", code="not_executive")
    if element not in alignment.ALIGNMENT_ELEMENTS:
        raise _refuse("element", f"Unknown element of the package “{element}”.")
    if not agrees and not comment.strip():
        raise _refuse("comment", "Say what you disagree with, so the sponsor can act on it.")
    position, _ = AlignmentPosition.objects.update_or_create(
        initiative=initiative,
        executive=executive,
        element=element,
        defaults={
            "organisation": initiative.organisation,
            "agrees": agrees,
            "comment": comment.strip(),
        },
    )
    # Recording a position is being asked: the executive now signs the package.
    Signatory.objects.get_or_create(
        organisation=initiative.organisation, initiative=initiative, person=executive
    )
    audit.record(
        action="initiative.alignment_recorded",
        organisation=initiative.organisation,
        actor=actor,
        target=initiative,
        details={"executive": executive.pk, "element": element, "agrees": agrees},
    )
    return position


# --- change impacts, decision rights, decisions, adoption ----------------------------------


@transaction.atomic
def add_change_impact(
    *,
    initiative: Initiative,
    actor: User | None,
    impact_type: str,
    affected_group: str,
    owner: Person | None = None,
    mitigation: str = "",
    status: str = ChangeImpact.Status.OPEN,
) -> ChangeImpact:
    if impact_type not in IMPACT_TYPES:
        raise _refuse("impact_type", f"Unknown change impact “{impact_type}”.")
    if not affected_group.strip():
        raise _refuse("affected_group", "Name the group the change affects.")
    if status not in ChangeImpact.Status.values:
        raise _refuse("status", "Unknown status.")
    _check_person(initiative.organisation, owner, "owner")
    impact = ChangeImpact.objects.create(
        organisation=initiative.organisation,
        initiative=initiative,
        impact_type=impact_type,
        affected_group=affected_group.strip(),
        owner=owner,
        mitigation=mitigation,
        status=status,
    )
    audit.record(
        action="initiative.change_impact_added",
        organisation=initiative.organisation,
        actor=actor,
        target=initiative,
        details={"impact": impact.pk, "type": impact_type},
    )
    return impact


@transaction.atomic
def add_decision_right(
    *,
    initiative: Initiative,
    actor: User | None,
    decision: str,
    decided_by_before: str,
    decided_by_after: str,
    mode: str,
    accountable: str,
    override_handling: str = "",
) -> DecisionRight:
    if not decision.strip():
        raise _refuse("decision", "Name the decision that changes.")
    if mode not in DecisionRight.Mode.values:
        raise _refuse("mode", "The AI is either advisory or binding.")
    if not accountable.strip():
        raise _refuse("accountable", "Say who is accountable for the decision.")
    right = DecisionRight.objects.create(
        organisation=initiative.organisation,
        initiative=initiative,
        decision=decision.strip(),
        decided_by_before=decided_by_before.strip(),
        decided_by_after=decided_by_after.strip(),
        mode=mode,
        accountable=accountable.strip(),
        override_handling=override_handling,
    )
    audit.record(
        action="initiative.decision_right_added",
        organisation=initiative.organisation,
        actor=actor,
        target=initiative,
        details={"decision_right": right.pk},
    )
    return right


@transaction.atomic
def request_decision(
    *,
    organisation: Organisation,
    actor: User | None,
    title: str,
    initiative: Initiative | None = None,
    requested_at: datetime.datetime | None = None,
) -> DecisionLogEntry:
    if not title.strip():
        raise _refuse("title", "Say what needs deciding.")
    entry = DecisionLogEntry.objects.create(
        organisation=organisation,
        initiative=initiative,
        title=title.strip(),
        requested_at=requested_at or timezone.now(),
    )
    audit.record(
        action="initiative.decision_requested", organisation=organisation, actor=actor, target=entry
    )
    return entry


@transaction.atomic
def record_decision(
    *,
    entry: DecisionLogEntry,
    actor: User | None,
    decided_by: Person,
    outcome: str,
    decided_at: datetime.datetime | None = None,
) -> DecisionLogEntry:
    if entry.decided_at is not None:
        raise DomainError("This decision has already been taken.", code="already_decided")
    when = decided_at or timezone.now()
    if when < entry.requested_at:
        raise _refuse("decided_at", "A decision can't be taken before it was requested.")
    if not outcome.strip():
        raise _refuse("outcome", "Record the outcome of the decision.")
    entry.decided_at = when
    entry.decided_by = decided_by
    entry.outcome = outcome.strip()
    entry.save()
    audit.record(
        action="initiative.decision_recorded",
        organisation=entry.organisation,
        actor=actor,
        target=entry,
    )
    return entry


@transaction.atomic
def record_adoption(
    *,
    initiative: Initiative,
    actor: User | None,
    samples: Iterable[Mapping[str, Any]],
) -> int:
    """Upsert weekly usage per cohort; returns how many weeks were written."""
    written = 0
    for sample in samples:
        cohort, week = str(sample["cohort"]), int(sample["week"])
        suggestions, accepted = int(sample["suggestions"]), int(sample["accepted"])
        overridden = int(sample.get("overridden", 0))
        if cohort not in AdoptionSample.Cohort.values or week < 1:
            raise DomainError("Each sample needs a known cohort and a week from 1.")
        if accepted + overridden > suggestions or min(suggestions, accepted, overridden) < 0:
            raise DomainError("Accepted and overridden can't exceed the suggestions made.")
        AdoptionSample.objects.update_or_create(
            initiative=initiative,
            cohort=cohort,
            week=week,
            defaults={
                "organisation": initiative.organisation,
                "active_users": int(sample.get("active_users", 0)),
                "suggestions": suggestions,
                "accepted": accepted,
                "overridden": overridden,
            },
        )
        written += 1
    audit.record(
        action="initiative.adoption_recorded",
        organisation=initiative.organisation,
        actor=actor,
        target=initiative,
        details={"weeks": written},
    )
    return written


@transaction.atomic
def update_change_impact(
    *, impact: ChangeImpact, actor: User | None, changes: Mapping[str, Any]
) -> ChangeImpact:
    """Edit an impact of the register; closing it is setting its status to mitigated."""
    allowed = {"impact_type", "affected_group", "owner", "mitigation", "status"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(f"These fields can't be changed here: {', '.join(sorted(unknown))}.")
    if "impact_type" in changes and changes["impact_type"] not in IMPACT_TYPES:
        raise _refuse("impact_type", f"Unknown change impact “{changes['impact_type']}”.")
    if "affected_group" in changes and not str(changes["affected_group"]).strip():
        raise _refuse("affected_group", "Name the group the change affects.")
    if "status" in changes and changes["status"] not in ChangeImpact.Status.values:
        raise _refuse("status", "Unknown status.")
    if "owner" in changes:
        _check_person(impact.organisation, changes["owner"], "owner")
    before = impact.status
    for field, value in changes.items():
        setattr(impact, field, value.strip() if field == "affected_group" else value)
    impact.save()
    audit.record(
        action="initiative.change_impact_updated",
        organisation=impact.organisation,
        actor=actor,
        target=impact.initiative,
        details={"impact": impact.pk, "fields": sorted(changes), "status": [before, impact.status]},
    )
    return impact


@transaction.atomic
def update_decision_right(
    *, right: DecisionRight, actor: User | None, changes: Mapping[str, Any]
) -> DecisionRight:
    allowed = {
        "decision",
        "decided_by_before",
        "decided_by_after",
        "mode",
        "accountable",
        "override_handling",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(f"These fields can't be changed here: {', '.join(sorted(unknown))}.")
    merged = {f: getattr(right, f) for f in allowed} | dict(changes)
    if not str(merged["decision"]).strip():
        raise _refuse("decision", "Name the decision that changes.")
    if merged["mode"] not in DecisionRight.Mode.values:
        raise _refuse("mode", "The AI is either advisory or binding.")
    if not str(merged["accountable"]).strip():
        raise _refuse("accountable", "Say who is accountable for the decision.")
    for field in allowed:
        value = merged[field]
        setattr(right, field, value if field == "override_handling" else str(value).strip())
    right.save()
    audit.record(
        action="initiative.decision_right_updated",
        organisation=right.organisation,
        actor=actor,
        target=right.initiative,
        details={"decision_right": right.pk, "fields": sorted(changes)},
    )
    return right
