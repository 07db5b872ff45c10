"""The pure plan generator: target levels, the strategy mix chosen by the written rules,
the action plan, success metrics that never invent numbers, and the review schedule."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bellwether.engagement import generator
from bellwether.engagement.generator import Figure, Influencer, LeaderFacts, Messenger
from bellwether.framework.catalogue import CATALOGUE

START = datetime.date(2026, 1, 5)
S = "engagement_strategy."


def facts(**kwargs) -> LeaderFacts:
    return LeaderFacts(name="Dana Director", start=START, level="senior", **kwargs)


def chosen(plan: dict) -> dict[str, list[str]]:
    return {s["key"]: s["rules"] for s in plan["strategies"] if s["chosen"]}


@pytest.mark.parametrize(
    ("band", "sponsor", "target", "rule"),
    [
        ("band.resistant", False, "band.skeptical", generator.TARGET_NEXT_BAND),
        ("band.cautious", False, "band.supporter", generator.TARGET_NEXT_BAND),
        ("band.supporter", False, "band.champion", generator.TARGET_NEXT_BAND),
        ("band.champion", False, "band.champion", generator.TARGET_KEEP),
        ("band.skeptical", True, "band.champion", generator.TARGET_SPONSOR),
        (None, True, "band.champion", generator.TARGET_SPONSOR),
        (None, False, None, generator.TARGET_LATER),
    ],
)
def test_target_is_the_next_band_up_and_champion_for_sponsors(band, sponsor, target, rule):
    plan = generator.generate(facts(band_key=band, sponsor=sponsor))
    assert (plan["target_band"], plan["target_rule"]) == (target, rule)
    if band is None:
        assert plan["current_label"] == "Not assessed"


def test_skill_gap_and_complexity_choose_personal_education():
    plan = generator.generate(
        facts(band_key="band.supporter", barriers={"barrier.skill_gap_anxiety": "primary"})
    )
    assert "engagement_rule.skill_gap_education" in chosen(plan)[S + "personal_education"]


def test_investment_uncertainty_chooses_the_business_case_and_risk_aversion_safety_nets():
    plan = generator.generate(
        facts(
            band_key="band.supporter",
            barriers={
                "barrier.investment_uncertainty": "secondary",
                "barrier.risk_aversion": "primary",
            },
        )
    )
    mix = chosen(plan)
    assert mix[S + "business_case"][0] == "engagement_rule.investment_business_case"
    assert mix[S + "risk_mitigation"][0] == "engagement_rule.risk_aversion_safety_nets"


def test_a_primary_barrier_weighs_twice_a_secondary_one():
    primary = generator.generate(facts(barriers={"barrier.risk_aversion": "primary"}))
    secondary = generator.generate(facts(barriers={"barrier.risk_aversion": "secondary"}))
    score = {s["key"]: s["score"] for s in primary["strategies"]}
    score2 = {s["key"]: s["score"] for s in secondary["strategies"]}
    assert score[S + "risk_mitigation"] == 2 * score2[S + "risk_mitigation"]


def test_influencer_resistance_chooses_peer_influence_and_names_the_messengers():
    plan = generator.generate(
        facts(
            band_key="band.cautious",
            influencer_resistance=(Influencer("Rex Resistant", "Resistant"),),
            messengers=(Messenger("Chloe Champion", "influences Dana directly, strength 3"),),
        )
    )
    assert "engagement_rule.influencer_resistance_peers" in chosen(plan)[S + "peer_influence"]
    peer_actions = [a for a in plan["actions"] if a["strategy"] == S + "peer_influence"]
    assert any("Chloe Champion" in a["text"] for a in peer_actions)
    assert any(a["messengers"] == ["Chloe Champion"] for a in peer_actions)
    assert plan["obstacles"]["influencer_resistance"] == [
        {"name": "Rex Resistant", "band": "Resistant"}
    ]


def test_a_skeptical_band_chooses_peer_influence_even_without_mapped_messengers():
    plan = generator.generate(facts(band_key="band.skeptical"))
    assert S + "peer_influence" in chosen(plan)
    texts = [a["text"] for a in plan["actions"] if a["strategy"] == S + "peer_influence"]
    assert all("{messengers}" not in t for t in texts)


def test_fearful_failure_mode_chooses_coaching_and_safety_nets():
    plan = generator.generate(facts(band_key="band.cautious", failure_modes=("failure.fearful",)))
    mix = chosen(plan)
    assert "engagement_rule.fearful_coaching" in mix[S + "executive_coaching"]
    assert "engagement_rule.fearful_safety_nets" in mix[S + "risk_mitigation"]


def test_uncritical_enthusiasm_gets_a_business_case_about_implementation_risks():
    plan = generator.generate(
        facts(band_key="band.supporter", failure_modes=("failure.uncritically_enthusiastic",))
    )
    assert (
        chosen(plan)[S + "business_case"][0] == "engagement_rule.enthusiastic_implementation_risks"
    )
    business = [a for a in plan["actions"] if a["strategy"] == S + "business_case"]
    focus = {a.key for a in CATALOGUE.engagement_actions if a.focus == "implementation_risks"}
    # In each period the business case's first action is about implementation risks.
    firsts = {}
    for action in business:
        firsts.setdefault(action["period"], action)
    assert len(firsts) == 4
    assert all(a["action_key"] in focus for a in firsts.values())


def test_disengaged_leaders_get_personal_involvement_actions_and_recognition():
    plan = generator.generate(
        facts(band_key="band.cautious", failure_modes=("failure.disengaged",))
    )
    mix = chosen(plan)
    assert "engagement_rule.disengaged_involvement" in mix[S + "personal_education"]
    assert "engagement_rule.disengaged_recognition" in mix[S + "recognition"]
    involvement = {a.key for a in CATALOGUE.engagement_actions if a.focus == "personal_involvement"}
    assert any(a["action_key"] in involvement for a in plan["actions"])


def test_drivers_choose_strategies_by_their_words():
    plan = generator.generate(
        facts(
            drivers={
                "driver.motivated_by": "Career advancement and visibility",
                "driver.concerned_about": "Compliance risk",
            }
        )
    )
    mix = chosen(plan)
    assert "engagement_rule.motivated_by_advancement" in mix[S + "recognition"]
    assert "engagement_rule.concerned_about_risk" in mix[S + "risk_mitigation"]


def test_nothing_known_falls_back_to_the_default_rules():
    plan = generator.generate(LeaderFacts(name="New", start=START))
    # Not assessed is itself a rule; with no level, no band and nothing else the
    # not-assessed rule applies rather than the defaults.
    assert chosen(plan) == {S + "personal_education": ["engagement_rule.not_assessed_education"]}
    assert len(plan["actions"]) == 12


def test_three_actions_per_period_each_naming_its_rule():
    plan = generator.generate(
        facts(band_key="band.cautious", barriers={"barrier.change_fatigue": "primary"})
    )
    periods = [p.key for p in CATALOGUE.engagement_plan.action_periods]
    for period in periods:
        assert sum(a["period"] == period for a in plan["actions"]) == 3
    keys = {r.key for r in CATALOGUE.engagement_rules}
    assert all(a["rule"] in keys for a in plan["actions"])
    assert len({a["id"] for a in plan["actions"]}) == 12


def test_success_metrics_say_no_data_yet_instead_of_inventing_numbers():
    plan = generator.generate(facts())
    assert [m["name"] for m in plan["metrics"]] == [
        m.name for m in CATALOGUE.engagement_plan.success_metrics
    ]
    assert all(m["value"] is None for m in plan["metrics"])
    assert all(m["note"].startswith("No data yet — reads ") for m in plan["metrics"])


def test_employee_perception_reads_the_pulse_when_there_is_data():
    plan = generator.generate(
        facts(
            figures=(
                Figure("engagement_metric.employee_perception", "Employee confidence", 72.5, 40),
            )
        )
    )
    perception = next(m for m in plan["metrics"] if m["key"].endswith("employee_perception"))
    assert perception["value"] == "Employee confidence: 72% (n=40)"
    others = [m for m in plan["metrics"] if m is not perception]
    assert all(m["value"] is None for m in others)


def test_review_schedule_has_weekly_monthly_and_quarterly_due_dates():
    plan = generator.generate(facts())
    reviews = {r["key"]: r["due"] for r in plan["reviews"]}
    assert reviews["engagement_review.weekly_check_in"][:2] == ["2026-01-12", "2026-01-19"]
    assert len(reviews["engagement_review.weekly_check_in"]) == 13
    assert reviews["engagement_review.monthly_progress"] == [
        "2026-02-04",
        "2026-03-06",
        "2026-04-05",
    ]
    assert reviews["engagement_review.quarterly_adjustment"] == ["2026-04-06"]
    assert plan["timeline"]["end"] == "2026-04-06"


def test_next_review_skips_the_ones_done():
    plan = generator.generate(facts())
    first = generator.next_review(plan["reviews"], [])
    assert first == ("engagement_review.weekly_check_in", datetime.date(2026, 1, 12))
    second = generator.next_review(plan["reviews"], [first])
    assert second == ("engagement_review.weekly_check_in", datetime.date(2026, 1, 19))
    assert generator.next_review(plan["reviews"], generator.due_dates(plan["reviews"])) is None


def test_an_unknown_barrier_weight_is_refused():
    with pytest.raises(ValueError, match="primary or secondary"):
        generator.generate(facts(barriers={"barrier.risk_aversion": "tertiary"}))


def test_rule_text_reads_the_catalogue():
    assert generator.rule_text("engagement_rule.fearful_coaching").startswith("Fearful")
    assert generator.rule_text("manual") == "Added by hand."


# --- properties --------------------------------------------------------------------------------

BARRIER_KEYS = [b.key for b in CATALOGUE.barriers]
CONCERN_KEYS = [c.key for c in generator.CATALOGUE.leader_levels[1].concerns]
BANDS = [None, *(b.key for b in CATALOGUE.instrument.bands)]
FAILURES = [f.key for f in CATALOGUE.failure_modes]

leader_facts = st.builds(
    LeaderFacts,
    name=st.just("Pat"),
    start=st.dates(datetime.date(2020, 1, 1), datetime.date(2035, 12, 31)),
    level=st.just("senior"),
    band_key=st.sampled_from(BANDS),
    sponsor=st.booleans(),
    barriers=st.dictionaries(
        st.sampled_from(BARRIER_KEYS), st.sampled_from(["primary", "secondary"])
    ),
    concerns=st.dictionaries(
        st.sampled_from(CONCERN_KEYS), st.sampled_from(["primary", "secondary"])
    ),
    failure_modes=st.lists(st.sampled_from(FAILURES), unique=True).map(tuple),
    influencer_resistance=st.lists(
        st.builds(
            Influencer, name=st.text(min_size=1, max_size=10), band_name=st.just("Resistant")
        ),
        max_size=2,
    ).map(tuple),
    messengers=st.lists(
        st.builds(Messenger, name=st.text(min_size=1, max_size=10)), max_size=3
    ).map(tuple),
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(leader_facts)
def test_every_plan_is_complete_and_explained(f):
    plan = generator.generate(f)
    rule_keys = {r.key for r in CATALOGUE.engagement_rules}
    strategies = [s for s in plan["strategies"] if s["chosen"]]
    assert strategies, "a plan always has a strategy"
    assert all(s["rules"] and set(s["rules"]) <= rule_keys for s in strategies)
    assert len(plan["actions"]) == 12
    chosen_keys = {s["key"] for s in strategies}
    for action in plan["actions"]:
        assert action["strategy"] in chosen_keys
        assert action["rule"] in rule_keys
        assert "{messengers}" not in action["text"]
    # Never a step down, and sponsors aim at Champion.
    bands = [b.key for b in CATALOGUE.instrument.bands]
    if plan["target_band"] and f.band_key:
        assert bands.index(plan["target_band"]) <= bands.index(f.band_key)
    if f.sponsor:
        assert plan["target_band"] == "band.champion"
    assert all(m["value"] is None for m in plan["metrics"])


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(leader_facts, st.sampled_from(BARRIER_KEYS))
def test_marking_a_barrier_primary_never_lowers_any_strategy_score(f, key):
    # Every band (and "not assessed") has a rule, so the default rules never apply here
    # and the scores can only grow as barriers are marked.
    before = {s["key"]: s["score"] for s in generator.generate(f)["strategies"]}
    marked = LeaderFacts(**{**f.__dict__, "barriers": {**f.barriers, key: "primary"}})
    after = {s["key"]: s["score"] for s in generator.generate(marked)["strategies"]}
    assert all(after[k] >= before[k] for k in before)
    assert sum(after.values()) > sum(before.values()) or f.barriers.get(key) == "primary"
