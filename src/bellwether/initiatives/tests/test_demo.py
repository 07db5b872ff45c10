"""The demo: the two initiatives of seed 003, deterministic for a seed."""

from __future__ import annotations

import pytest

from bellwether.initiatives import selectors
from bellwether.initiatives.demo import build_demo
from bellwether.initiatives.models import Initiative, Measurement
from bellwether.people.models import LeaderLevel
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(org):
    for n in range(4):
        PersonFactory(organisation=org, employee_id=f"EX{n}", leader_level=LeaderLevel.EXECUTIVE)
        PersonFactory(organisation=org, employee_id=f"SN{n}", leader_level=LeaderLevel.SENIOR)
    return org


def _values():
    return list(
        Measurement.objects.order_by("metric__name", "measured_at").values_list("value", flat=True)
    )


def test_the_demo_builds_both_initiatives_with_a_breach_and_a_missing_gate(company) -> None:
    summary = build_demo(organisation=company, seed=7)
    assert summary.startswith("initiatives: 2 initiatives")
    rows = {r.initiative.name: r for r in selectors.portfolio(Initiative.objects.all())}
    support = rows["GenAI customer support assistant"]
    credit = rows["ML credit-limit decision support"]
    assert support.initiative.stage == "stage.scale_ready"
    assert [a.kind for a in support.alerts] == ["guardrail", "majority_wall"]
    assert credit.blockers == [
        "Gate 5: Named operational ownership is evidence submitted, not yet endorsed."
    ]
    assert credit.alerts == []
    # Both initiatives have an adoption curve; only the support assistant's hits the wall.
    support_curve = selectors.initiative_package(support.initiative, series_days=0)
    credit_curve = selectors.initiative_package(credit.initiative, series_days=0)
    assert len(support_curve.adoption) == len(credit_curve.adoption) == 20
    assert support_curve.majority_wall.flagged is True
    assert credit_curve.majority_wall.flagged is False
    assert (support.alignment.aligned, support.alignment.executives) == (3, 4)
    assert Measurement.objects.count() == 2 * 5 * 120


def test_the_demo_is_deterministic_for_a_seed(company, other_org) -> None:
    build_demo(organisation=company, seed=3)
    first = _values()
    Initiative.objects.all().delete()
    build_demo(organisation=company, seed=3)
    assert _values() == first


def test_an_organisation_without_executives_is_skipped(other_org) -> None:
    assert build_demo(organisation=other_org, seed=1).startswith("initiatives: skipped")
