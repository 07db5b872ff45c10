"""What every part of the initiatives API shares: the router, how an endpoint reaches the
initiative it acts on, and the output shapes several resources answer with."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import Router
from pydantic import BaseModel

from bellwether.accounts.models import Membership
from bellwether.core.access import ObjectRule
from bellwether.core.api import named
from bellwether.core.errors import DomainError
from bellwether.initiatives import access, selectors, services
from bellwether.initiatives.alignment import AlignmentSummary
from bellwether.initiatives.models import (
    ChangeImpact,
    DecisionLogEntry,
    DecisionRight,
    GateReview,
    Initiative,
)
from bellwether.people.models import Person

router = Router(tags=["initiatives"])

EntryT = TypeVar("EntryT")


def initiative_for(
    request: HttpRequest,
    initiative_id: int,
    *,
    to: ObjectRule[Membership, Initiative] | None = access.EDIT_INITIATIVE,
) -> tuple[Membership, Initiative]:
    """The caller and the initiative, if they may see it (404 otherwise) and do what ``to``
    asks (403 otherwise; by default edit it). Both refusals are audited."""
    membership = access.VIEW_INITIATIVES.check(request)
    return membership, access.get_initiative_for(request, membership, initiative_id, to=to)


def person_named(membership: Membership, person_id: int, field: str) -> Person:
    """A person of the caller's organisation named in the payload; 400 if there is none."""
    return named(
        selectors.person_in(membership.organisation, person_id), field, "There is no such person."
    )


def person_in(membership: Membership, person_id: int | None, field: str) -> Person | None:
    """Like ``person_named``, for an optional person (null clears it)."""
    return None if person_id is None else person_named(membership, person_id, field)


def no_nulls(changes: dict[str, Any], nullable: set[str]) -> dict[str, Any]:
    """A PATCH may leave a field out, but may set only ``nullable`` ones to null."""
    nulls = sorted(k for k, v in changes.items() if v is None and k not in nullable)
    if nulls:
        raise DomainError(
            "These fields can't be null.", field_errors={k: ["Can't be null."] for k in nulls}
        )
    return changes


def patch_changes(
    membership: Membership,
    payload: BaseModel,
    *,
    nullable: Collection[str] = (),
    people: Collection[str] = (),
) -> dict[str, Any]:
    """The fields a PATCH sent. Only ``nullable`` and ``people`` fields may be null; a
    ``people`` field (``<name>_id``) becomes the person of the caller's organisation under
    ``<name>`` (400 if there is none; null clears it)."""
    sent = no_nulls(payload.model_dump(exclude_unset=True), {*nullable, *people})
    return with_people(membership, sent, people)


def with_people(
    membership: Membership, fields: dict[str, Any], people: Collection[str]
) -> dict[str, Any]:
    """``fields`` with each ``people`` field (``<name>_id``) replaced by the person of the
    caller's organisation under ``<name>`` (400 if there is none; null stays null)."""
    return {
        (field.removesuffix("_id") if field in people else field): (
            person_in(membership, value, field) if field in people else value
        )
        for field, value in fields.items()
    }


def add_part(
    request: HttpRequest,
    initiative_id: int,
    add: Callable[..., EntryT],
    payload: BaseModel,
    *,
    people: Collection[str] = (),
) -> EntryT:
    """Register a new entry in an initiative's registers with the ``add`` service, from
    every field of the payload (``people`` fields name a person, as in a PATCH)."""
    membership, initiative = initiative_for(request, initiative_id)
    fields = with_people(membership, payload.model_dump(), people)
    return add(initiative=initiative, actor=membership.user, **fields)


def patch_part(
    request: HttpRequest,
    initiative_id: int,
    model: type[access.PartT],
    part_id: int,
    payload: BaseModel,
    *,
    nullable: Collection[str] = (),
    people: Collection[str] = (),
) -> access.PartT:
    """PATCH one entry of an initiative's registers (a metric, change impact or decision
    right); the caller must be able to edit it."""
    membership, initiative = initiative_for(request, initiative_id)
    part = access.get_part_for(request, membership, initiative, model, part_id)
    changes = patch_changes(membership, payload, nullable=nullable, people=people)
    return services.update_part(part=part, actor=membership.user, changes=changes)


# --- output shapes ------------------------------------------------------------------------


def ref(person: Person | None) -> dict[str, Any] | None:
    return {"id": person.pk, "name": person.name} if person is not None else None


def alignment_out(summary: AlignmentSummary) -> dict[str, Any]:
    return {
        "executives": summary.executives,
        "aligned": summary.aligned,
        "share": summary.share,
        "disagreements": [{"executive": e, "element": el} for e, el in summary.disagreements],
        "pending": list(summary.pending),
    }


def signers_out(signers: list[selectors.SignerStatus]) -> list[dict[str, Any]]:
    return [
        {
            "id": s.person.pk,
            "name": s.person.name,
            "given": s.given,
            "signed": s.signed,
            "aligned": s.aligned,
        }
        for s in signers
    ]


def summary_out(row: selectors.PortfolioRow) -> dict[str, Any]:
    i = row.initiative
    return {
        "id": i.pk,
        "name": i.name,
        "archetype": i.archetype,
        "horizon": i.horizon,
        "stage": i.stage,
        "sponsor": ref(i.sponsor),
        "scale_ready_blockers": row.blockers,
        "learning_only": row.learning_only,
        "gates_endorsed": row.gates_endorsed,
        "gates_total": row.gates_total,
        "teams_in_flight": row.teams_in_flight,
        "alignment": alignment_out(row.alignment),
        "alerts": [{"kind": a.kind, "message": a.message} for a in row.alerts],
    }


def metric_out(metric: Any, **extra: Any) -> dict[str, Any]:
    return {"id": metric.pk, **{f: getattr(metric, f) for f in services.METRIC_FIELDS}, **extra}


def gate_out(gate: GateReview) -> dict[str, Any]:
    return {
        "key": gate.key,
        "name": gate.name,
        "status": gate.status,
        "evidence_text": gate.evidence_text,
        "evidence_link": gate.evidence_link,
        "has_file": bool(gate.evidence_file),
        "waiver_reason": gate.waiver_reason,
        "endorsed_by": ref(gate.endorsed_by),
    }


def impact_out(impact: ChangeImpact) -> dict[str, Any]:
    return {
        "id": impact.pk,
        "impact_type": impact.impact_type,
        "affected_group": impact.affected_group,
        "owner": ref(impact.owner),
        "mitigation": impact.mitigation,
        "status": impact.status,
        "missing": impact.missing,
    }


def right_out(right: DecisionRight) -> dict[str, Any]:
    return {"id": right.pk, **{f: getattr(right, f) for f in services.DECISION_RIGHT_FIELDS}}


def decision_out(entry: DecisionLogEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "title": entry.title,
        "initiative_id": entry.initiative_id,
        "requested_at": entry.requested_at,
        "decided_at": entry.decided_at,
        "decided_by": ref(entry.decided_by),
        "outcome": entry.outcome,
    }


def detail_out(initiative: Initiative) -> dict[str, Any]:
    """An initiative with its whole alignment package."""
    package = selectors.initiative_package(initiative, series_days=0)
    return {
        **summary_out(selectors.portfolio_row(initiative)),
        "problem": initiative.problem,
        "teams_involved": initiative.teams_involved,
        "business_owner": ref(initiative.business_owner),
        "model_owner": ref(initiative.model_owner),
        "operational_owner": ref(initiative.operational_owner),
        "raci": initiative.raci,
        **{f: getattr(initiative, f) for f in services.PACKAGE_TEXT},
        "chain": {
            "links": [{"kind": link.kind, "text": link.text} for link in package.chain],
            "weaknesses": package.chain_weaknesses,
        },
        "metrics": [
            metric_out(v.metric, latest=v.latest, breached=v.breached) for v in package.metrics
        ],
        "measurement_integrity_gaps": package.integrity_gaps,
        "gates": [gate_out(g) for g in package.gates],
        "majority_wall": package.majority_wall.flagged,
        "signatories": signers_out(package.signers),
        "change_impacts": [impact_out(i) for i in package.impacts],
        "decision_rights": [right_out(r) for r in package.decision_rights],
        "before_after": initiative.before_after,
    }
