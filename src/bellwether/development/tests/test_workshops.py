"""Workshops: scheduling, attendance, versioned vision, resources and commitments."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.development import selectors, services
from bellwether.development.models import Commitment, Workshop
from bellwether.development.tests import factories
from bellwether.people.models import Person

START = datetime.date(2026, 1, 5)


def _held(org: Organisation, invited: list[int]) -> Workshop:
    return factories.workshop(org, invited)


def test_a_workshop_must_end_after_it_starts_and_invite_only_leaders(
    org: Organisation, bystander: Person, leader_person: Person
) -> None:
    start = timezone.now()
    with pytest.raises(DomainError, match="end after"):
        services.schedule_workshop(
            organisation=org,
            actor=None,
            session_key="vision.role_definition",
            starts_at=start,
            ends_at=start,
        )
    with pytest.raises(DomainError, match="active leaders"):
        _held(org, [bystander.pk])
    assert not Workshop.objects.exists()
    with pytest.raises(DomainError, match="between 5 and"):
        services.schedule_workshop(
            organisation=org,
            actor=None,
            session_key="vision.role_definition",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            agenda=[{"title": "Roles", "minutes": 9999}],
        )


def test_the_latest_adopted_version_is_the_vision(org: Organisation, leader_person: Person) -> None:
    workshop = _held(org, [leader_person.pk])
    first = services.propose_vision(organisation=org, actor=None, text="One", workshop=workshop)
    services.adopt_vision(statement=first, actor=None)
    services.propose_vision(organisation=org, actor=None, text="Two (draft)", workshop=workshop)
    vision = selectors.adopted_vision(org)
    assert vision is not None
    assert vision.text == "One"


def test_resources_and_attendance(
    org: Organisation, leader_person: Person, coachee: Person
) -> None:
    workshop = _held(org, [leader_person.pk, coachee.pk])
    services.record_attendance(workshop=workshop, actor=None, attended=[leader_person.pk])
    assert list(workshop.invites.order_by("person__name").values_list("attended", flat=True)) == [
        False,
        True,
    ]
    with pytest.raises(DomainError, match="amount"):
        services.add_resource(
            workshop=workshop,
            actor=None,
            description="Budget",
            amount="-5",
            owner_id=leader_person.pk,
            due=START,
        )
    row = services.add_resource(
        workshop=workshop,
        actor=None,
        description="Budget",
        amount="1000",
        owner_id=leader_person.pk,
        due=START,
    )
    services.mark_allocated(commitment=row, actor=None, allocated_on=datetime.date(2026, 1, 3))
    assert list(selectors.resource_commitments(org).values_list("due", "allocated_on")) == [
        (START, datetime.date(2026, 1, 3))
    ]


def test_a_commitment_becomes_a_plan_item_when_the_leader_has_a_plan(
    org: Organisation, leader_person: Person, coachee: Person
) -> None:
    services.generate_plan(person=coachee, actor=None, start=START)
    workshop = _held(org, [leader_person.pk, coachee.pk])
    on_plan = services.add_commitment(
        workshop=workshop,
        actor=None,
        person_id=coachee.pk,
        text="Run a pilot",
        due=datetime.date(2026, 3, 1),
    )
    action = services.add_commitment(
        workshop=workshop, actor=None, person_id=leader_person.pk, text="Sponsor", due=None
    )
    assert on_plan.plan_item is not None
    assert on_plan.plan_item.source == "workshop"
    assert action.plan_item is None
    assert Commitment.objects.count() == 2
