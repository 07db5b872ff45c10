"""Capacity caps: the shared bottleneck teams and the initiatives in flight with them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import CATALOGUE
from bellwether.initiatives.models import (
    BottleneckTeam,
    Initiative,
    TeamDemand,
)
from bellwether.initiatives.services._common import _refuse, _set_recorded

if TYPE_CHECKING:
    from bellwether.accounts.models import User


@transaction.atomic
def ensure_bottleneck_teams(
    *, organisation: Organisation, actor: User | None, caps: Mapping[str, int] | None = None
) -> list[BottleneckTeam]:
    """The catalogue's bottleneck teams for the organisation (cap 3 unless given)."""
    teams = []
    for entry in CATALOGUE.bottleneck_teams:
        team, created = BottleneckTeam.objects.get_or_create(
            organisation=organisation,
            name=entry.name,
            defaults={"catalogue_key": entry.key, "cap": (caps or {}).get(entry.key, 3)},
        )
        if created:
            audit.record(
                action="initiative.team_created",
                organisation=organisation,
                actor=actor,
                target=team,
            )
        teams.append(team)
    return teams


@transaction.atomic
def set_team_cap(*, team: BottleneckTeam, actor: User | None, cap: int) -> BottleneckTeam:
    if cap < 0:
        raise _refuse("cap", "The cap can't be negative.")
    return _set_recorded(team, "cap", cap, actor=actor, action="initiative.team_cap_set")


@transaction.atomic
def start_team_work(
    *,
    initiative: Initiative,
    team: BottleneckTeam,
    actor: User | None,
    override_reason: str = "",
) -> TeamDemand:
    """Put the initiative in flight with ``team``, refused beyond the team's cap unless the
    sponsor gives a written reason (the caller checks the override is the sponsor's)."""
    if team.organisation_id != initiative.organisation_id:
        raise _refuse("team", "Choose a team of this organisation.")
    # The team row is the lock: two starts at one below the cap queue here, and the
    # second counts the first.
    team = BottleneckTeam.objects.select_for_update().get(pk=team.pk)
    demand, _ = TeamDemand.objects.get_or_create(
        organisation=initiative.organisation, initiative=initiative, team=team
    )
    if demand.in_flight:
        return demand
    in_flight = list(
        TeamDemand.objects.filter(team=team, in_flight=True)
        .order_by("initiative__name")
        .values_list("initiative__name", flat=True)
    )
    override_reason = override_reason.strip()
    if len(in_flight) >= team.cap:
        if not override_reason:
            raise DomainError(
                f"{team.name} is at its cap: {len(in_flight)} of {team.cap} initiatives in "
                f"flight ({', '.join(in_flight)}). The sponsor may override with a written "
                "reason.",
                code="over_capacity",
                field_errors={"team": [f"{team.name} is at its cap of {team.cap}."]},
            )
        audit.record_on(
            initiative,
            "initiative.capacity_overridden",
            actor=actor,
            details={"team": team.name, "cap": team.cap, "reason": override_reason},
        )
    else:
        override_reason = ""
    demand.in_flight = True
    demand.started_at = timezone.now()
    demand.override_reason = override_reason
    demand.save()
    audit.record_on(
        initiative, "initiative.team_work_started", actor=actor, details={"team": team.name}
    )
    return demand


@transaction.atomic
def finish_team_work(*, initiative: Initiative, team: BottleneckTeam, actor: User | None) -> None:
    updated = TeamDemand.objects.filter(initiative=initiative, team=team, in_flight=True).update(
        in_flight=False, updated_at=timezone.now()
    )
    if updated:
        audit.record_on(
            initiative, "initiative.team_work_finished", actor=actor, details={"team": team.name}
        )
