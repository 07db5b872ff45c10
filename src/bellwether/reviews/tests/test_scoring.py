"""The pure scoring of pre-filled review scores (no database)."""

from __future__ import annotations

from bellwether.reviews import scoring
from bellwether.reviews.scoring import Signal

WEIGHTS = {"a": 25, "b": 35, "c": 40}


def test_a_component_is_its_weight_times_the_mean_of_available_signals() -> None:
    assert scoring.component_score(25, [1.0, 0.5]) == 19  # 25 × 0.75 = 18.75
    assert scoring.component_score(40, [0.0]) == 0
    assert scoring.component_score(35, [1.0]) == 35


def test_a_missing_signal_is_neutral_and_no_evidence_starts_at_the_midpoint() -> None:
    assert scoring.component_score(25, [0.8, None, None]) == scoring.component_score(25, [0.8])
    assert scoring.component_score(35, [None, None]) == 18
    assert scoring.component_score(40, []) == 20


def test_shares_are_clamped() -> None:
    assert scoring.component_score(40, [1.7]) == 40
    assert scoring.scale_share(200, low=15, high=75) == 1.0
    assert scoring.change_share(-30, full_swing=10) == 0.0
    assert scoring.change_share(0, full_swing=10) == 0.5
    assert scoring.change_share(5, full_swing=10) == 0.75


def test_prefill_scores_every_component_from_its_own_signals() -> None:
    signals = [Signal("s1", "a", 1.0), Signal("s2", "b", 0.0), Signal("s3", "x", 1.0)]
    assert scoring.prefill(WEIGHTS, signals) == {"a": 25, "b": 0, "c": 20}


def test_scores_outside_the_weight_are_refused() -> None:
    assert scoring.check_score(25, 25) == ""
    assert scoring.check_score(25, 0) == ""
    assert "0 to 25" in scoring.check_score(25, 26)
    assert "0 to 35" in scoring.check_score(35, -1)
    assert scoring.check_score(40, True) != ""
    assert scoring.check_score(40, "12") != ""
