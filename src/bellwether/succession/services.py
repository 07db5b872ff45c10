"""Writes of pathways, succession and learnings: keyword-only, transactional, audited,
refusing bad input with a ``DomainError`` (nothing saved)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from bellwether.accounts.models import User
from bellwether.core import audit
from bellwether.core.bounds import year_problem
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import (
    CATALOGUE,
    LEARNING_KINDS,
    PROGRAMME_PHASES,
    SUCCESSION_READINESS,
    pathway_plan_items,
)
from bellwether.initiatives.models import Initiative
from bellwether.people.models import OrgUnit, Person
from bellwether.succession.models import (
    CriticalPosition,
    Learning,
    PathwayPlacement,
    PlanItem,
    Successor,
    TransferItem,
)

PATHWAYS = {p.key for p in CATALOGUE.development_pathways}
READINESS = {r.key for r in SUCCESSION_READINESS}
PHASES = {p.key for p in PROGRAMME_PHASES}
KINDS = {k.key for k in LEARNING_KINDS}
MAX_TITLE = 200
MAX_TEXT = 5000


def _required(value: str, *, field: str, what: str, most: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(f"Write the {what}.", field_errors={field: ["Required."]})
    if len(value) > most:
        raise DomainError(
            f"Keep the {what} under {most} characters.", field_errors={field: ["Too long."]}
        )
    return value


def _same_organisation(organisation: Organisation, *objects: object, what: str) -> None:
    for obj in objects:
        if obj is not None and getattr(obj, "organisation_id", None) != organisation.pk:
            raise DomainError(
                f"The {what} must belong to this organisation.",
                field_errors={what: ["Not of this organisation."]},
            )


# --- pathways ----------------------------------------------------------------------------------


@transaction.atomic
def place_on_pathway(
    *, person: Person | None, pathway: str, actor: User | None, note: str = ""
) -> PathwayPlacement:
    """Place a leader on a pathway (or move them to another): the plan items are the
    pathway's capabilities, the Year 2 focus and the ongoing learning requirements."""
    if person is None:
        raise DomainError(
            "Choose a leader of this organisation.", field_errors={"person": ["Required."]}
        )
    if pathway not in PATHWAYS:
        raise DomainError(
            "Choose one of the three pathways.", field_errors={"pathway": ["Unknown."]}
        )
    if not person.leader_level or not person.active:
        raise DomainError("Only active leaders are placed on a development pathway.")
    if len(note) > MAX_TEXT:
        raise DomainError("The note is too long.", field_errors={"note": ["Too long."]})
    PathwayPlacement.objects.filter(person=person).delete()
    placement = PathwayPlacement.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        pathway=pathway,
        placed_by=actor,
        note=note.strip(),
    )
    PlanItem.objects.bulk_create(
        PlanItem(organisation_id=person.organisation_id, placement=placement, kind=kind, text=text)
        for kind, text in pathway_plan_items(pathway)
    )
    audit.record(
        action="succession.placed_on_pathway",
        organisation=placement.organisation,
        actor=actor,
        target=placement,
        details={"pathway": pathway, "person": person.pk},
    )
    return placement


@transaction.atomic
def mark_item(*, item: PlanItem, done: bool, actor: User | None) -> PlanItem:
    item.done_on = timezone.localdate() if done else None
    item.save(update_fields=["done_on", "updated_at"])
    audit.record(
        action="succession.plan_item_marked",
        organisation=item.organisation,
        actor=actor,
        target=item,
        details={"done": done},
    )
    return item


# --- succession --------------------------------------------------------------------------------


@transaction.atomic
def add_position(
    *,
    organisation: Organisation,
    title: str,
    org_unit: OrgUnit | None,
    incumbent: Person | None,
    actor: User | None,
    note: str = "",
) -> CriticalPosition:
    title = _required(title, field="title", what="position's title", most=MAX_TITLE)
    _same_organisation(organisation, org_unit, incumbent, what="unit or incumbent")
    position = CriticalPosition.objects.create(
        organisation=organisation, title=title, org_unit=org_unit, incumbent=incumbent, note=note
    )
    audit.record(
        action="succession.position_added", organisation=organisation, actor=actor, target=position
    )
    return position


@transaction.atomic
def name_successor(
    *,
    position: CriticalPosition,
    person: Person | None,
    readiness: str,
    high_potential: bool,
    actor: User | None,
    note: str = "",
) -> Successor:
    """Name (or re-rate) a successor for a critical position. A person of another
    organisation is refused."""
    if person is None:
        raise DomainError(
            "Choose a successor from this organisation.", field_errors={"person": ["Required."]}
        )
    if person.organisation_id != position.organisation_id:
        raise DomainError(
            "A successor must be a person of this organisation.",
            field_errors={"person": ["Not of this organisation."]},
        )
    if readiness not in READINESS:
        raise DomainError(
            "Choose the readiness: ready now, 1–2 years or 3+ years.",
            field_errors={"readiness": ["Unknown."]},
        )
    if position.incumbent_id == person.pk:
        raise DomainError("The incumbent cannot be their own successor.")
    successor, _ = Successor.objects.update_or_create(
        position=position,
        person=person,
        defaults={
            "organisation_id": position.organisation_id,
            "readiness": readiness,
            "high_potential": high_potential,
            "note": note.strip()[:MAX_TEXT],
        },
    )
    audit.record(
        action="succession.successor_named",
        organisation=position.organisation,
        actor=actor,
        target=position,
        details={"person": person.pk, "readiness": readiness, "high_potential": high_potential},
    )
    return successor


@transaction.atomic
def add_transfer_item(*, position: CriticalPosition, text: str, actor: User | None) -> TransferItem:
    text = _required(text, field="text", what="knowledge to transfer", most=300)
    item = TransferItem.objects.create(
        organisation_id=position.organisation_id, position=position, text=text
    )
    audit.record(
        action="succession.transfer_item_added",
        organisation=position.organisation,
        actor=actor,
        target=position,
    )
    return item


@transaction.atomic
def complete_knowledge_transfer(
    *,
    organisation: Organisation,
    item: TransferItem | None,
    done_on: datetime.date | None,
    actor: User | None,
    today: datetime.date | None = None,
) -> TransferItem:
    """Record the day a knowledge-transfer item of a critical position was handed over.
    An item of another organisation, a missing or future date is refused."""
    if item is None or item.organisation_id != organisation.pk:
        raise DomainError(
            "Choose a knowledge-transfer item of this organisation.",
            field_errors={"item": ["Not of this organisation."]},
        )
    if done_on is None:
        raise DomainError(
            "Give the date the knowledge was handed over.", field_errors={"done_on": ["Required."]}
        )
    problem = year_problem(done_on)
    if problem:
        raise DomainError(problem, field_errors={"done_on": [problem]})
    if done_on > (today or timezone.localdate()):
        raise DomainError(
            "The hand-over date is in the future.", field_errors={"done_on": ["In the future."]}
        )
    before = item.done_on
    item.done_on = done_on
    item.save(update_fields=["done_on", "updated_at"])
    audit.record(
        action="succession.transfer_item_completed",
        organisation=organisation,
        actor=actor,
        target=item,
        details={
            "position": item.position_id,
            "done_on": str(done_on),
            "before": str(before or ""),
        },
    )
    return item


# --- learnings ---------------------------------------------------------------------------------


@transaction.atomic
def record_learning(
    *,
    organisation: Organisation,
    kind: str,
    title: str,
    body: str,
    phase: str,
    initiative: Initiative | None,
    org_unit: OrgUnit | None,
    actor: User | None,
) -> Learning:
    if kind not in KINDS:
        raise DomainError(
            "Choose a learning or a best practice.", field_errors={"kind": ["Unknown."]}
        )
    if phase and phase not in PHASES:
        raise DomainError(
            "Choose one of the framework's four phases.", field_errors={"phase": ["Unknown."]}
        )
    title = _required(title, field="title", what="title", most=MAX_TITLE)
    body = _required(body, field="body", what="learning", most=MAX_TEXT)
    _same_organisation(organisation, initiative, org_unit, what="initiative or unit")
    learning = Learning.objects.create(
        organisation=organisation,
        kind=kind,
        title=title,
        body=body,
        phase=phase,
        initiative=initiative,
        org_unit=org_unit,
        author=actor,
        author_label=actor.email if actor is not None else "system",
    )
    audit.record(
        action="succession.learning_recorded",
        organisation=organisation,
        actor=actor,
        target=learning,
    )
    return learning
