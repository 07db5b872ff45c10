"""The demo pulses: six closed months per pulse, rising, and safe to show."""

from __future__ import annotations

from bellwether.surveys import selectors
from bellwether.surveys.demo import build_demo
from bellwether.surveys.models import Campaign, Response
from bellwether.surveys.tests.helpers import org_unit, person


def test_the_demo_builds_six_months_of_pulses_with_a_rising_trend(org) -> None:
    root = org_unit(org)
    units = [org_unit(org, parent=root) for _ in range(3)]
    for i in range(60):
        person(org, org_unit=units[i % 3], leader_level="" if i % 6 else "senior")
    summary = build_demo(organisation=org, seed=7)
    assert summary.startswith("surveys: 12 monthly pulses for 60 people")
    assert Campaign.objects.filter(organisation=org).count() == 12
    points = selectors.trend(org, instrument_key="pulse-confidence", question_key="confidence")
    assert len(points) == 6
    assert all(p.shown for p in points)
    rates = [p.rate for p in points]
    assert all(r is not None and 40 <= r <= 85 for r in rates)
    assert points[-1].favourable > points[0].favourable  # type: ignore[operator]
    assert selectors.employee_confidence(org).value == points[-1].favourable
    assert Response.objects.filter(campaign__organisation=org).exclude(org_unit_path="").exists()
