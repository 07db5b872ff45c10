"""The package's registers: change impacts, decision rights and the adoption curve."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import transaction

from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.services_shared import refuse_fields
from bellwether.initiatives.models import (
    AdoptionSample,
    ChangeImpact,
    DecisionRight,
    Initiative,
    Metric,
)
from bellwether.initiatives.services._common import (
    IMPACT_TYPES,
    _check_person,
    _refuse,
    _saved,
)
from bellwether.initiatives.services.measurements import update_metric
from bellwether.people.models import Person

if TYPE_CHECKING:
    from bellwether.accounts.models import User

PartT = TypeVar("PartT", Metric, ChangeImpact, DecisionRight)


@transaction.atomic
def add_change_impact(
    *,
    initiative: Initiative,
    actor: User | None,
    impact_type: str,
    affected_group: str,
    owner: Person | None = None,
    mitigation: str = "",
    status: str = ChangeImpact.Status.OPEN,
) -> ChangeImpact:
    if impact_type not in IMPACT_TYPES:
        raise _refuse("impact_type", f"Unknown change impact “{impact_type}”.")
    if not affected_group.strip():
        raise _refuse("affected_group", "Name the group the change affects.")
    if status not in ChangeImpact.Status.values:
        raise _refuse("status", "Unknown status.")
    _check_person(initiative.organisation, owner, "owner")
    _check_complete(owner, mitigation)
    impact = ChangeImpact.objects.create(
        organisation=initiative.organisation,
        initiative=initiative,
        impact_type=impact_type,
        affected_group=affected_group.strip(),
        owner=owner,
        mitigation=mitigation.strip(),
        status=status,
    )
    audit.record_on(
        initiative,
        "initiative.change_impact_added",
        actor=actor,
        details={"impact": impact.pk, "type": impact_type},
    )
    return impact


OWNER_NEEDED = "Name who owns this impact: every change impact needs an owner."
MITIGATION_NEEDED = "Say how this impact is mitigated: every change impact needs a mitigation."


def _check_complete(owner: Person | None, mitigation: str) -> None:
    """Every change impact has an owner and a mitigation (seed 003); both refusals at once."""
    missing = {}
    if owner is None:
        missing["owner"] = [OWNER_NEEDED]
    if not str(mitigation).strip():
        missing["mitigation"] = [MITIGATION_NEEDED]
    refuse_fields(missing, code="incomplete_impact")


@transaction.atomic
def add_decision_right(
    *,
    initiative: Initiative,
    actor: User | None,
    decision: str,
    decided_by_before: str,
    decided_by_after: str,
    mode: str,
    accountable: str,
    override_handling: str = "",
) -> DecisionRight:
    if not decision.strip():
        raise _refuse("decision", "Name the decision that changes.")
    if mode not in DecisionRight.Mode.values:
        raise _refuse("mode", "The AI is either advisory or binding.")
    if not accountable.strip():
        raise _refuse("accountable", "Say who is accountable for the decision.")
    right = DecisionRight.objects.create(
        organisation=initiative.organisation,
        initiative=initiative,
        decision=decision.strip(),
        decided_by_before=decided_by_before.strip(),
        decided_by_after=decided_by_after.strip(),
        mode=mode,
        accountable=accountable.strip(),
        override_handling=override_handling,
    )
    audit.record_on(
        initiative,
        "initiative.decision_right_added",
        actor=actor,
        details={"decision_right": right.pk},
    )
    return right


@transaction.atomic
def record_adoption(
    *,
    initiative: Initiative,
    actor: User | None,
    samples: Iterable[Mapping[str, Any]],
) -> int:
    """Upsert weekly usage per cohort; returns how many weeks were written."""
    written = 0
    for sample in samples:
        cohort, week = str(sample["cohort"]), int(sample["week"])
        suggestions, accepted = int(sample["suggestions"]), int(sample["accepted"])
        overridden = int(sample.get("overridden", 0))
        if cohort not in AdoptionSample.Cohort.values or week < 1:
            raise DomainError("Each sample needs a known cohort and a week from 1.")
        if accepted + overridden > suggestions or min(suggestions, accepted, overridden) < 0:
            raise DomainError("Accepted and overridden can't exceed the suggestions made.")
        AdoptionSample.objects.update_or_create(
            initiative=initiative,
            cohort=cohort,
            week=week,
            defaults={
                "organisation": initiative.organisation,
                "active_users": int(sample.get("active_users", 0)),
                "suggestions": suggestions,
                "accepted": accepted,
                "overridden": overridden,
            },
        )
        written += 1
    audit.record_on(
        initiative, "initiative.adoption_recorded", actor=actor, details={"weeks": written}
    )
    return written


@transaction.atomic
def update_change_impact(
    *, impact: ChangeImpact, actor: User | None, changes: Mapping[str, Any]
) -> ChangeImpact:
    """Edit an impact of the register; closing it is setting its status to mitigated."""
    allowed = {"impact_type", "affected_group", "owner", "mitigation", "status"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(f"These fields can't be changed here: {', '.join(sorted(unknown))}.")
    if "impact_type" in changes and changes["impact_type"] not in IMPACT_TYPES:
        raise _refuse("impact_type", f"Unknown change impact “{changes['impact_type']}”.")
    if "affected_group" in changes and not str(changes["affected_group"]).strip():
        raise _refuse("affected_group", "Name the group the change affects.")
    if "status" in changes and changes["status"] not in ChangeImpact.Status.values:
        raise _refuse("status", "Unknown status.")
    if "owner" in changes:
        _check_person(impact.organisation, changes["owner"], "owner")
    # An edit leaves the impact complete, even one registered before both were required.
    _check_complete(
        changes.get("owner", impact.owner),
        changes.get("mitigation", impact.mitigation),
    )
    before = impact.status
    for field, value in changes.items():
        stripped = field in {"affected_group", "mitigation"}
        setattr(impact, field, value.strip() if stripped else value)
    return _saved(
        impact,
        "initiative.change_impact_updated",
        actor=actor,
        details={"impact": impact.pk, "fields": sorted(changes), "status": [before, impact.status]},
        target=impact.initiative,
    )


@transaction.atomic
def update_decision_right(
    *, right: DecisionRight, actor: User | None, changes: Mapping[str, Any]
) -> DecisionRight:
    allowed = set(DECISION_RIGHT_FIELDS)
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(f"These fields can't be changed here: {', '.join(sorted(unknown))}.")
    merged = {f: getattr(right, f) for f in allowed} | dict(changes)
    if not str(merged["decision"]).strip():
        raise _refuse("decision", "Name the decision that changes.")
    if merged["mode"] not in DecisionRight.Mode.values:
        raise _refuse("mode", "The AI is either advisory or binding.")
    if not str(merged["accountable"]).strip():
        raise _refuse("accountable", "Say who is accountable for the decision.")
    for field in allowed:
        value = merged[field]
        setattr(right, field, value if field == "override_handling" else str(value).strip())
    return _saved(
        right,
        "initiative.decision_right_updated",
        actor=actor,
        details={"decision_right": right.pk, "fields": sorted(changes)},
        target=right.initiative,
    )


# What a decision right records (the API shows exactly these).
DECISION_RIGHT_FIELDS = (
    "decision",
    "decided_by_before",
    "decided_by_after",
    "mode",
    "accountable",
    "override_handling",
)


def update_part(*, part: PartT, actor: User | None, changes: Mapping[str, Any]) -> PartT:
    """Edit one entry of the package's registers: a metric, change impact or decision right."""
    if isinstance(part, Metric):
        return update_metric(metric=part, actor=actor, changes=changes)
    if isinstance(part, ChangeImpact):
        return update_change_impact(impact=part, actor=actor, changes=changes)
    return update_decision_right(right=part, actor=actor, changes=changes)
