"""The initiative's stage and the rule it must keep at all times: an initiative is
scale-ready (or scaling) only while nothing blocks scale-ready.

Moving up is refused with exactly what is missing (``change_stage``). An edit that
breaks the rule afterwards (a baseline removed, a comparison set to “None”, new evidence
that reopens an endorsement, a gate waived) is not refused: the data it corrects is the
truth. The initiative drops back to the learning-only pilot stage in the same transaction,
audited as ``initiative.stage_dropped`` with the edit that caused it and what is missing
(``hold_stage_rule``, called by those services).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.initiatives import alignment
from bellwether.initiatives.alignment import STAGE_RETIRED, STAGE_SCALE_READY
from bellwether.initiatives.models import STAGE_ORDER, GateReview, Initiative, Metric
from bellwether.initiatives.services._common import STAGES, _refuse, _set_recorded

if TYPE_CHECKING:
    from bellwether.accounts.models import User

#: Where an initiative that no longer meets the rule goes back to.
DROP_BACK_STAGE = alignment.STAGE_LEARNING_ONLY_PILOT


def metric_facts(initiative: Initiative) -> list[alignment.MetricFacts]:
    return [
        alignment.MetricFacts(layer, baseline is not None, comparison)
        for layer, baseline, comparison in Metric.objects.filter(initiative=initiative).values_list(
            "layer", "baseline_value", "comparison"
        )
    ]


def scale_ready_blockers(initiative: Initiative) -> list[str]:
    statuses = dict(GateReview.objects.filter(initiative=initiative).values_list("key", "status"))
    return alignment.scale_ready_blockers(metrics=metric_facts(initiative), gate_statuses=statuses)


def _needs_scale_ready(stage: str) -> bool:
    """Scale-ready and scaling (not retired) need nothing to block scale-ready."""
    return STAGE_ORDER[STAGE_SCALE_READY] <= STAGE_ORDER[stage] < STAGE_ORDER[STAGE_RETIRED]


@transaction.atomic
def change_stage(*, initiative: Initiative, actor: User | None, stage: str) -> Initiative:
    """Move the initiative; scale-ready and scaling are refused with exactly what is missing."""
    if stage not in STAGES:
        raise _refuse("stage", f"Unknown stage “{stage}”.")
    # Lock the row so two stage changes can't both pass the check on stale gates.
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if stage == initiative.stage:
        return initiative
    if _needs_scale_ready(stage):
        blockers = scale_ready_blockers(initiative)
        if blockers:
            raise DomainError(
                "The initiative can't be scale-ready yet. Missing: " + " ".join(blockers),
                code="not_scale_ready",
                field_errors={"stage": blockers},
            )
    return _set_recorded(initiative, "stage", stage, actor=actor, action="initiative.stage_changed")


def hold_stage_rule(*, initiative_id: int, actor: User | None, cause: str) -> list[str]:
    """After an edit (``cause``, the audit action of the edit) inside the caller's
    transaction: drop a scale-ready or scaling initiative that no longer meets the rule back
    to the learning-only pilot, audited. Returns what is missing ([] when it still holds)."""
    # The same lock as ``change_stage``: a concurrent move up waits for this edit.
    initiative = Initiative.objects.select_for_update().get(pk=initiative_id)
    if not _needs_scale_ready(initiative.stage):
        return []
    blockers = scale_ready_blockers(initiative)
    if not blockers:
        return []
    previous = initiative.stage
    initiative.stage = DROP_BACK_STAGE
    initiative.save(update_fields=["stage", "updated_at"])
    audit.record_on(
        initiative,
        "initiative.stage_dropped",
        actor=actor,
        details={"from": previous, "to": DROP_BACK_STAGE, "cause": cause, "missing": blockers},
    )
    return blockers
