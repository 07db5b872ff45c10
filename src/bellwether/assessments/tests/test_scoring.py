"""The pure readiness scoring module: unit and property tests (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bellwether.assessments.scoring import (
    FAILURE_MODE_RULES,
    LeaderScore,
    RaterRatings,
    band_key_for,
    band_of_record_rule,
    failure_mode_rules_text,
    round_half_up,
    score_leader,
)
from bellwether.framework import catalogue
from bellwether.framework.catalogue import CATALOGUE

KEYS = [item.key for item in catalogue.instrument_items()]
BAND_ORDER = {b.key: b.min_score for b in CATALOGUE.instrument.bands}


def uniform(value: int) -> dict[str, int]:
    return dict.fromkeys(KEYS, value)


def with_(base: dict[str, int], **changes: int) -> dict[str, int]:
    result = dict(base)
    for short, value in changes.items():
        matches = [k for k in KEYS if k.endswith("." + short)]
        assert len(matches) == 1, short
        result[matches[0]] = value
    return result


def self_only(answers: dict[str, int]) -> LeaderScore:
    return score_leader(ratings=[RaterRatings("self", answers)], minimum_others=3)


# --- totals and bands ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (20, "band.resistant"),
        (39, "band.resistant"),
        (40, "band.skeptical"),
        (54, "band.skeptical"),
        (55, "band.cautious"),
        (69, "band.cautious"),
        (70, "band.supporter"),
        (84, "band.supporter"),
        (85, "band.champion"),
        (100, "band.champion"),
    ],
)
def test_band_boundaries_are_inclusive_as_in_the_framework(total: int, band: str) -> None:
    # 20 items of 1 plus (total - 20) extra points spread over the items.
    answers = uniform(1)
    extra = total - 20
    for key in KEYS:
        step = min(4, extra)
        answers[key] += step
        extra -= step
    result = self_only(answers)
    assert result.total == total
    assert result.band_key == band
    assert result.band_total == total


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (69.5, "band.supporter"),
        (69.49, "band.cautious"),
        (84.5, "band.champion"),
        (39.5, "band.skeptical"),
        (54.4999, "band.skeptical"),
    ],
)
def test_fractional_totals_are_rounded_half_up_before_banding(total: float, band: str) -> None:
    assert band_key_for(total) == band


def test_round_half_up_ignores_float_noise() -> None:
    assert round_half_up(69.5) == 70
    assert round_half_up(0.1 + 0.2 + 69.2) == 70  # 69.50000000000001 or 69.49999999999999
    assert round_half_up(69.4999999) == 70  # below the 1e-6 noise floor counts as a half


def test_the_band_rule_text_states_minimum_and_rounding() -> None:
    text = band_of_record_rule(3)
    assert "at least 3 raters" in text
    assert "self-reported" in text
    assert "rounded half up" in text


def test_nothing_answered_gives_no_total_and_no_band() -> None:
    result = score_leader(ratings=[], minimum_others=3)
    assert result.total is None
    assert result.band_key is None
    assert result.self_reported is False
    assert result.priorities == ()
    assert result.failure_modes == ()


def test_dimension_and_item_scores() -> None:
    answers = with_(uniform(3), fundamentals=5, enthusiasm=1)
    result = self_only(answers)
    assert result.item_scores["knowledge.fundamentals"] == {
        "self": 5.0,
        "others": None,
        "record": 5.0,
    }
    assert result.dimension_scores["knowledge"] == {"self": 17.0, "others": None, "record": 17.0}
    assert result.dimension_scores["attitude"]["record"] == 13.0
    assert result.total == 60.0


def test_missing_items_count_as_the_dimension_mean_of_answered_items() -> None:
    answers = uniform(4)
    del answers["knowledge.fundamentals"]
    answers["knowledge.business_applications"] = 2  # knowledge answered: 2, 4, 4, 4 -> mean 3.5
    result = self_only(answers)
    assert result.dimension_scores["knowledge"]["self"] == 2 + 4 + 4 + 4 + 3.5
    assert result.item_scores["knowledge.fundamentals"]["self"] is None
    assert result.total == 17.5 + 60


def test_invalid_answers_are_ignored() -> None:
    answers: dict[str, int] = {**uniform(3), "knowledge.fundamentals": 9, "unknown.item": 5}
    result = self_only(answers)
    assert result.item_scores["knowledge.fundamentals"]["self"] is None
    assert result.total == 60


def test_unknown_category_is_refused() -> None:
    with pytest.raises(ValueError, match="category"):
        score_leader(ratings=[RaterRatings("boss", uniform(3))], minimum_others=3)


# --- self vs others, band of record ----------------------------------------------------------


def test_band_of_record_uses_others_when_enough_raters_answered() -> None:
    ratings = [
        RaterRatings("self", uniform(5)),
        RaterRatings("manager", uniform(3)),
        RaterRatings("peer", uniform(3)),
        RaterRatings("direct_report", uniform(4)),
    ]
    result = score_leader(ratings=ratings, minimum_others=3)
    assert result.self_total == 100
    assert result.others_count == 3
    assert result.others_total == pytest.approx(20 * 10 / 3, abs=1e-3)  # 66.67
    assert result.total == result.others_total
    assert result.band_key == "band.cautious"  # 66.67 -> 67
    assert result.self_reported is False
    assert result.others_shown is True


def test_band_of_record_falls_back_to_self_and_hides_others_below_minimum() -> None:
    ratings = [
        RaterRatings("self", uniform(5)),
        RaterRatings("manager", uniform(1)),
        RaterRatings("peer", uniform(1)),
    ]
    result = score_leader(ratings=ratings, minimum_others=3)
    assert result.total == 100
    assert result.band_key == "band.champion"
    assert result.self_reported is True
    assert result.others_count == 2
    assert result.others_total is None
    assert all(v["others"] is None for v in result.item_scores.values())
    assert all(v["others"] is None for v in result.dimension_scores.values())
    assert result.blind_spots == ()
    assert result.hidden_strengths == ()


def test_a_rater_with_no_valid_answer_does_not_count() -> None:
    ratings = [
        RaterRatings("self", uniform(2)),
        RaterRatings("peer", uniform(4)),
        RaterRatings("peer", uniform(4)),
        RaterRatings("peer", {}),
    ]
    result = score_leader(ratings=ratings, minimum_others=3)
    assert result.others_count == 2
    assert result.self_reported is True


def test_others_without_self_score_the_band() -> None:
    ratings = [RaterRatings("peer", uniform(4)) for _ in range(3)]
    result = score_leader(ratings=ratings, minimum_others=3)
    assert result.self_total is None
    assert result.total == 80
    assert result.band_key == "band.supporter"
    assert result.self_reported is False


def test_too_few_others_and_no_self_gives_no_band() -> None:
    result = score_leader(ratings=[RaterRatings("peer", uniform(4))], minimum_others=3)
    assert result.total is None
    assert result.band_key is None
    assert result.others_total is None


def test_blind_spots_and_hidden_strengths() -> None:
    mine = with_(uniform(3), fundamentals=5, enthusiasm=4, models_adoption=1, future_trends=2)
    theirs = with_(uniform(3), fundamentals=4, enthusiasm=3, models_adoption=3, future_trends=3)
    ratings = [RaterRatings("self", mine)] + [RaterRatings("peer", theirs) for _ in range(3)]
    result = score_leader(ratings=ratings, minimum_others=3)
    assert result.blind_spots == ("knowledge.fundamentals", "attitude.enthusiasm")
    assert result.hidden_strengths == ("behaviours.models_adoption", "strategy.future_trends")


def test_gap_uses_the_others_mean() -> None:
    # Self 4, others 3, 3, 4 -> mean 3.33: gap 0.67, no blind spot.
    mine = with_(uniform(3), fundamentals=4)
    ratings = [RaterRatings("self", mine)] + [
        RaterRatings("peer", with_(uniform(3), fundamentals=v)) for v in (3, 3, 4)
    ]
    result = score_leader(ratings=ratings, minimum_others=3)
    assert result.blind_spots == ()


# --- priorities ---------------------------------------------------------------------------------


def test_priorities_are_the_two_lowest_dimensions_with_their_weak_items() -> None:
    answers = with_(
        uniform(4),
        models_adoption=1,
        timely_decisions=2,
        comfort_with_uncertainty=2,
    )
    result = self_only(answers)
    assert result.priorities == ("behaviours", "attitude")
    assert result.priority_items["behaviours"] == (
        "behaviours.models_adoption",
        "behaviours.timely_decisions",
    )
    assert result.priority_items["attitude"] == ("attitude.comfort_with_uncertainty",)


def test_priorities_tie_in_catalogue_order_and_level_items_are_all_listed() -> None:
    result = self_only(uniform(3))
    assert result.priorities == ("knowledge", "attitude")
    assert len(result.priority_items["knowledge"]) == 5


# --- failure modes -----------------------------------------------------------------------------


def test_failure_mode_rules_cover_the_catalogue_modes_and_have_text() -> None:
    assert {r.key for r in FAILURE_MODE_RULES} == {m.key for m in CATALOGUE.failure_modes}
    texts = failure_mode_rules_text()
    assert all("Signalled when" in t["rule"] for t in texts)
    disengaged = next(t for t in texts if t["key"] == "failure.disengaged")
    assert "Models AI adoption personally at or below 2.5 of 5" in disengaged["rule"]


def test_disengaged_whatever_the_attitude() -> None:
    high_attitude = with_(uniform(5), models_adoption=2, timely_decisions=1)
    assert "failure.disengaged" in self_only(high_attitude).failure_modes
    low_behaviours = {**uniform(4), **{k: 2 for k in KEYS if k.startswith("behaviours.")}}
    assert "failure.disengaged" in self_only(low_behaviours).failure_modes
    only_one_low = with_(uniform(4), models_adoption=1)
    assert "failure.disengaged" not in self_only(only_one_low).failure_modes


def test_fearful() -> None:
    fearful = with_(uniform(4), comfort_with_uncertainty=2, enthusiasm=1)
    assert self_only(fearful).failure_modes == ("failure.fearful",)
    not_fearful = with_(uniform(4), comfort_with_uncertainty=2, enthusiasm=3)
    assert self_only(not_fearful).failure_modes == ()


def test_uncritically_enthusiastic() -> None:
    pattern = with_(
        uniform(3), enthusiasm=5, implementation_challenges=2, risks_and_opportunities=1
    )
    assert self_only(pattern).failure_modes == ("failure.uncritically_enthusiastic",)
    realistic = with_(pattern, risks_and_opportunities=4)
    assert self_only(realistic).failure_modes == ()


def test_failure_modes_read_the_record_scores() -> None:
    mine = uniform(5)
    theirs = with_(uniform(4), comfort_with_uncertainty=2, enthusiasm=2)
    ratings = [RaterRatings("self", mine)] + [RaterRatings("peer", theirs) for _ in range(3)]
    assert score_leader(ratings=ratings, minimum_others=3).failure_modes == ("failure.fearful",)


# --- storage ------------------------------------------------------------------------------------


def test_json_round_trip() -> None:
    ratings = [RaterRatings("self", with_(uniform(3), enthusiasm=5))] + [
        RaterRatings(c, uniform(2)) for c in ("manager", "peer", "peer")
    ]
    result = score_leader(ratings=ratings, minimum_others=3)
    import json

    data = json.loads(json.dumps(result.to_json()))
    assert LeaderScore.from_json(data) == result


# --- properties ---------------------------------------------------------------------------------

answer = st.integers(min_value=1, max_value=5)
answer_sets = st.fixed_dictionaries(dict.fromkeys(KEYS, answer))


@settings(max_examples=300, deadline=None)
@given(answer_sets)
def test_any_answer_set_scores_within_range_with_the_framework_band(
    answers: dict[str, int],
) -> None:
    result = self_only(answers)
    assert result.total == sum(answers.values())
    assert result.total is not None
    assert 20 <= result.total <= 100
    assert result.band_key == catalogue.band_for_score(int(result.total)).key
    assert sum(v["record"] or 0 for v in result.dimension_scores.values()) == result.total


def test_every_possible_total_has_exactly_its_framework_band() -> None:
    # Every answer set has a total in 20..100; every total in 20..100 is reachable.
    for total in range(20, 101):
        assert band_key_for(total) == catalogue.band_for_score(total).key


@settings(max_examples=300, deadline=None)
@given(answer_sets, st.sampled_from(KEYS), st.integers(min_value=1, max_value=4))
def test_raising_an_answer_never_lowers_total_or_band(
    answers: dict[str, int], key: str, raise_by: int
) -> None:
    before = self_only(answers)
    raised = {**answers, key: min(5, answers[key] + raise_by)}
    after = self_only(raised)
    assert after.total is not None
    assert before.total is not None
    assert after.total >= before.total
    assert after.band_key is not None
    assert before.band_key is not None
    assert BAND_ORDER[after.band_key] >= BAND_ORDER[before.band_key]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(answer_sets, min_size=3, max_size=8),
    st.integers(min_value=0, max_value=7),
    st.sampled_from(KEYS),
)
def test_raising_a_raters_answer_never_lowers_others_total_or_band(
    raters: list[dict[str, int]], which: int, key: str
) -> None:
    which %= len(raters)
    before = score_leader(ratings=[RaterRatings("peer", a) for a in raters], minimum_others=3)
    raised = [dict(a) for a in raters]
    raised[which][key] = min(5, raised[which][key] + 1)
    after = score_leader(ratings=[RaterRatings("peer", a) for a in raised], minimum_others=3)
    assert after.total is not None
    assert before.total is not None
    assert after.total >= before.total - 1e-9
    assert after.band_key is not None
    assert before.band_key is not None
    assert BAND_ORDER[after.band_key] >= BAND_ORDER[before.band_key]
    assert 20 <= after.total <= 100


@settings(max_examples=200, deadline=None)
@given(answer_sets, st.lists(answer_sets, min_size=0, max_size=6), answer_sets)
def test_self_and_others_are_kept_apart(
    mine: dict[str, int], theirs: list[dict[str, int]], other_self: dict[str, int]
) -> None:
    others = [RaterRatings("peer", a) for a in theirs]
    result = score_leader(ratings=[RaterRatings("self", mine), *others], minimum_others=3)
    changed = score_leader(ratings=[RaterRatings("self", other_self), *others], minimum_others=3)
    # The leader's own answers never move the others' score …
    assert result.others_total == changed.others_total
    assert result.others_count == changed.others_count == len(theirs)
    # … and the self score is the leader's own answers only.
    assert result.self_total == sum(mine.values())
    if len(theirs) >= 3:
        assert result.total == result.others_total
        assert result.self_reported is False
    else:
        assert result.total == result.self_total
        assert result.self_reported is True
        assert result.others_total is None
