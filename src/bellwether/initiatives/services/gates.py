"""Gates and non-negotiables (evidence, endorsement, waiver), the stage they unlock, and
the executives' alignment on the package."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.links import clean_link
from bellwether.initiatives import alignment
from bellwether.initiatives.models import (
    AlignmentPosition,
    GateReview,
    Initiative,
    Signatory,
)
from bellwether.initiatives.services._common import MAX_EVIDENCE_BYTES, _refuse
from bellwether.initiatives.services.stage import hold_stage_rule
from bellwether.people.models import LeaderLevel, Person

if TYPE_CHECKING:
    from bellwether.accounts.models import User


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
    return _save_gate(gate, actor, "initiative.gate_evidence_submitted")


def _save_gate(
    gate: GateReview, actor: User | None, action: str, details: dict[str, Any] | None = None
) -> GateReview:
    gate.save()
    audit.record(
        action=action,
        organisation=gate.organisation,
        actor=actor,
        target=gate.initiative,
        details={"gate": gate.key, **(details or {})},
    )
    # New evidence reopens an endorsement and a waiver is not an endorsement: either may
    # take a scale-ready initiative below the rule.
    hold_stage_rule(initiative_id=gate.initiative_id, actor=actor, cause=action)
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
    return _save_gate(gate, actor, "initiative.gate_endorsed", {"executive": executive.pk})


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
    return _save_gate(
        gate,
        actor,
        "initiative.gate_waived",
        {"executive": executive.pk, "reason": gate.waiver_reason},
    )


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
    # An executive who was not named keeps their position on the page, but alignment is
    # measured over the required signatories only (``set_signatories``).
    Signatory.objects.get_or_create(
        initiative=initiative,
        person=executive,
        defaults={"organisation": initiative.organisation, "required": False},
    )
    audit.record_on(
        initiative,
        "initiative.alignment_recorded",
        actor=actor,
        details={"executive": executive.pk, "element": element, "agrees": agrees},
    )
    return position
