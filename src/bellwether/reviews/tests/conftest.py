from __future__ import annotations

import datetime as dt

import pytest

from bellwether.reviews import services
from bellwether.reviews.models import Review, ReviewCycle


@pytest.fixture
def cycle(org, members, leader_person, coachee) -> ReviewCycle:
    return services.open_cycle(
        organisation=org, quarter="2026-Q1", actor=None, due_on=dt.date(2026, 4, 14)
    )


@pytest.fixture
def coachee_review(cycle, coachee) -> Review:
    return Review.objects.get(cycle=cycle, person=coachee)


@pytest.fixture
def own_review(cycle, leader_person) -> Review:
    return Review.objects.get(cycle=cycle, person=leader_person)
