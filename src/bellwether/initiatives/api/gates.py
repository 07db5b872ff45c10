"""Gates (evidence, endorsement, waiver), the stage they unlock and the executives'
alignment on the package."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from bellwether.accounts.models import Membership
from bellwether.core.api import answers
from bellwether.core.schema import PathId
from bellwether.initiatives import access, selectors, services
from bellwether.initiatives.api.base import (
    alignment_out,
    gate_out,
    initiative_for,
    person_named,
    router,
    signers_out,
)
from bellwether.initiatives.api.schemas import (
    AlignmentIn,
    AlignmentOut,
    EvidenceIn,
    GateOut,
    SignatoriesIn,
    SignatoriesOut,
    StageIn,
    StageOut,
    WaiveIn,
)
from bellwether.initiatives.models import Initiative
from bellwether.people.models import Person


@router.post(
    "/{int:initiative_id}/gates/{gate_key}/evidence",
    **answers(GateOut, "submit_gate_evidence", "Submit evidence for a gate or non-negotiable"),
)
def submit_evidence(
    request: HttpRequest, initiative_id: PathId, gate_key: str, payload: EvidenceIn
) -> dict[str, Any]:
    """Text and/or a link; files are uploaded on the initiative's page."""
    membership, initiative = initiative_for(request, initiative_id)
    gate = services.submit_gate_evidence(
        gate=access.get_gate_for(request, membership, initiative, gate_key),
        actor=membership.user,
        text=payload.text,
        link=payload.link,
    )
    return gate_out(gate)


def _executive(request: HttpRequest, initiative_id: int) -> tuple[Membership, Initiative, Person]:
    """The caller, the initiative and the caller's own executive record: executives only."""
    membership, initiative = initiative_for(request, initiative_id, to=None)
    return membership, initiative, access.executive_for(request, membership, initiative)


@router.post(
    "/{int:initiative_id}/gates/{gate_key}/endorse",
    **answers(GateOut, "endorse_gate", "Endorse a gate (executives)"),
)
def endorse(request: HttpRequest, initiative_id: PathId, gate_key: str) -> dict[str, Any]:
    membership, initiative, executive = _executive(request, initiative_id)
    gate = services.endorse_gate(
        gate=access.get_gate_for(request, membership, initiative, gate_key),
        actor=membership.user,
        executive=executive,
    )
    return gate_out(gate)


@router.post(
    "/{int:initiative_id}/gates/{gate_key}/waive",
    **answers(GateOut, "waive_gate", "Waive a gate with a reason (executives)"),
)
def waive(
    request: HttpRequest, initiative_id: PathId, gate_key: str, payload: WaiveIn
) -> dict[str, Any]:
    membership, initiative, executive = _executive(request, initiative_id)
    gate = services.waive_gate(
        gate=access.get_gate_for(request, membership, initiative, gate_key),
        actor=membership.user,
        executive=executive,
        reason=payload.reason,
    )
    return gate_out(gate)


@router.post(
    "/{int:initiative_id}/stage", **answers(StageOut, "change_initiative_stage", "Change the stage")
)
def change_stage(request: HttpRequest, initiative_id: PathId, payload: StageIn) -> dict[str, Any]:
    """Scale-ready (and scaling) is refused with ``error.fields.stage`` listing exactly what
    is missing. Admins and the initiative's sponsor only."""
    membership, initiative = initiative_for(request, initiative_id, to=access.CHANGE_STAGE)
    initiative = services.change_stage(
        initiative=initiative, actor=membership.user, stage=payload.stage
    )
    return {"id": initiative.pk, "stage": initiative.stage}


@router.post(
    "/{int:initiative_id}/alignment",
    **answers(
        AlignmentOut,
        "record_alignment",
        "Record the executive's agreement on one element of the package",
    ),
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
    return alignment_out(selectors.initiative_package(initiative, series_days=0).alignment)


@router.put(
    "/{int:initiative_id}/signatories",
    **answers(
        SignatoriesOut,
        "set_signatories",
        "Name the executives who must sign the package (alignment is measured over them)",
    ),
)
def set_signatories(
    request: HttpRequest, initiative_id: PathId, payload: SignatoriesIn
) -> dict[str, Any]:
    """Replaces the list. An executive who stays silent counts against alignment; one taken
    off the list after giving a position keeps it on the page, not counted."""
    membership, initiative = initiative_for(request, initiative_id)
    services.set_signatories(
        initiative=initiative,
        actor=membership.user,
        people=[person_named(membership, pk, "person_ids") for pk in payload.person_ids],
    )
    package = selectors.initiative_package(initiative, series_days=0)
    return {
        "signatories": signers_out(package.signers),
        "alignment": alignment_out(package.alignment),
    }
