"""Pathways, succession and learnings over the JSON API: the twin of the pages.
Succession endpoints answer admins and sponsors only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from bellwether.accounts.models import Membership
from bellwether.core import cursor
from bellwether.core.api import answers
from bellwether.core.api_routes import paged_list
from bellwether.core.schema import (
    ERRORS,
    CursorQuery,
    Date,
    Id,
    PathId,
    QueryId,
    StrictInput,
    UtcDateTime,
)
from bellwether.succession import access, selectors, services
from bellwether.succession.models import CriticalPosition, Learning, PathwayPlacement

router = Router(tags=["succession"])


class SuccessorOut(Schema):
    person_id: int
    name: str
    readiness: str
    high_potential: bool
    note: str


class TransferItemOut(Schema):
    id: int
    text: str
    done_on: dt.date | None


class PositionOut(Schema):
    id: int
    title: str
    org_unit: str | None
    incumbent_id: int | None
    depth: int
    ready_now: int
    high_potential: int


class PositionDetailOut(PositionOut):
    successors: list[SuccessorOut]
    transfer_items: list[TransferItemOut]


class UnitDepthOut(Schema):
    unit: str
    positions: int
    successors: int
    ready_now: int
    uncovered: int


class SlateOut(Schema):
    positions: list[PositionOut]
    by_unit: list[UnitDepthOut]


class PositionIn(StrictInput):
    title: str = Field(max_length=200)
    org_unit_id: Id | None = None
    incumbent_id: Id | None = None
    note: str = Field("", max_length=5000)


class SuccessorIn(StrictInput):
    person_id: Id
    readiness: str = Field(max_length=40, description="A succession readiness key")
    high_potential: bool = False
    note: str = Field("", max_length=5000)


class TransferIn(StrictInput):
    text: str = Field(max_length=300)


class TransferItemDoneIn(StrictInput):
    done_on: Date


class PlanItemOut(Schema):
    id: int
    kind: str
    text: str
    done_on: dt.date | None


class PlacementOut(Schema):
    id: int
    person_id: int
    person: str
    pathway: str
    items: list[PlanItemOut]


class PlaceIn(StrictInput):
    person_id: Id
    pathway: str = Field(max_length=60, description="A development pathway key")
    note: str = Field("", max_length=5000)


class ItemIn(StrictInput):
    done: bool


class LearningOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    phase: str
    initiative_id: int | None
    org_unit_id: int | None
    author: str
    created_at: UtcDateTime


class LearningIn(StrictInput):
    kind: str = Field(max_length=40, description="A learning kind key")
    title: str = Field(max_length=200)
    body: str = Field(max_length=5000)
    phase: str = Field("", max_length=40)
    initiative_id: Id | None = None
    org_unit_id: Id | None = None


class LearningFilters(CursorQuery):
    q: str = Field("", max_length=200)
    phase: str = Field("", max_length=40)
    kind: str = Field("", max_length=40)
    unit: QueryId | None = None
    initiative: QueryId | None = None


def _position(p: CriticalPosition) -> dict[str, Any]:
    return {
        "id": p.pk,
        "title": p.title,
        "org_unit": p.org_unit.name if p.org_unit else None,
        "incumbent_id": p.incumbent_id,
        "depth": getattr(p, "depth", 0),
        "ready_now": getattr(p, "ready_now", 0),
        "high_potential": getattr(p, "high_potential", 0),
    }


def _on_position(
    request: HttpRequest,
    position_id: int,
    action: Callable[[CriticalPosition, Membership], object],
) -> dict[str, Any]:
    """Run a service on a position the member may see; answer the position as it is now."""
    membership = access.VIEW_SUCCESSION.check(request)
    action(access.get_position_for(request, membership, position_id), membership)
    return _position_detail(request, position_id)


def _position_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    membership = access.VIEW_SUCCESSION.check(request)
    found = access.get_position_for(request, membership, pk)
    annotated = selectors.slate(membership.organisation).get(pk=found.pk)
    return {
        **_position(annotated),
        "successors": [
            {
                "person_id": s.person_id,
                "name": s.person.name,
                "readiness": s.readiness,
                "high_potential": s.high_potential,
                "note": s.note,
            }
            for s in selectors.successors_of(found)
        ],
        "transfer_items": [
            {"id": t.pk, "text": t.text, "done_on": t.done_on} for t in found.transfer_items.all()
        ],
    }


def _placement(p: PathwayPlacement) -> dict[str, Any]:
    return {
        "id": p.pk,
        "person_id": p.person_id,
        "person": p.person.name,
        "pathway": p.pathway,
        "items": [
            {"id": i.pk, "kind": i.kind, "text": i.text, "done_on": i.done_on}
            for i in selectors.items_of(p)
        ],
    }


@router.get("/positions", response={200: SlateOut, **ERRORS}, operation_id="succession_slate")
def slate(request: HttpRequest) -> dict[str, Any]:
    membership = access.VIEW_SUCCESSION.check(request)
    return {
        "positions": [_position(p) for p in selectors.slate(membership.organisation)],
        "by_unit": selectors.depth_by_unit(membership.organisation),
    }


@router.post(
    "/positions",
    response={201: PositionDetailOut, **ERRORS},
    operation_id="succession_add_position",
)
def add_position(request: HttpRequest, payload: PositionIn) -> Status[dict[str, Any]]:
    membership = access.VIEW_SUCCESSION.check(request)
    org = membership.organisation
    position = services.add_position(
        organisation=org,
        title=payload.title,
        org_unit=selectors.unit_in(org, payload.org_unit_id),
        incumbent=selectors.person_in(org, payload.incumbent_id),
        note=payload.note,
        actor=membership.user,
    )
    return Status(201, _position_detail(request, position.pk))


@router.get(
    "/positions/{position_id}",
    response={200: PositionDetailOut, **ERRORS},
    operation_id="succession_position",
)
def get_position(request: HttpRequest, position_id: PathId) -> dict[str, Any]:
    return _position_detail(request, position_id)


@router.post(
    "/positions/{position_id}/successors",
    response={200: PositionDetailOut, **ERRORS},
    operation_id="succession_name_successor",
)
def name_successor(
    request: HttpRequest, position_id: PathId, payload: SuccessorIn
) -> dict[str, Any]:
    return _on_position(
        request,
        position_id,
        lambda position, membership: services.name_successor(
            position=position,
            person=selectors.person_in(membership.organisation, payload.person_id),
            readiness=payload.readiness,
            high_potential=payload.high_potential,
            note=payload.note,
            actor=membership.user,
        ),
    )


@router.post(
    "/positions/{position_id}/transfer-items",
    response={200: PositionDetailOut, **ERRORS},
    operation_id="succession_add_transfer_item",
)
def add_transfer_item(
    request: HttpRequest, position_id: PathId, payload: TransferIn
) -> dict[str, Any]:
    return _on_position(
        request,
        position_id,
        lambda position, membership: services.add_transfer_item(
            position=position, text=payload.text, actor=membership.user
        ),
    )


@router.post(
    "/positions/{position_id}/transfer-items/{item_id}/done",
    **answers(
        PositionDetailOut,
        "succession_complete_transfer_item",
        "Record the day a knowledge-transfer item was handed over",
    ),
)
def complete_transfer_item(
    request: HttpRequest, position_id: PathId, item_id: PathId, payload: TransferItemDoneIn
) -> dict[str, Any]:
    """The date is today or earlier; an item not of this position is a 404."""

    def complete(position: CriticalPosition, membership: Membership) -> None:
        item = selectors.transfer_item_of(position, item_id)
        if item is None:
            raise Http404("No such knowledge-transfer item.")
        services.complete_knowledge_transfer(
            organisation=membership.organisation,
            item=item,
            done_on=payload.done_on,
            actor=membership.user,
        )

    return _on_position(request, position_id, complete)


@paged_list(
    router,
    "/pathways",
    response={200: list[PlacementOut], **ERRORS},
    operation_id="succession_pathways",
    openapi_extra=cursor.NEXT_PAGE_HEADERS,
    check=access.VIEW_PATHWAYS.check,
    order=("person__name", "id"),
    scope="succession.pathways",
    item=_placement,
)
def list_placements(membership: Membership, query: CursorQuery) -> QuerySet[PathwayPlacement]:
    return selectors.placements_for(membership).prefetch_related("items")


@router.post("/pathways", response={201: PlacementOut, **ERRORS}, operation_id="succession_place")
def place(request: HttpRequest, payload: PlaceIn) -> Status[dict[str, Any]]:
    membership = access.PLACE_ON_PATHWAY.check(request)
    placement = services.place_on_pathway(
        person=selectors.person_in(membership.organisation, payload.person_id),
        pathway=payload.pathway,
        note=payload.note,
        actor=membership.user,
    )
    return Status(201, _placement(placement))


@router.get(
    "/pathways/{placement_id}",
    response={200: PlacementOut, **ERRORS},
    operation_id="succession_placement",
)
def get_placement(request: HttpRequest, placement_id: PathId) -> dict[str, Any]:
    membership = access.VIEW_PATHWAYS.check(request)
    return _placement(access.get_placement_for(request, membership, placement_id))


@router.post(
    "/plan-items/{item_id}",
    response={200: PlanItemOut, **ERRORS},
    operation_id="succession_mark_item",
)
def mark_item(request: HttpRequest, item_id: PathId, payload: ItemIn) -> dict[str, Any]:
    membership = access.VIEW_PATHWAYS.check(request)
    item = access.get_plan_item_for(request, membership, item_id)
    item = services.mark_item(item=item, done=payload.done, actor=membership.user)
    return {"id": item.pk, "kind": item.kind, "text": item.text, "done_on": item.done_on}


def _learning(row: Learning) -> dict[str, Any]:
    return {
        "id": row.pk,
        "kind": row.kind,
        "title": row.title,
        "body": row.body,
        "phase": row.phase,
        "initiative_id": row.initiative_id,
        "org_unit_id": row.org_unit_id,
        "author": row.author_label,
        "created_at": row.created_at,
    }


@paged_list(
    router,
    "/learnings",
    response={200: list[LearningOut], **ERRORS},
    operation_id="succession_learnings",
    openapi_extra=cursor.NEXT_PAGE_HEADERS,
    check=access.LEARNINGS.check,
    order=("-created_at", "-id"),
    scope="succession.learnings",
    item=_learning,
)
def list_learnings(membership: Membership, filters: LearningFilters) -> QuerySet[Learning]:
    return selectors.learnings(
        membership.organisation,
        query=filters.q,
        phase=filters.phase,
        kind=filters.kind,
        unit_id=filters.unit,
        initiative_id=filters.initiative,
    )


@router.post(
    "/learnings", response={201: LearningOut, **ERRORS}, operation_id="succession_add_learning"
)
def add_learning(request: HttpRequest, payload: LearningIn) -> Status[dict[str, Any]]:
    membership = access.LEARNINGS.check(request)
    org = membership.organisation
    learning = services.record_learning(
        organisation=org,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        phase=payload.phase,
        initiative=selectors.initiative_in(org, payload.initiative_id),
        org_unit=selectors.unit_in(org, payload.org_unit_id),
        actor=membership.user,
    )
    return Status(201, _learning(learning))
