"""The pure rules of seed 003 and seed 001's adoption curve."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bellwether.framework.catalogue import MAJORITY_WALL
from bellwether.initiatives import alignment as a
from bellwether.initiatives.alignment import AdoptionPoint, MetricFacts

FULL_CHAIN = [a.AI_OUTPUT, a.DECISION_STEP, a.OPERATIONAL_METRIC, a.BUSINESS_OUTCOME]

SOUND_METRICS = [
    MetricFacts(a.LAYER_OPERATIONAL, True, "comparison.ab_test"),
    MetricFacts(a.LAYER_OUTCOME, True, "comparison.before_after"),
    MetricFacts(a.LAYER_COUNTER, False, "comparison.none"),
]
ALL_ENDORSED = dict.fromkeys(a.GATE_KEYS, "endorsed")


def test_a_full_chain_is_sound() -> None:
    assert a.chain_weaknesses(FULL_CHAIN) == []


def test_an_empty_chain_is_weak() -> None:
    assert a.chain_weaknesses([]) == [
        "The outcome chain is empty: link the AI output to what it changes."
    ]


def test_a_chain_without_a_decision_step_is_weak_with_the_reason() -> None:
    assert a.chain_weaknesses([a.AI_OUTPUT, a.OPERATIONAL_METRIC, a.BUSINESS_OUTCOME]) == [
        "The chain never reaches a human decision or workflow step, so the business impact "
        "will be weak or unmeasurable."
    ]


def test_a_chain_without_an_outcome_is_weak_with_the_reason() -> None:
    assert a.chain_weaknesses([a.AI_OUTPUT, a.DECISION_STEP, a.OPERATIONAL_METRIC]) == [
        "The chain never reaches a business or risk outcome."
    ]


def test_an_outcome_before_its_decision_step_is_weak() -> None:
    assert a.chain_weaknesses([a.AI_OUTPUT, a.BUSINESS_OUTCOME, a.DECISION_STEP]) == [
        "The business or risk outcome comes before the decision or workflow step that should "
        "produce it."
    ]


@given(st.lists(st.sampled_from(a.CHAIN_KINDS), max_size=8))
def test_a_chain_is_sound_exactly_when_a_decision_step_precedes_an_outcome(kinds) -> None:
    sound = (
        a.DECISION_STEP in kinds
        and a.BUSINESS_OUTCOME in kinds
        and kinds.index(a.DECISION_STEP) < kinds.index(a.BUSINESS_OUTCOME)
    )
    assert (a.chain_weaknesses(kinds) == []) is sound


def test_metrics_with_baselines_comparisons_and_a_counter_metric_have_integrity() -> None:
    assert a.measurement_integrity_gaps(SOUND_METRICS) == []


def test_no_metrics_lack_all_three() -> None:
    assert a.measurement_integrity_gaps([]) == [
        "An operational metric with a baseline and a comparison method other than “None”.",
        "A business/risk outcome metric with a baseline and a comparison method other than “None”.",
        "A counter-metric.",
    ]


def test_a_comparison_of_none_does_not_count() -> None:
    metrics = [
        MetricFacts(a.LAYER_OPERATIONAL, True, "comparison.none"),
        *SOUND_METRICS[1:],
    ]
    assert a.measurement_integrity_gaps(metrics) == [
        "An operational metric with a baseline and a comparison method other than “None”."
    ]


def test_a_metric_without_baseline_does_not_count() -> None:
    metrics = [SOUND_METRICS[0], MetricFacts(a.LAYER_OUTCOME, False, "comparison.ab_test")]
    assert a.measurement_integrity_gaps(metrics) == [
        "A business/risk outcome metric with a baseline and a comparison method other than “None”.",
        "A counter-metric.",
    ]


def test_nothing_blocks_scale_ready_when_everything_is_endorsed() -> None:
    assert a.scale_ready_blockers(metrics=SOUND_METRICS, gate_statuses=ALL_ENDORSED) == []


def test_the_blockers_list_exactly_what_is_missing() -> None:
    statuses = ALL_ENDORSED | {
        "gate.data_rights": "evidence_submitted",
        "gate.governance_controls": "waived",
    }
    del statuses["non_negotiable.incident_process"]
    assert a.scale_ready_blockers(metrics=SOUND_METRICS[:2], gate_statuses=statuses) == [
        "Measurement integrity: A counter-metric.",
        "Gate 1: Data rights and access is evidence submitted, not yet endorsed.",
        "Gate 4: Governance controls is waived.",
        "Non-negotiable: Incident process is open.",
    ]


def test_there_are_five_gates_and_three_non_negotiables() -> None:
    assert len(a.GATE_KEYS) == 8


@given(st.dictionaries(st.sampled_from(a.GATE_KEYS), st.sampled_from(list(a.STATUS_LABELS))))
def test_one_blocker_per_gate_that_is_not_endorsed(statuses) -> None:
    blockers = a.scale_ready_blockers(metrics=SOUND_METRICS, gate_statuses=statuses)
    assert len(blockers) == sum(1 for k in a.GATE_KEYS if statuses.get(k, "open") != "endorsed")


def test_a_counter_metric_that_should_fall_breaches_above_its_guardrail() -> None:
    assert a.guardrail_breached(direction="decrease", guardrail=12.0, value=12.5) is True
    assert a.guardrail_breached(direction="decrease", guardrail=12.0, value=12.0) is False


def test_a_counter_metric_that_should_rise_breaches_below_its_guardrail() -> None:
    assert a.guardrail_breached(direction="increase", guardrail=90.0, value=89.9) is True
    assert a.guardrail_breached(direction="increase", guardrail=90.0, value=91.0) is False


def test_no_guardrail_or_no_value_never_breaches() -> None:
    assert a.guardrail_breached(direction="decrease", guardrail=None, value=100.0) is False
    assert a.guardrail_breached(direction="decrease", guardrail=1.0, value=None) is False


def test_alignment_is_the_share_of_executives_agreeing_on_every_element() -> None:
    elements = a.ALIGNMENT_ELEMENTS
    positions = {(1, e): True for e in elements} | {(2, e): True for e in elements}
    positions[(2, "alignment.gates")] = False
    positions.update({(3, e): True for e in elements[:2]})
    summary = a.alignment_summary(executives=[1, 2, 3, 4], positions=positions)
    assert summary.executives == 4
    assert summary.aligned == 1
    assert summary.share == 0.25
    assert summary.disagreements == ((2, "alignment.gates"),)
    assert summary.pending == (3, 4)


def test_alignment_without_executives_has_no_share() -> None:
    assert a.alignment_summary(executives=[], positions={}).share is None


@given(
    st.dictionaries(
        st.tuples(st.integers(1, 5), st.sampled_from(a.ALIGNMENT_ELEMENTS)), st.booleans()
    )
)
def test_alignment_share_is_between_zero_and_one(positions) -> None:
    summary = a.alignment_summary(executives=range(1, 6), positions=positions)
    assert summary.share is not None
    assert 0 <= summary.share <= 1
    not_aligned = {e for e, _ in summary.disagreements} | set(summary.pending)
    assert summary.aligned == 5 - len(not_aligned)


def _curve(early: list[float], majority: list[float]) -> list[AdoptionPoint]:
    return [AdoptionPoint(w, a.EARLY_ADOPTERS, v) for w, v in enumerate(early, start=1)] + [
        AdoptionPoint(w, a.MAJORITY, v) for w, v in enumerate(majority, start=1)
    ]


def test_the_majority_wall_is_flagged_when_the_gap_persists_after_the_initial_weeks() -> None:
    wall = a.majority_wall(_curve([80] * 8, [30, 35, 40, 45, 50, 55, 58, 60]))
    assert wall.flagged is True
    assert wall.weeks == (5, 6, 7, 8)
    assert wall.gap_points == 20
    assert "coaching" in wall.guidance


def test_a_gap_in_the_initial_weeks_only_is_not_a_wall() -> None:
    wall = a.majority_wall(_curve([80] * 7, [30, 30, 30, 30, 70, 75, 78]))
    assert wall.flagged is False
    assert wall.guidance == ""


def test_a_gap_that_closed_in_the_latest_week_is_not_a_wall() -> None:
    wall = a.majority_wall(_curve([80] * 8, [50, 50, 50, 50, 50, 50, 50, 70]))
    assert wall.flagged is False
    assert wall.gap_points == 10


def test_too_few_weeks_after_launch_is_not_yet_a_wall() -> None:
    assert a.majority_wall(_curve([80] * 6, [10] * 6)).flagged is False


@given(st.lists(st.floats(0, 100), min_size=1, max_size=12))
def test_a_majority_at_or_above_the_early_adopters_never_hits_the_wall(rates) -> None:
    assert a.majority_wall(_curve(rates, rates)).flagged is False
    assert MAJORITY_WALL.gap_points > 0


def test_median_time_to_decision_and_its_change_against_baseline() -> None:
    assert a.median_days([2, 10, 4]) == 4
    assert a.median_days([]) is None
    assert a.change_against_baseline(5, 10) == -50
    assert a.change_against_baseline(5, None) is None
    assert a.change_against_baseline(5, 0) is None


def test_median_by_period_orders_the_periods() -> None:
    assert a.median_by_period(
        [("2026-02", 4), ("2026-01", 10), ("2026-02", 2), ("2026-02", 9)]
    ) == [
        ("2026-01", 10),
        ("2026-02", 4),
    ]


@given(
    st.dictionaries(
        st.tuples(st.integers(1, 6), st.sampled_from(a.ALIGNMENT_ELEMENTS)), st.booleans()
    ),
    st.sets(st.integers(1, 6)),
)
def test_alignment_from_counts_agrees_with_the_summary_of_positions(positions, executives) -> None:
    agreed: dict[int, int] = {}
    for (executive, _), agrees in positions.items():
        if agrees:
            agreed[executive] = agreed.get(executive, 0) + 1
    disagreements = [key for key, agrees in positions.items() if not agrees]
    assert a.alignment_from_counts(
        executives=executives, agreed=agreed, disagreements=disagreements
    ) == a.alignment_summary(executives=executives, positions=positions)
