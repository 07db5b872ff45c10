"""The register and the alignment package: an initiative, its owners, RACI, before/after
view, signatories and outcome chain."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.initiatives import alignment
from bellwether.initiatives.models import (
    RACI_ACTIVITIES,
    RACI_ROLES,
    AlignmentPosition,
    ChainLink,
    GateReview,
    Horizon,
    Initiative,
    Signatory,
)
from bellwether.initiatives.services._common import (
    ARCHETYPES,
    BEFORE_AFTER,
    _check_person,
    _refuse,
)
from bellwether.integrations.chat import services as chat
from bellwether.people.models import LeaderLevel, Person

if TYPE_CHECKING:
    from bellwether.accounts.models import User


# The package's operational text (ownership, work, incentives, controls): shown as such.
PACKAGE_TEXT = (
    "incident_process",
    "rollback_procedure",
    "on_call",
    "new_work",
    "training",
    "incentives",
    "controls",
    "dependencies",
    "risk_posture",
)
PACKAGE_TEXT_FIELDS = ("name", "problem", "teams_involved", *PACKAGE_TEXT)


PACKAGE_PERSON_FIELDS = ("sponsor", "business_owner", "model_owner", "operational_owner")


@transaction.atomic
def create_initiative(
    *,
    organisation: Organisation,
    actor: User | None,
    name: str,
    archetype: str,
    sponsor: Person,
    problem: str = "",
    horizon: str = Horizon.H1,
    teams_involved: str = "",
) -> Initiative:
    name = name.strip()
    if not name:
        raise _refuse("name", "Give the initiative a name.")
    if archetype not in ARCHETYPES:
        raise _refuse("archetype", f"Unknown archetype “{archetype}”.")
    if horizon not in Horizon.values:
        raise _refuse("horizon", "The horizon must be H1, H2 or H3.")
    _check_person(organisation, sponsor, "sponsor")
    initiative = Initiative.objects.create(
        organisation=organisation,
        name=name,
        problem=problem,
        archetype=archetype,
        horizon=horizon,
        sponsor=sponsor,
        teams_involved=teams_involved,
    )
    # Every initiative carries the five gates and three non-negotiables from the start.
    GateReview.objects.bulk_create(
        [
            GateReview(organisation=organisation, initiative=initiative, key=key)
            for key in alignment.GATE_KEYS
        ]
    )
    audit.record(
        action="initiative.created", organisation=organisation, actor=actor, target=initiative
    )
    return initiative


@transaction.atomic
def update_initiative(
    *, initiative: Initiative, actor: User | None, changes: Mapping[str, Any]
) -> Initiative:
    """Change fields of the register and the alignment package (not the stage)."""
    allowed = {*PACKAGE_TEXT_FIELDS, *PACKAGE_PERSON_FIELDS, "archetype", "horizon", "raci"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(f"These fields can't be changed here: {', '.join(sorted(unknown))}.")
    changed = []
    for field, value in changes.items():
        if field in PACKAGE_PERSON_FIELDS:
            if field == "sponsor" and value is None:
                raise _refuse("sponsor", "An initiative needs a sponsor.")
            _check_person(initiative.organisation, value, field)
        elif field == "archetype" and value not in ARCHETYPES:
            raise _refuse("archetype", f"Unknown archetype “{value}”.")
        elif field == "horizon" and value not in Horizon.values:
            raise _refuse("horizon", "The horizon must be H1, H2 or H3.")
        elif field == "raci":
            value = _clean_raci(value)
        elif field == "name" and not str(value).strip():
            raise _refuse("name", "Give the initiative a name.")
        elif field in PACKAGE_TEXT_FIELDS:
            value = str(value)
        if getattr(initiative, field) != value:
            setattr(initiative, field, value)
            changed.append(field)
    if changed:
        initiative.save(update_fields=[*changed, "updated_at"])
        audit.record_on(
            initiative, "initiative.updated", actor=actor, details={"fields": sorted(changed)}
        )
    return initiative


def _clean_raci(value: Any) -> dict[str, dict[str, str]]:
    if not isinstance(value, dict) or set(value) - set(RACI_ACTIVITIES):
        raise _refuse("raci", f"The RACI covers {', '.join(RACI_ACTIVITIES.values())}.")
    clean: dict[str, dict[str, str]] = {}
    for activity, roles in value.items():
        if not isinstance(roles, dict) or set(roles) - set(RACI_ROLES):
            raise _refuse(
                "raci", "Each RACI row has responsible, accountable, consulted, informed."
            )
        clean[activity] = {role: str(roles.get(role, "")).strip() for role in RACI_ROLES}
    return clean


@transaction.atomic
def set_before_after(
    *, initiative: Initiative, actor: User | None, dimensions: Mapping[str, Mapping[str, str]]
) -> Initiative:
    unknown = set(dimensions) - BEFORE_AFTER
    if unknown:
        raise _refuse("before_after", f"Unknown dimension: {', '.join(sorted(unknown))}.")
    initiative.before_after = {
        key: {"before": str(v.get("before", "")), "after": str(v.get("after", ""))}
        for key, v in dimensions.items()
    }
    initiative.save(update_fields=["before_after", "updated_at"])
    audit.record_on(initiative, "initiative.before_after_set", actor=actor)
    return initiative


@transaction.atomic
def set_signatories(
    *, initiative: Initiative, actor: User | None, people: Sequence[Person]
) -> list[Person]:
    """Name the executives who must sign the package: alignment is measured over them, and
    one who stays silent counts against it. An executive taken off the list who has already
    given a position stays on the page as not required; one who has not is removed."""
    for person in people:
        _check_person(initiative.organisation, person, "signatories")
        if person.leader_level != LeaderLevel.EXECUTIVE:
            raise _refuse("signatories", f"{person.name} is not an executive.")
    named = {p.pk: p for p in people}
    rows = {
        row.person_id: row
        for row in Signatory.objects.select_for_update().filter(initiative=initiative)
    }
    spoke = set(
        AlignmentPosition.objects.filter(initiative=initiative).values_list(
            "executive_id", flat=True
        )
    )
    added = sorted(pk for pk in named if pk not in rows or not rows[pk].required)
    removed = sorted(pk for pk, row in rows.items() if row.required and pk not in named)
    Signatory.objects.filter(initiative=initiative, person_id__in=added).update(required=True)
    Signatory.objects.bulk_create(
        [
            Signatory(organisation=initiative.organisation, initiative=initiative, person=p)
            for pk, p in named.items()
            if pk not in rows
        ]
    )
    Signatory.objects.filter(
        initiative=initiative, person_id__in=[pk for pk in removed if pk in spoke]
    ).update(required=False)
    Signatory.objects.filter(
        initiative=initiative, person_id__in=[pk for pk in removed if pk not in spoke]
    ).delete()
    audit.record_on(
        initiative,
        "initiative.signatories_set",
        actor=actor,
        details={"people": sorted(named), "added": added, "removed": removed},
    )
    for pk in added:
        _request_alignment(initiative, named[pk])
    return sorted(named.values(), key=lambda p: (p.name, p.pk))


def _request_alignment(initiative: Initiative, executive: Person) -> None:
    """Ask a newly named signatory for their position, by their choice of email, Slack
    or Teams (integrations.chat)."""
    chat.dispatch(
        kind=chat.ALIGNMENT_REQUESTS,
        person=executive,
        message=chat.ChatMessage(
            title=f"Your alignment is requested: {initiative.name}",
            text=(
                f"You are named as a signatory of the AI initiative “{initiative.name}”. "
                "Record whether you agree with each element of its package — its outcome "
                "chain, trade-offs and change impacts — and say what you disagree with."
            ),
            link=settings.BELLWETHER_BASE_URL
            + reverse("initiatives:detail", kwargs={"pk": initiative.pk}),
            link_label="Record your position",
        ),
        or_email=True,
    )


@transaction.atomic
def set_outcome_chain(
    *, initiative: Initiative, actor: User | None, links: Sequence[tuple[str, str]]
) -> list[str]:
    """Replace the chain with ``links`` (kind, text) in order; returns why it is weak."""
    for kind, text in links:
        if kind not in alignment.CHAIN_KINDS:
            raise _refuse("chain", f"Unknown chain step “{kind}”.")
        if not text.strip():
            raise _refuse("chain", "Every link of the chain needs a description.")
    ChainLink.objects.filter(initiative=initiative).delete()
    ChainLink.objects.bulk_create(
        [
            ChainLink(
                organisation=initiative.organisation,
                initiative=initiative,
                position=position,
                kind=kind,
                text=text.strip(),
            )
            for position, (kind, text) in enumerate(links, start=1)
        ]
    )
    weaknesses = alignment.chain_weaknesses([kind for kind, _ in links])
    audit.record_on(
        initiative,
        "initiative.chain_set",
        actor=actor,
        details={"links": len(links), "weak": bool(weaknesses)},
    )
    return weaknesses
