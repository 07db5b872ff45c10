"""Coaching test helpers: a coach with coachees assigned through the service."""

from __future__ import annotations

import datetime as dt
from typing import cast

from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.coaching import services
from bellwether.coaching.models import Programme
from bellwether.people.models import Person
from bellwether.testing.factories import PersonFactory, make_member


def coach_with(admin: Membership, people: list[Person], *, email: str | None = None) -> Membership:
    coach = make_member(admin.organisation, Role.COACH, email=email)
    services.assign(organisation=admin.organisation, actor=admin, membership=coach, people=people)
    return coach


def programme_for(admin: Membership, *, start: dt.date, person: Person | None = None) -> Programme:
    leader = person or cast(
        Person, PersonFactory(organisation=admin.organisation, leader_level="senior")
    )
    coach = coach_with(admin, [leader])
    return services.start_programme(actor=coach, person=leader, start_date=start)
