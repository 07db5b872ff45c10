"""Test helpers for the influence map, also used by other apps' tests."""

from __future__ import annotations

from typing import Any

from bellwether.core.models import Organisation
from bellwether.influence.models import PROFILE_FIELDS, InfluenceProfile, Tie
from bellwether.people.models import Person


def make_tie(
    *, organisation: Organisation, source: Person, target: Person, strength: int = 2, note: str = ""
) -> Tie:
    """``source`` influences ``target`` (stored directly, no service, no audit)."""
    return Tie.objects.create(
        organisation=organisation, source=source, target=target, strength=strength, note=note
    )


def make_profile(*, organisation: Organisation, person: Person, **fields: Any) -> InfluenceProfile:
    """A profile with the given fields (``peer_respect="high"``, ``motivated_by="..."``)."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    profile, _ = InfluenceProfile.objects.update_or_create(
        organisation=organisation, person=person, defaults=fields
    )
    return profile


def analyse(organisation: Organisation) -> Any:
    """Compute and store the analytics now, as the worker would (returns the run)."""
    from bellwether.influence import services
    from bellwether.influence.models import AnalysisRun

    run = AnalysisRun.objects.create(
        organisation=organisation, version=services.selectors.network_version(organisation)
    )
    return services.run_analysis(run_id=run.pk)
