"""Pulse evidence in a review is read from the pulse's release: a unit below the
confidentiality minimum never gives its figure; the organisation's is used instead."""

from __future__ import annotations

import pytest

from bellwether.reviews import services
from bellwether.reviews.models import Review
from bellwether.surveys.tests.helpers import answer, close, launch, person, two_units

pytestmark = pytest.mark.django_db


def _confidence(org, leader) -> dict[str, object]:
    cycle = services.open_cycle(organisation=org, quarter="2026-Q1", actor=None)
    review = Review.objects.get(cycle=cycle, person=leader)
    return next(e for e in review.evidence if e["signal"] == "signal.team_confidence")


def _pulse(org, sales, legal, lawyers: int) -> None:
    sellers = [person(org, org_unit=sales) for _ in range(8)]
    others = [person(org, org_unit=legal) for _ in range(lawyers)]
    campaign = launch(org, people=sellers + others, segments=("org_unit",))
    for p in sellers:
        answer(campaign, p, 5, 5, "")
    for p in others:
        answer(campaign, p, 1, 1, "")
    close(campaign)


def test_a_small_units_figure_is_never_used_the_organisations_is(org) -> None:
    _, sales, legal = two_units(org)
    _pulse(org, sales, legal, lawyers=2)  # Legal (2) is below the minimum
    head_of_legal = person(org, org_unit=legal, leader_level="senior", name="Hal Legal")
    evidence = _confidence(org, head_of_legal)
    assert evidence["share"] == 0.8  # 80% across the organisation, not Legal's 0%
    assert "across the organisation" in str(evidence["detail"])
    assert str(evidence["url"]).endswith("/results/")


def test_a_unit_released_at_or_above_the_minimum_gives_its_own_figure(org) -> None:
    _, sales, legal = two_units(org)
    _pulse(org, sales, legal, lawyers=8)
    head_of_legal = person(org, org_unit=legal, leader_level="senior", name="Hal Legal")
    evidence = _confidence(org, head_of_legal)
    assert evidence["share"] == 0.0
    assert "0% favourable in Legal" in str(evidence["detail"])


def test_without_a_released_pulse_the_signal_is_not_available(org, unit) -> None:
    leader = person(org, org_unit=unit, leader_level="senior")
    evidence = _confidence(org, leader)
    assert evidence["share"] is None
