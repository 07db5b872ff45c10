"""The demo: plans for every leader, a few months of deliveries, overdue slots."""

from __future__ import annotations

import datetime as dt

import pytest

from bellwether.communications import selectors
from bellwether.communications.demo import build_demo
from bellwether.communications.models import CommunicationPlan, Delivery
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(org, unit):
    for n in range(9):
        PersonFactory(
            organisation=org,
            org_unit=unit,
            employee_id=f"D{n}",
            leader_level=("executive", "senior", "operational")[n % 3],
        )
    PersonFactory(organisation=org, employee_id="E1")  # not a leader
    return org


def _state():
    return sorted(
        Delivery.objects.values_list(
            "person__employee_id", "cadence_key", "delivered_on", "channel"
        )
    )


def test_demo_has_plans_deliveries_and_overdue_slots(company):
    summary = build_demo(organisation=company, seed=3)
    assert summary.startswith("communications: 9 plans")
    assert CommunicationPlan.objects.count() == 9
    today = selectors.today_in(company)
    assert (
        Delivery.objects.filter(delivered_on__gte=today - dt.timedelta(days=120)).count()
        == Delivery.objects.count()
    )
    assert not Delivery.objects.filter(delivered_at__gt=dt.datetime.now(tz=dt.UTC)).exists()
    rows = selectors.organisation_rhythm(company, start=today - dt.timedelta(days=90), end=today)
    assert sum(r.delivered for r in rows) > 0
    assert sum(r.overdue for r in rows) > 0


def test_demo_is_deterministic_for_the_seed(company):
    build_demo(organisation=company, seed=3)
    first = _state()
    Delivery.objects.all().delete()
    CommunicationPlan.objects.all().delete()
    build_demo(organisation=company, seed=3)
    assert _state() == first


def test_demo_rates_some_deliveries_through_the_survey_engine(company):
    from bellwether.communications.models import RatingRequest

    build_demo(organisation=company, seed=3)
    ratings = list(RatingRequest.objects.all())
    assert ratings
    assert all(r.campaign.mode == "anonymous" for r in ratings)
    # Released ones keep only what the release showed.
    for rating in ratings:
        if rating.collected and rating.answered is not None:
            assert rating.answered >= selectors.rating_minimum(company)
