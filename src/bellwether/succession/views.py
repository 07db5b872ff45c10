"""Pages of pathways, succession and learnings. Succession pages are for admins and
sponsors only. Thin: parse, ask ``access``, call a service or selector, render."""

from __future__ import annotations

from typing import cast

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from bellwether.accounts.access import MemberRequest, page
from bellwether.core.errors import DomainError
from bellwether.core.forms import announce, optional_date, picked_person, show_refusal
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import (
    CATALOGUE,
    LEARNING_KINDS,
    PLAN_ITEM_KINDS,
    PROGRAMME_PHASES,
    SUCCESSION_READINESS,
)
from bellwether.people import selectors as people_selectors
from bellwether.people.models import Person
from bellwether.succession import access, selectors, services

LEARNING_LIMIT = 200


def _id(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**63 else None


# --- succession (admins and sponsors only) -----------------------------------------------------


def _picked(organisation: Organisation, text: str, field: str) -> Person | None:
    """The leader typed or picked in a person picker (None when left empty)."""
    return cast("Person | None", picked_person(selectors.leaders(organisation), text, field=field))


@page(access.VIEW_SUCCESSION)
def home(request: MemberRequest) -> HttpResponse:
    organisation = request.membership.organisation
    return render(
        request,
        "succession/home.html",
        {
            "positions": list(selectors.slate(organisation)),
            "by_unit": selectors.depth_by_unit(organisation),
        },
    )


@page(access.VIEW_SUCCESSION, methods=["POST"])
def position_new(request: MemberRequest) -> HttpResponse:
    organisation = request.membership.organisation
    try:
        position = services.add_position(
            organisation=organisation,
            title=request.POST.get("title", ""),
            # The unit picker submits a code; an id is taken too.
            org_unit=people_selectors.unit_named(organisation, request.POST.get("org_unit", "")),
            incumbent=_picked(organisation, request.POST.get("incumbent", ""), "incumbent"),
            note=request.POST.get("note", "")[:5000],
            actor=request.membership.user,
        )
    except DomainError as error:
        show_refusal(request, error)
        return redirect("succession:home")
    return redirect("succession:position", pk=position.pk)


@page(access.VIEW_SUCCESSION)
def position(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    found = access.get_position_for(request, membership, pk)
    return render(
        request,
        "succession/position.html",
        {
            "position": found,
            "successors": selectors.successors_of(found),
            "transfer_items": list(found.transfer_items.all()),
            "readiness": SUCCESSION_READINESS,
            "today": timezone.localdate(),
        },
    )


@page(access.VIEW_SUCCESSION, methods=["POST"])
def successor_add(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    found = access.get_position_for(request, membership, pk)
    announce(
        request,
        lambda: services.name_successor(
            position=found,
            person=_picked(membership.organisation, request.POST.get("person", ""), "person"),
            readiness=request.POST.get("readiness", ""),
            high_potential=request.POST.get("high_potential") == "1",
            note=request.POST.get("note", ""),
            actor=membership.user,
        ),
        "Successor saved.",
        every_problem=True,
    )
    return redirect("succession:position", pk=found.pk)


@page(access.VIEW_SUCCESSION, methods=["POST"])
def transfer_add(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    found = access.get_position_for(request, membership, pk)
    try:
        services.add_transfer_item(
            position=found, text=request.POST.get("text", ""), actor=membership.user
        )
    except DomainError as error:
        show_refusal(request, error)
    return redirect("succession:position", pk=found.pk)


@page(access.VIEW_SUCCESSION, methods=["POST"])
def transfer_done(request: MemberRequest, pk: int, item_pk: int) -> HttpResponse:
    """Record the day one knowledge-transfer item was handed over."""
    membership = request.membership
    found = access.get_position_for(request, membership, pk)
    announce(
        request,
        lambda: services.complete_knowledge_transfer(
            organisation=membership.organisation,
            item=selectors.transfer_item_of(found, item_pk),
            done_on=optional_date(request.POST.get("done_on", "")),
            actor=membership.user,
        ),
        "The hand-over is recorded.",
        every_problem=True,
    )
    return redirect("succession:position", pk=found.pk)


# --- pathways ----------------------------------------------------------------------------------


@page(access.VIEW_PATHWAYS)
def pathways(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    return render(
        request,
        "succession/pathways.html",
        {
            "pathways": CATALOGUE.development_pathways,
            "placements": list(selectors.placements_for(membership)),
            "can_place": access.PLACE_ON_PATHWAY.allows(membership),
        },
    )


@page(access.PLACE_ON_PATHWAY, methods=["POST"])
def place(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    try:
        placement = services.place_on_pathway(
            person=_picked(membership.organisation, request.POST.get("person", ""), "person"),
            pathway=request.POST.get("pathway", ""),
            note=request.POST.get("note", ""),
            actor=membership.user,
        )
    except DomainError as error:
        show_refusal(request, error)
        return redirect("succession:pathways")
    return redirect("succession:placement", pk=placement.pk)


@page(access.VIEW_PATHWAYS)
def placement(request: MemberRequest, pk: int) -> HttpResponse:
    found = access.get_placement_for(request, request.membership, pk)
    items = selectors.items_of(found)
    groups = [(kind.name, [i for i in items if i.kind == kind.key]) for kind in PLAN_ITEM_KINDS]
    return render(
        request,
        "succession/placement.html",
        {"placement": found, "groups": groups},
    )


@page(access.VIEW_PATHWAYS, methods=["POST"])
def item_done(request: MemberRequest, pk: int) -> HttpResponse:
    item = access.get_plan_item_for(request, request.membership, pk)
    services.mark_item(
        item=item, done=request.POST.get("done") == "1", actor=request.membership.user
    )
    return redirect("succession:placement", pk=item.placement_id)


# --- learnings ---------------------------------------------------------------------------------


@page(access.LEARNINGS)
def learnings(request: MemberRequest) -> HttpResponse:
    organisation = request.membership.organisation
    query = request.GET.get("q", "").strip()[:200]
    phase, kind = request.GET.get("phase", ""), request.GET.get("kind", "")
    unit_id, initiative_id = _id(request.GET.get("unit")), _id(request.GET.get("initiative"))
    filters = {
        "q": query,
        "phase": phase,
        "kind": kind,
        "unit": unit_id,
        "initiative": initiative_id,
    }
    rows = selectors.learnings(
        organisation,
        query=query,
        phase=phase,
        kind=kind,
        unit_id=unit_id,
        initiative_id=initiative_id,
    )
    return render(
        request,
        "succession/learnings.html",
        {
            "rows": list(rows[:LEARNING_LIMIT]),
            "filters": filters,
            "phases": PROGRAMME_PHASES,
            "kinds": LEARNING_KINDS,
            "units": selectors.units(organisation),
            "initiatives": selectors.initiatives(organisation),
        },
    )


@page(access.LEARNINGS, methods=["POST"])
def learning_new(request: MemberRequest) -> HttpResponse:
    organisation = request.membership.organisation
    announce(
        request,
        lambda: services.record_learning(
            organisation=organisation,
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
            body=request.POST.get("body", ""),
            phase=request.POST.get("phase", ""),
            initiative=selectors.initiative_in(organisation, _id(request.POST.get("initiative"))),
            org_unit=selectors.unit_in(organisation, _id(request.POST.get("unit"))),
            actor=request.membership.user,
        ),
        "Learning recorded.",
        every_problem=True,
    )
    return redirect("succession:learnings")
