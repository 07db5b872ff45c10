"""The demo: pathways, a succession slate and a learnings log."""

from __future__ import annotations

import pytest

from bellwether.people.models import LeaderLevel
from bellwether.succession.demo import build_demo
from bellwether.succession.models import (
    CriticalPosition,
    Learning,
    PathwayPlacement,
    PlanItem,
    Successor,
)
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_demo_builds_pathways_a_slate_and_learnings(org, unit) -> None:
    levels = (LeaderLevel.EXECUTIVE, LeaderLevel.SENIOR, LeaderLevel.OPERATIONAL)
    for n in range(20):
        PersonFactory(
            organisation=org, org_unit=unit, employee_id=f"D{n}", leader_level=levels[n % 3]
        )
    build_demo(organisation=org, seed=5)
    assert PathwayPlacement.objects.count() == 18
    assert PlanItem.objects.filter(done_on__isnull=False).exists()
    assert CriticalPosition.objects.count() == 6
    assert Successor.objects.exists()
    assert not Successor.objects.exclude(person__organisation=org).exists()
    assert Learning.objects.count() == 6
    assert not Learning.objects.filter(phase="").exists()
