"""The pure planner: tiers by rule, month layout, order by the lowest dimensions."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bellwether.development import planner
from bellwether.framework.catalogue import CATALOGUE

START = datetime.date(2026, 1, 5)


def test_every_leader_gets_tier_1_senior_and_executive_tier_2_and_sponsors_tier_3() -> None:
    assert planner.tiers_for("operational", sponsor=False) == ("tier.literacy",)
    assert planner.tiers_for("senior", sponsor=False) == ("tier.literacy", "tier.leadership")
    assert planner.tiers_for("operational", sponsor=True) == ("tier.literacy", "tier.championship")
    assert planner.tiers_for("", sponsor=True) == ()


def test_template_modules_fill_three_months_with_their_hours() -> None:
    draft = planner.plan(level="operational", sponsor=False, start=START)
    template_hours = sum(i.hours for i in draft.items if i.source == "template")
    assert template_hours == CATALOGUE.development_plan.total_hours
    assert {i.month for i in draft.items} == {1, 2, 3}
    assert [m.due for m in draft.milestones] == [
        START + datetime.timedelta(days=d) for d in (30, 60, 90)
    ]
    # A module the template already holds is not repeated from Tier 1.
    template = {i.key.rsplit(".", 1)[-1] for i in draft.items if i.source == "template"}
    tier = [i.key.rsplit(".", 1)[-1] for i in draft.items if i.source == "tier"]
    assert tier
    assert not template & set(tier)
    assert len(tier) == len(set(tier))


def test_tier_2_and_3_modules_fall_in_months_2_and_3() -> None:
    draft = planner.plan(level="senior", sponsor=True, start=START)
    assert {i.month for i in draft.items if i.tier == "tier.leadership"} == {2}
    assert {i.month for i in draft.items if i.tier == "tier.championship"} == {3}


def test_modules_of_the_lowest_dimension_come_first_in_each_month() -> None:
    scores = {"knowledge": 20.0, "attitude": 8.0, "behaviours": 15.0, "strategy": 12.0}
    draft = planner.plan(level="operational", sponsor=False, start=START, scores=scores)
    assert draft.dimension_order == ("attitude", "strategy", "behaviours", "knowledge")
    month_1 = [i for i in draft.items if i.month == 1]
    assert month_1[0].dimension == "attitude"
    ranks = [draft.dimension_order.index(i.dimension) for i in month_1]
    assert ranks == sorted(ranks)


def test_an_override_replaces_the_rule_and_unknown_tiers_are_refused() -> None:
    draft = planner.plan(
        level="operational", sponsor=False, start=START, tiers_override=["tier.championship"]
    )
    assert draft.tiers == ("tier.championship",)
    assert draft.tier_rule == "Chosen by an admin"
    with pytest.raises(ValueError, match=r"tier\.nope"):
        planner.plan(level="senior", sponsor=False, start=START, tiers_override=["tier.nope"])


def test_own_modules_join_the_month_they_name() -> None:
    own = planner.OwnModule("org.7", "Our AI bootcamp", 6.0, "tier.literacy", 2, "knowledge")
    draft = planner.plan(level="operational", sponsor=False, start=START, own_modules=[own])
    found = [i for i in draft.items if i.key == "org.7"]
    assert found
    assert found[0].month == 2
    assert found[0].source == "organisation"


@given(
    st.dictionaries(
        st.sampled_from(["knowledge", "attitude", "behaviours", "strategy"]),
        st.floats(min_value=5, max_value=25, allow_nan=False),
    ),
    st.sampled_from(["executive", "senior", "operational"]),
    st.booleans(),
)
def test_ordering_never_changes_what_is_planned(
    scores: dict[str, float], level: str, sponsor: bool
) -> None:
    plain = planner.plan(level=level, sponsor=sponsor, start=START)
    ordered = planner.plan(level=level, sponsor=sponsor, start=START, scores=scores)
    assert sorted(i.key for i in plain.items) == sorted(i.key for i in ordered.items)
    assert plain.planned_hours == ordered.planned_hours
    for item in ordered.items:
        assert item.due == planner.month_end(START, item.month)


def test_behind_compares_done_hours_with_the_months_that_have_ended() -> None:
    planned = {1: 10.0, 2: 10.0, 3: 10.0}
    today = START + datetime.timedelta(days=45)
    assert planner.behind(planned_by_month=planned, done_hours=5, start=START, today=today)
    assert not planner.behind(planned_by_month=planned, done_hours=10, start=START, today=today)
