"""The demo: a year of check-ins, observations and recognitions, built in bulk, keeping
the invariants the services keep (a weekly or monthly behaviour once per period)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

import pytest

from bellwether.behaviours import consistency, selectors, services
from bellwether.behaviours.demo import build_demo
from bellwether.behaviours.models import CheckIn, Observation, Recognition
from bellwether.people.models import LeaderLevel, Person
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _person(**fields: Any) -> Person:
    return cast(Person, PersonFactory(**fields))


@pytest.fixture
def company(org):
    boss = _person(organisation=org, employee_id="D0", leader_level=LeaderLevel.EXECUTIVE)
    for n in range(1, 10):
        _person(
            organisation=org, employee_id=f"D{n}", leader_level=LeaderLevel.SENIOR, manager=boss
        )
    return org


def test_the_demo_builds_a_year_of_check_ins_observations_and_recognitions(company) -> None:
    summary = build_demo(organisation=company, seed=7)
    assert summary.startswith("behaviours: ")
    assert "over 365 days" in summary
    assert CheckIn.objects.count() > 10 * 100
    assert Observation.objects.exists()
    assert Recognition.objects.exists()
    per_week: dict[tuple[int, int], int] = defaultdict(int)
    for person_id, day, done in CheckIn.objects.values_list("person_id", "day", "done"):
        key = (person_id, consistency.period_index(day, "weekly"))
        assert not per_week[key] & done & consistency.MASKS["weekly"]
        per_week[key] |= done
    leaders = list(Person.objects.filter(organisation=company).values_list("pk", flat=True))
    scores = selectors.consistency_for(
        organisation=company, person_ids=leaders, as_of=services.today_for(company)
    )
    assert max(scores.values()) - min(scores.values()) > 10  # leaders differ


def test_the_demo_is_the_same_for_the_same_seed(company) -> None:
    build_demo(organisation=company, seed=7)
    first = sorted(CheckIn.objects.values_list("person__employee_id", "day", "done"))
    CheckIn.objects.all().delete()
    Observation.objects.all().delete()
    Recognition.objects.all().delete()
    build_demo(organisation=company, seed=7)
    assert sorted(CheckIn.objects.values_list("person__employee_id", "day", "done")) == first
