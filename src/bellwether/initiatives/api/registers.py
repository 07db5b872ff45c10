"""The package's registers: change impacts, decision rights and the adoption curve."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Status

from bellwether.core.api import answers
from bellwether.core.schema import PathId
from bellwether.initiatives import selectors, services
from bellwether.initiatives.api.base import (
    add_part,
    impact_out,
    initiative_for,
    patch_part,
    right_out,
    router,
)
from bellwether.initiatives.api.schemas import (
    AdoptionCurveOut,
    AdoptionIn,
    AdoptionOut,
    ChangeImpactIn,
    ChangeImpactOut,
    ChangeImpactPatch,
    CreatedOut,
    DecisionRightIn,
    DecisionRightOut,
    DecisionRightPatch,
)
from bellwether.initiatives.models import ChangeImpact, DecisionRight


@router.post(
    "/{int:initiative_id}/change-impacts",
    **answers(CreatedOut, "add_change_impact", "Register a change impact", status=201),
)
def add_change_impact(
    request: HttpRequest, initiative_id: PathId, payload: ChangeImpactIn
) -> Status[dict[str, Any]]:
    impact = add_part(
        request, initiative_id, services.add_change_impact, payload, people={"owner_id"}
    )
    return Status(201, {"id": impact.pk})


@router.patch(
    "/{int:initiative_id}/change-impacts/{int:impact_id}",
    **answers(ChangeImpactOut, "update_change_impact", "Change or close a change impact"),
)
def update_change_impact(
    request: HttpRequest, initiative_id: PathId, impact_id: PathId, payload: ChangeImpactPatch
) -> dict[str, Any]:
    """Closing an impact is setting its status to "mitigated"."""
    impact = patch_part(
        request, initiative_id, ChangeImpact, impact_id, payload, people={"owner_id"}
    )
    return impact_out(impact)


@router.post(
    "/{int:initiative_id}/decision-rights",
    **answers(
        CreatedOut, "add_decision_right", "Register a decision the initiative changes", status=201
    ),
)
def add_decision_right(
    request: HttpRequest, initiative_id: PathId, payload: DecisionRightIn
) -> Status[dict[str, Any]]:
    right = add_part(request, initiative_id, services.add_decision_right, payload)
    return Status(201, {"id": right.pk})


@router.patch(
    "/{int:initiative_id}/decision-rights/{int:right_id}",
    **answers(DecisionRightOut, "update_decision_right", "Change a decision right"),
)
def update_decision_right(
    request: HttpRequest, initiative_id: PathId, right_id: PathId, payload: DecisionRightPatch
) -> dict[str, Any]:
    right = patch_part(request, initiative_id, DecisionRight, right_id, payload)
    return right_out(right)


@router.get(
    "/{int:initiative_id}/adoption",
    **answers(
        AdoptionCurveOut, "get_adoption", "The adoption curve per cohort and the majority-wall flag"
    ),
)
def get_adoption(request: HttpRequest, initiative_id: PathId) -> dict[str, Any]:
    _, initiative = initiative_for(request, initiative_id, to=None)
    samples = selectors.adoption_samples(initiative)
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
    **answers(AdoptionOut, "record_adoption", "Record weekly usage per cohort"),
)
def record_adoption(
    request: HttpRequest, initiative_id: PathId, payload: AdoptionIn
) -> dict[str, Any]:
    membership, initiative = initiative_for(request, initiative_id)
    written = services.record_adoption(
        initiative=initiative,
        actor=membership.user,
        samples=[s.model_dump() for s in payload.samples],
    )
    wall = selectors.initiative_package(initiative, series_days=0).majority_wall
    return {"written": written, "majority_wall": wall.flagged, "guidance": wall.guidance}
