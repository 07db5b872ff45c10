"""Organisation-level figures (capacity load, executive alignment, time-to-decision) and
work with the shared bottleneck teams."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query

from bellwether.core.api import answers
from bellwether.core.schema import PathId
from bellwether.initiatives import access, selectors, services
from bellwether.initiatives.api.base import (
    alignment_out,
    initiative_for,
    router,
)
from bellwether.initiatives.api.schemas import (
    AlignmentOut,
    DemandOut,
    TeamLoadOut,
    TeamStartIn,
    TimeToDecisionOut,
    TimeToDecisionQuery,
)


@router.get(
    "/capacity",
    **answers(list[TeamLoadOut], "initiative_capacity", "Bottleneck teams: load against caps"),
)
def capacity(request: HttpRequest) -> list[dict[str, Any]]:
    membership = access.MANAGE_INITIATIVES.check(request)
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
    **answers(AlignmentOut, "organisation_alignment", "Organisation-level executive alignment"),
)
def organisation_alignment(request: HttpRequest) -> dict[str, Any]:
    """Executives aligned on every element of every live package they sign."""
    membership = access.MANAGE_INITIATIVES.check(request)
    return alignment_out(selectors.organisation_alignment(membership.organisation))


@router.get(
    "/time-to-decision",
    **answers(TimeToDecisionOut, "time_to_decision", "Median time-to-decision on AI decisions"),
)
def time_to_decision(request: HttpRequest, query: Query[TimeToDecisionQuery]) -> dict[str, Any]:
    membership = access.MANAGE_INITIATIVES.check(request)
    result = selectors.time_to_decision(membership.organisation, baseline_days=query.baseline_days)
    return {
        "median_days": result.median_days,
        "baseline_days": result.baseline_days,
        "change_percent": result.change_percent,
        "by_month": [{"month": month, "median_days": median} for month, median in result.by_month],
        "open_requests": result.open_requests,
    }


@router.post(
    "/{int:initiative_id}/teams/{int:team_id}/start",
    **answers(DemandOut, "start_team_work", "Start work with a bottleneck team"),
)
def start_team_work(
    request: HttpRequest, initiative_id: PathId, team_id: PathId, payload: TeamStartIn
) -> dict[str, Any]:
    """Refused beyond the team's cap (400, code ``over_capacity``) unless the initiative's
    sponsor gives an ``override_reason``."""
    membership, initiative = initiative_for(request, initiative_id)
    if payload.override_reason.strip():
        access.OVERRIDE_CAPACITY.require(request, membership, initiative)
    demand = services.start_team_work(
        initiative=initiative,
        team=access.get_team_for(request, membership, team_id),
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
    **answers(DemandOut, "finish_team_work", "Finish work with a bottleneck team"),
)
def finish_team_work(
    request: HttpRequest, initiative_id: PathId, team_id: PathId
) -> dict[str, Any]:
    membership, initiative = initiative_for(request, initiative_id)
    team = access.get_team_for(request, membership, team_id)
    services.finish_team_work(initiative=initiative, team=team, actor=membership.user)
    return {"team": team.name, "in_flight": False, "override_reason": ""}
