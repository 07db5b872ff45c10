"""A shared review's priorities and goals flow into the leader's development plan."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bellwether.development import services as development
from bellwether.development.models import PlanItem
from bellwether.reviews import services
from bellwether.reviews.models import Review

pytestmark = pytest.mark.django_db(transaction=True)


def _shared_review(org, person) -> Review:
    cycle = services.open_cycle(organisation=org, quarter="2026-Q3", actor=None)
    review = Review.objects.get(cycle=cycle, person=person)
    services.set_plan(
        review=review,
        priorities=["Use AI in weekly planning"],
        goals=["Launch one measured pilot"],
        actor=None,
    )
    return services.submit_review(review=review, actor=None)


def test_priorities_and_goals_become_plan_items(org, members, leader_person) -> None:
    plan = development.generate_plan(person=leader_person, actor=None, start=timezone.localdate())
    _shared_review(org, leader_person)
    items = PlanItem.objects.filter(plan=plan, source="review").order_by("pk")
    assert [i.title for i in items] == [
        "Priority (2026-Q3 review): Use AI in weekly planning",
        "Goal (2026-Q3 review): Launch one measured pilot",
    ]
    assert {str(i.due) for i in items} == {"2026-12-31"}


def test_a_leader_without_a_plan_keeps_them_on_the_review(org, members, leader_person) -> None:
    review = _shared_review(org, leader_person)
    assert review.status == "submitted"
    assert not PlanItem.objects.filter(plan__person=leader_person).exists()
