"""The demo builds plans in every state and the three workshops with outcomes."""

from __future__ import annotations

from bellwether.core.models import Organisation
from bellwether.development import demo, selectors
from bellwether.development.models import Commitment, LearningPlan, PlanStatus, Workshop
from bellwether.people.models import LeaderLevel
from bellwether.testing.factories import PersonFactory


def test_demo_has_every_plan_state_and_three_workshops_with_outcomes(org: Organisation) -> None:
    levels = [LeaderLevel.EXECUTIVE, LeaderLevel.SENIOR, LeaderLevel.OPERATIONAL]
    for n in range(60):
        PersonFactory(organisation=org, employee_id=f"D{n}", leader_level=levels[n % 3])
    summary = demo.build_demo(organisation=org, seed=1)
    assert "60 learning plans" in summary
    states = set(LearningPlan.objects.filter(organisation=org).values_list("status", flat=True))
    assert states == set(PlanStatus.values)
    assert Workshop.objects.filter(organisation=org).count() == 3
    vision = selectors.adopted_vision(org)
    assert vision is not None
    assert vision.version == 2
    assert selectors.resource_commitments(org).filter(allocated_on__isnull=False).count() == 1
    assert Commitment.objects.filter(organisation=org, plan_item__isnull=False).exists()
