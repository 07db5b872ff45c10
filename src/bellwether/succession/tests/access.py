"""Pathways, succession and learnings: pages and API operations for the access matrix.

Succession (positions, successors, knowledge transfer) answers admins and sponsors only:
every other role gets 403 on every page and operation, and 404 for nothing it could
name. The coachee is on a pathway (their coach sees it; the leader member does not);
everyone reads and adds learnings.
"""

from __future__ import annotations

from typing import Any

from bellwether.succession import services
from bellwether.succession.models import (
    CriticalPosition,
    Learning,
    PathwayPlacement,
    PlanItem,
    Successor,
    TransferItem,
)
from bellwether.testing.access import (
    Operation,
    Page,
    World,
    api_everyone,
    api_only,
    everyone,
    only,
    pk_of,
)

BASE = "/api/v1/succession"
SLATE = ("admin", "sponsor")
PATHWAY_READERS = ("admin", "sponsor", "coach")  # of the coachee's pathway


def build(world: World) -> None:
    position = services.add_position(
        organisation=world["org"],
        title="Chief Operating Officer",
        org_unit=world["unit"],
        incumbent=world["leader_person"],
        actor=None,
    )
    services.name_successor(
        position=position,
        person=world["coachee"],
        readiness="succession.one_to_two_years",
        high_potential=True,
        actor=None,
    )
    world["position"] = position
    world["transfer_item"] = services.add_transfer_item(
        position=position, text="Board reporting calendar", actor=None
    )
    placement = services.place_on_pathway(
        person=world["coachee"], pathway="pathway.transformation", actor=None
    )
    world["placement"] = placement
    world["plan_item"] = placement.items.order_by("id").first()


_position = pk_of("position")
_placement = pk_of("placement")
_item = pk_of("plan_item")


def _drop(model: type, **where: Any) -> Any:
    def restore(world: World) -> None:
        model.objects.filter(**where).delete()  # type: ignore[attr-defined]

    return restore


def _undone(world: World) -> None:
    item = world["plan_item"]
    PlanItem.objects.filter(pk=item.pk).update(done_on=None, updated_at=item.updated_at)


def _transfer(world: World) -> dict[str, Any]:
    return {"pk": world["position"].pk, "item_pk": world["transfer_item"].pk}


def _not_handed_over(world: World) -> None:
    TransferItem.objects.filter(pk=world["transfer_item"].pk).update(done_on=None)


PLACEMENT_VIEW = only(PATHWAY_READERS, outsider=404) | {"leader": 404}

PAGES: list[Page] = [
    Page("succession:home", only(SLATE)),
    Page("succession:position_new", everyone(405)),
    Page("succession:position", only(SLATE, outsider=404), _position, True),
    Page("succession:successor_add", everyone(405), _position, True),
    Page("succession:transfer_add", everyone(405), _position, True),
    Page("succession:transfer_done", everyone(405), _transfer, True),
    Page("succession:pathways", only(("admin", "sponsor", "coach", "leader"))),
    Page("succession:place", everyone(405)),
    Page("succession:placement", PLACEMENT_VIEW, _placement, True),
    Page("succession:item_done", everyone(405), _item, True),
    Page("succession:learnings", everyone(200)),
    Page("succession:learning_new", everyone(405)),
]

OPERATIONS: list[Operation] = [
    Operation("get", f"{BASE}/positions", api_only(SLATE)),
    Operation(
        "post",
        f"{BASE}/positions",
        api_only(SLATE, ok=201, outsider=201),
        body=lambda w: {"title": "Head of Data"},
        restore=_drop(CriticalPosition, title="Head of Data"),
    ),
    Operation(
        "get",
        f"{BASE}/positions/{{position_id}}",
        api_only(SLATE, outsider=404),
        params=lambda w: {"position_id": w["position"].pk},
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/positions/{{position_id}}/successors",
        api_only(SLATE, outsider=404),
        params=lambda w: {"position_id": w["position"].pk},
        body=lambda w: {"person_id": w["bystander"].pk, "readiness": "succession.ready_now"},
        is_object=True,
        restore=_drop(Successor, readiness="succession.ready_now"),
    ),
    Operation(
        "post",
        f"{BASE}/positions/{{position_id}}/transfer-items",
        api_only(SLATE, outsider=404),
        params=lambda w: {"position_id": w["position"].pk},
        body=lambda w: {"text": "Supplier relationships"},
        is_object=True,
        restore=_drop(TransferItem, text="Supplier relationships"),
    ),
    Operation(
        "post",
        f"{BASE}/positions/{{position_id}}/transfer-items/{{item_id}}/done",
        api_only(SLATE, outsider=404),
        params=lambda w: {"position_id": w["position"].pk, "item_id": w["transfer_item"].pk},
        body=lambda w: {"done_on": "2026-01-10"},
        is_object=True,
        restore=_not_handed_over,
    ),
    Operation("get", f"{BASE}/pathways", api_only(("admin", "sponsor", "coach", "leader"))),
    Operation(
        "post",
        f"{BASE}/pathways",
        api_only(SLATE, ok=201, outsider=400),  # the outsider cannot name our leader
        body=lambda w: {"person_id": w["leader_person"].pk, "pathway": "pathway.strategy"},
        restore=_drop(PathwayPlacement, pathway="pathway.strategy"),
    ),
    Operation(
        "get",
        f"{BASE}/pathways/{{placement_id}}",
        api_only(PATHWAY_READERS, outsider=404) | {"leader": 404},
        params=lambda w: {"placement_id": w["placement"].pk},
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/plan-items/{{item_id}}",
        api_only(PATHWAY_READERS, outsider=404) | {"leader": 404},
        params=lambda w: {"item_id": w["plan_item"].pk},
        body=lambda w: {"done": True},
        is_object=True,
        restore=_undone,
    ),
    Operation("get", f"{BASE}/learnings", api_everyone(200)),
    Operation(
        "post",
        f"{BASE}/learnings",
        api_everyone(201),
        body=lambda w: {"kind": "learning.learning", "title": "Pilot small", "body": "It works."},
        restore=_drop(Learning, title="Pilot small"),
    ),
]
