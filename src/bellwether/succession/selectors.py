"""Reads of pathways, succession and learnings. Succession reads are for admins and
sponsors only (``access.VIEW_SUCCESSION``); nothing here is shown to anyone else."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from bellwether.accounts.models import Membership
from bellwether.core.models import Organisation
from bellwether.initiatives.models import Initiative
from bellwether.people.access import visible_people
from bellwether.people.models import OrgUnit, Person
from bellwether.succession.models import (
    CriticalPosition,
    Learning,
    PathwayPlacement,
    PlanItem,
    Successor,
    TransferItem,
)

READY_NOW = "succession.ready_now"


def positions() -> QuerySet[CriticalPosition]:
    return CriticalPosition.objects.select_related("org_unit", "incumbent")


def slate(organisation: Organisation) -> QuerySet[CriticalPosition]:
    """Critical positions with their pipeline depth (successors, ready now, high
    potential) counted in the same query."""
    return (
        positions()
        .filter(organisation=organisation)
        .annotate(
            depth=Count("successors"),
            ready_now=Count("successors", filter=Q(successors__readiness=READY_NOW)),
            high_potential=Count("successors", filter=Q(successors__high_potential=True)),
        )
        .order_by("org_unit__name", "title", "id")
    )


@dataclass(frozen=True)
class UnitDepth:
    unit: str
    positions: int
    successors: int
    ready_now: int
    uncovered: int  # positions with no successor


def depth_by_unit(organisation: Organisation) -> list[UnitDepth]:
    """Pipeline depth per org unit, aggregated in SQL (two queries)."""
    per_unit = (
        Successor.objects.filter(organisation=organisation)
        .values("position__org_unit__name")
        .annotate(n=Count("id"), ready=Count("id", filter=Q(readiness=READY_NOW)))
    )
    successors = {r["position__org_unit__name"]: (r["n"], r["ready"]) for r in per_unit}
    rows = (
        CriticalPosition.objects.filter(organisation=organisation)
        .values("org_unit__name")
        .annotate(
            n=Count("id", distinct=True),
            uncovered=Count("id", filter=Q(successors__isnull=True), distinct=True),
        )
        .order_by("org_unit__name")
    )
    return [
        UnitDepth(
            r["org_unit__name"] or "No unit",
            r["n"],
            successors.get(r["org_unit__name"], (0, 0))[0],
            successors.get(r["org_unit__name"], (0, 0))[1],
            r["uncovered"],
        )
        for r in rows
    ]


def successors_of(position: CriticalPosition) -> list[Successor]:
    return list(
        Successor.objects.filter(position=position)
        .select_related("person", "person__org_unit")
        .order_by("readiness", "person__name")
    )


def person_in(organisation: Organisation, pk: int | None) -> Person | None:
    if pk is None:
        return None
    return Person.objects.filter(organisation=organisation, pk=pk).first()


def unit_in(organisation: Organisation, pk: int | None) -> OrgUnit | None:
    if pk is None:
        return None
    return OrgUnit.objects.filter(organisation=organisation, pk=pk).first()


def initiative_in(organisation: Organisation, pk: int | None) -> Initiative | None:
    if pk is None:
        return None
    return Initiative.objects.filter(organisation=organisation, pk=pk).first()


def units(organisation: Organisation) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(organisation=organisation).order_by("path")


def leaders(organisation: Organisation) -> QuerySet[Person]:
    return (
        Person.objects.filter(organisation=organisation, active=True)
        .exclude(leader_level="")
        .order_by("name")
    )


def initiatives(organisation: Organisation) -> QuerySet[Initiative]:
    return Initiative.objects.filter(organisation=organisation).order_by("name")


# --- pathways ----------------------------------------------------------------------------------


def placements() -> QuerySet[PathwayPlacement]:
    return PathwayPlacement.objects.select_related("person", "person__org_unit")


def placements_for(membership: Membership) -> QuerySet[PathwayPlacement]:
    """The placements of the people the member may see, with their progress."""
    people = visible_people(membership, Person.objects.all())
    return (
        placements()
        .filter(organisation=membership.organisation, person__in=people)
        .annotate(
            items_total=Count("items"),
            items_done=Count("items", filter=Q(items__done_on__isnull=False)),
        )
        .order_by("person__name", "id")
    )


def plan_items() -> QuerySet[PlanItem]:
    return PlanItem.objects.select_related("placement")


def items_of(placement: PathwayPlacement) -> list[PlanItem]:
    return list(PlanItem.objects.filter(placement=placement).order_by("id"))


# --- learnings ---------------------------------------------------------------------------------


def learnings(
    organisation: Organisation,
    *,
    query: str = "",
    phase: str = "",
    unit_id: int | None = None,
    initiative_id: int | None = None,
    kind: str = "",
) -> QuerySet[Learning]:
    """The learnings log, newest first, filtered by words (title or text), framework
    phase, unit, initiative and kind."""
    rows = Learning.objects.filter(organisation=organisation).select_related(
        "initiative", "org_unit"
    )
    for word in query.split()[:8]:
        rows = rows.filter(Q(title__icontains=word) | Q(body__icontains=word))
    if phase:
        rows = rows.filter(phase=phase)
    if kind:
        rows = rows.filter(kind=kind)
    if unit_id is not None:
        rows = rows.filter(org_unit_id=unit_id)
    if initiative_id is not None:
        rows = rows.filter(initiative_id=initiative_id)
    return rows.order_by("-created_at", "-id")


def transfer_item_of(position: CriticalPosition, pk: int | None) -> TransferItem | None:
    """One knowledge-transfer item of ``position`` (None if it has no such item)."""
    if pk is None:
        return None
    return TransferItem.objects.filter(position=position, pk=pk).first()
