"""The demo: barrier checklists for leaders and a plan for every assessed leader."""

from __future__ import annotations

import pytest

from bellwether.assessments.tests.factories import make_cycle, record_result
from bellwether.engagement import selectors
from bellwether.engagement.demo import build_demo
from bellwether.engagement.models import BarrierMark, EngagementPlan, PlanStatus
from bellwether.people.models import LeaderLevel
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(org):
    cycle = make_cycle(organisation=org)
    people = []
    for n in range(12):
        level = (LeaderLevel.EXECUTIVE, LeaderLevel.SENIOR, LeaderLevel.OPERATIONAL)[n % 3]
        person = PersonFactory(organisation=org, employee_id=f"D{n}", leader_level=level)
        if n < 10:
            record_result(organisation=org, person=person, total=30 + 6 * n, cycle=cycle)
        people.append(person)
    return org


def _state():
    return sorted(
        EngagementPlan.objects.values_list(
            "person__employee_id", "status", "next_review_due", "content"
        )
    ), sorted(BarrierMark.objects.values_list("person__employee_id", "key", "weight"))


def test_every_assessed_leader_gets_a_plan_and_every_leader_a_checklist(company):
    summary = build_demo(organisation=company, seed=7)
    assert summary.startswith("engagement: ")
    assert EngagementPlan.objects.count() == 10
    assert BarrierMark.objects.values("person").distinct().count() == 12
    overdue = [p for p in selectors.plans(company) if selectors.is_overdue(p)]
    assert 1 <= len(overdue) <= 2
    statuses = set(EngagementPlan.objects.values_list("status", flat=True))
    assert PlanStatus.ACTIVE in statuses
    for plan in EngagementPlan.objects.all():
        assert plan.revisions.count() == 1
        assert len(plan.content["actions"]) == 12


def test_the_demo_is_deterministic_for_a_seed(company):
    build_demo(organisation=company, seed=7)
    first = _state()
    EngagementPlan.objects.all().delete()
    BarrierMark.objects.all().delete()
    build_demo(organisation=company, seed=7)
    assert _state() == first
