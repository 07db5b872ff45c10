"""The register over the API: list and register initiatives, read and change one with its
alignment package, its outcome chain and its before/after view."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Status

from bellwether.core.api import answers
from bellwether.core.schema import PathId
from bellwether.initiatives import access, selectors, services
from bellwether.initiatives.api.base import (
    detail_out,
    initiative_for,
    patch_changes,
    person_named,
    router,
    summary_out,
)
from bellwether.initiatives.api.schemas import (
    BeforeAfterIn,
    ChainIn,
    ChainOut,
    InitiativeDetail,
    InitiativeIn,
    InitiativeList,
    InitiativePatch,
)


@router.get("", **answers(InitiativeList, "list_initiatives", "List initiatives (the portfolio)"))
def list_initiatives(request: HttpRequest) -> dict[str, Any]:
    """Initiatives the member may see, with readiness, gates, capacity, alignment and alerts."""
    membership = access.VIEW_INITIATIVES.check(request)
    rows = selectors.portfolio(access.visible_initiatives(membership))
    return {"items": [summary_out(r) for r in rows]}


@router.post(
    "", **answers(InitiativeDetail, "create_initiative", "Register an initiative", status=201)
)
def create_initiative(request: HttpRequest, payload: InitiativeIn) -> Status[dict[str, Any]]:
    membership = access.MANAGE_INITIATIVES.check(request)
    initiative = services.create_initiative(
        organisation=membership.organisation,
        actor=membership.user,
        name=payload.name,
        archetype=payload.archetype,
        sponsor=person_named(membership, payload.sponsor_id, "sponsor_id"),
        problem=payload.problem,
        horizon=payload.horizon,
        teams_involved=payload.teams_involved,
    )
    return Status(201, detail_out(initiative))


@router.get(
    "/{int:initiative_id}",
    **answers(InitiativeDetail, "get_initiative", "Get an initiative with its alignment package"),
)
def get_initiative(request: HttpRequest, initiative_id: PathId) -> dict[str, Any]:
    _, initiative = initiative_for(request, initiative_id, to=None)
    return detail_out(initiative)


@router.patch(
    "/{int:initiative_id}",
    **answers(
        InitiativeDetail, "update_initiative", "Change the register entry and the alignment package"
    ),
)
def update_initiative(
    request: HttpRequest, initiative_id: PathId, payload: InitiativePatch
) -> dict[str, Any]:
    membership, initiative = initiative_for(request, initiative_id)
    # Only an owner may be cleared with null; any other null is refused, not ignored.
    owners = {"business_owner_id", "model_owner_id", "operational_owner_id"}
    changes = patch_changes(membership, payload, people=owners)
    services.update_initiative(initiative=initiative, actor=membership.user, changes=changes)
    return detail_out(initiative)


@router.put(
    "/{int:initiative_id}/chain",
    **answers(ChainOut, "set_outcome_chain", "Replace the outcome chain"),
)
def set_chain(request: HttpRequest, initiative_id: PathId, payload: ChainIn) -> dict[str, Any]:
    """The chain's links in order; the answer says why the chain is weak, if it is."""
    membership, initiative = initiative_for(request, initiative_id)
    links = [(link.kind, link.text) for link in payload.links]
    weaknesses = services.set_outcome_chain(
        initiative=initiative, actor=membership.user, links=links
    )
    return {"links": [{"kind": k, "text": t} for k, t in links], "weaknesses": weaknesses}


@router.put(
    "/{int:initiative_id}/before-after",
    **answers(
        dict[str, dict[str, str]],
        "set_before_after",
        "Set the before/after view across the catalogue's dimensions",
    ),
)
def set_before_after(
    request: HttpRequest, initiative_id: PathId, payload: BeforeAfterIn
) -> dict[str, Any]:
    membership, initiative = initiative_for(request, initiative_id)
    initiative = services.set_before_after(
        initiative=initiative,
        actor=membership.user,
        dimensions={k: v.model_dump() for k, v in payload.dimensions.items()},
    )
    return initiative.before_after
