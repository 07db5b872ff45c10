"""Shared set-ups for survey tests: people, a pulse, answered and closed campaigns."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.utils import timezone

from bellwether.core.models import Organisation
from bellwether.people.models import OrgUnit, Person
from bellwether.surveys import services
from bellwether.surveys.models import Campaign, InstrumentVersion, Invitation
from bellwether.surveys.services import releases
from bellwether.testing.factories import OrgUnitFactory, PersonFactory


def person(org: Organisation, **extra: Any) -> Person:
    return cast(Person, PersonFactory(organisation=org, **extra))


def org_unit(org: Organisation, **extra: Any) -> OrgUnit:
    return cast(OrgUnit, OrgUnitFactory(organisation=org, **extra))


def people_in(org: Organisation, unit: OrgUnit, count: int, **extra: Any) -> list[Person]:
    return [person(org, org_unit=unit, **extra) for _ in range(count)]


def confidence_version(org: Organisation) -> InstrumentVersion:
    return services.install_ready_pulses(organisation=org)[0]


def launch(
    org: Organisation,
    *,
    people: list[Person] | None = None,
    segments: tuple[str, ...] = ("org_unit", "leader_level"),
    org_unit_depth: int = 1,
    **extra: Any,
) -> Campaign:
    now = timezone.now()
    audience = {"person_ids": [p.pk for p in people]} if people is not None else {}
    return services.launch_campaign(
        organisation=org,
        actor=None,
        version=extra.pop("version", None) or confidence_version(org),
        name=extra.pop("name", "May pulse"),
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=7),
        segments=segments,
        org_unit_depth=org_unit_depth,
        audience=audience,
        send_email=extra.pop("send_email", False),
        **extra,
    )


def token_for(campaign: Campaign, person: Person) -> str:
    return services.invitation_token(Invitation.objects.get(campaign=campaign, person=person))


def answer(
    campaign: Campaign, person: Person, confidence: int, clarity: int = 3, comment: str = ""
) -> None:
    services.submit_response(
        token=token_for(campaign, person),
        answers={"confidence": confidence, "clarity": clarity, "comment": comment},
    )


def close(campaign: Campaign, *, release: bool = True) -> Campaign:
    """Let the window pass and (as the worker would) release the results."""
    Campaign.objects.filter(pk=campaign.pk).update(
        closes_at=timezone.now() - dt.timedelta(seconds=1)
    )
    campaign.refresh_from_db()
    if release:
        releases.release_campaign(campaign=campaign)
    return campaign


def two_units(org: Organisation) -> tuple[OrgUnit, OrgUnit, OrgUnit]:
    root = org_unit(org, name="Acme")
    sales = org_unit(org, name="Sales", parent=root)
    legal = org_unit(org, name="Legal", parent=root)
    return root, sales, legal
