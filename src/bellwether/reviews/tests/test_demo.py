"""The demo: two quarters of reviews, pre-filled, some adjusted with reasons."""

from __future__ import annotations

import pytest

from bellwether.people.models import LeaderLevel
from bellwether.reviews.demo import build_demo, last_quarters
from bellwether.reviews.models import Review, ReviewCycle, ReviewStatus, ScoreEntry
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(org):
    levels = (LeaderLevel.EXECUTIVE, LeaderLevel.SENIOR, LeaderLevel.OPERATIONAL)
    for n in range(15):
        PersonFactory(organisation=org, employee_id=f"D{n}", leader_level=levels[n % 3])
    return org


def test_the_last_two_completed_quarters() -> None:
    import datetime as dt

    assert last_quarters(dt.date(2026, 2, 10)) == ["2025-Q3", "2025-Q4"]
    assert last_quarters(dt.date(2026, 12, 3)) == ["2026-Q2", "2026-Q3"]


def test_two_quarters_of_reviews_with_reasons_for_every_adjustment(company) -> None:
    build_demo(organisation=company, seed=7)
    older, newer = ReviewCycle.objects.order_by("starts_on")
    assert Review.objects.filter(cycle=older).count() == 15
    assert Review.objects.filter(cycle=newer).count() == 15
    assert Review.objects.filter(cycle=older, status=ReviewStatus.ACKNOWLEDGED).count() >= 8
    adjusted = ScoreEntry.objects.filter(kind=ScoreEntry.Kind.ADJUSTED)
    assert adjusted.exists()
    assert not adjusted.filter(reason="").exists()
    for review in Review.objects.all():
        assert review.total == review.personal + review.team + review.organisational
        assert review.personal <= 25
        assert review.team <= 35
        assert review.organisational <= 40
        if review.status != ReviewStatus.DRAFT:
            assert review.development_priorities
            assert review.next_quarter_goals


def test_the_demo_is_deterministic_for_a_seed(company) -> None:
    build_demo(organisation=company, seed=3)
    first = sorted(
        Review.objects.values_list("person__employee_id", "cycle__quarter", "total", "status")
    )
    ReviewCycle.objects.all().delete()
    build_demo(organisation=company, seed=3)
    assert (
        sorted(
            Review.objects.values_list("person__employee_id", "cycle__quarter", "total", "status")
        )
        == first
    )
