"""The release decision (disclosure.py) against an independent brute-force attacker."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bellwether.core import disclosure


def brute_force_leak(
    shown: list[disclosure.Candidate], counts: list[int], minimum: int
) -> tuple[int, ...] | None:
    """Any set of atoms with 1..minimum−1 people in the span of the shown cells."""
    atoms = sorted({a for c in shown for a in c.atoms})
    if not atoms:
        return None
    matrix = np.array([[1.0 if a in c.atoms else 0.0 for a in atoms] for c in shown])
    rank = np.linalg.matrix_rank(matrix)
    for size in range(1, len(atoms) + 1):
        for group in itertools.combinations(range(len(atoms)), size):
            n = sum(counts[atoms[i]] for i in group)
            if not 0 < n < minimum:
                continue
            v = np.zeros(len(atoms))
            v[list(group)] = 1
            if np.linalg.matrix_rank(np.vstack([matrix, v])) == rank:
                return tuple(atoms[i] for i in group)
    return None


@st.composite
def releases(draw: st.DrawFn) -> tuple[list[disclosure.Candidate], list[int], int]:
    n_atoms = draw(st.integers(2, 8))
    counts = draw(
        st.lists(st.sampled_from([0, 1, 1, 2, 3, 4, 6, 9]), min_size=n_atoms, max_size=n_atoms)
    )
    cells = [disclosure.Candidate("total", frozenset(range(n_atoms)), fixed=True)]
    for i in range(draw(st.integers(1, 7))):
        members = draw(st.frozensets(st.integers(0, n_atoms - 1), min_size=1))
        cells.append(disclosure.Candidate(i, members))
    return cells, counts, draw(st.sampled_from([3, 5]))


@settings(max_examples=150, deadline=None)
@given(releases())
def test_nothing_shown_lets_a_small_group_be_computed(case) -> None:
    cells, counts, minimum = case
    if sum(counts) < minimum:
        return
    outcome = disclosure.decide(cells, counts, minimum)
    shown = [c for c in cells if outcome.shown(c.key)]
    assert brute_force_leak(shown, counts, minimum) is None
    assert outcome.shown("total")


@settings(max_examples=150, deadline=None)
@given(releases())
def test_the_search_finds_exactly_what_brute_force_finds(case) -> None:
    cells, counts, minimum = case
    shown = [c for c in cells if disclosure.size(c, counts) >= minimum or c.fixed]
    assert (disclosure.find_breach(shown, counts, minimum) is None) == (
        brute_force_leak(shown, counts, minimum) is None
    )


def test_a_remainder_reached_through_a_chain_is_found() -> None:
    # total = A + B + rest; A = A1 + A2. Showing total, A, A1, B gives A2 and rest
    # only as a sum of 2 + 1 people: a group of 3 below the minimum.
    counts = [6, 2, 7, 1]  # A1, A2, B, rest
    cells = [
        disclosure.Candidate("total", frozenset({0, 1, 2, 3}), fixed=True),
        disclosure.Candidate("A", frozenset({0, 1})),
        disclosure.Candidate("A1", frozenset({0})),
        disclosure.Candidate("B", frozenset({2})),
    ]
    breach = disclosure.find_breach(cells, counts, 5)
    assert breach is not None
    assert breach.n in (1, 2, 3)
    outcome = disclosure.decide(cells, counts, 5)
    assert brute_force_leak([c for c in cells if outcome.shown(c.key)], counts, 5) is None
    assert outcome.reasons["total"] == disclosure.SHOWN


def test_cells_withheld_for_an_earlier_release_stay_hidden() -> None:
    cells = [
        disclosure.Candidate("total", frozenset({0, 1}), fixed=True),
        disclosure.Candidate("A", frozenset({0})),
        disclosure.Candidate("B", frozenset({1})),
    ]
    outcome = disclosure.decide(cells, [10, 10], 5, withheld={"A": disclosure.ACROSS_CAMPAIGNS})
    assert outcome.reasons["A"] == disclosure.ACROSS_CAMPAIGNS
    # B alone with the total gives A: it goes too.
    assert outcome.reasons["B"] == disclosure.DIFFERENCE


def test_small_differences_between_releases_are_flagged_either_way() -> None:
    earlier = {("m1", "total"): frozenset(range(10)), ("m1", "unit"): frozenset(range(5))}
    current = {
        "total": frozenset(range(11)),  # one joiner
        "unit": frozenset(range(20, 26)),  # different people altogether
        "other": frozenset(range(1, 10)),  # one leaver from the earlier total
    }
    assert disclosure.small_differences(earlier, current, 5) == {"total", "other"}


def test_coarsening_keeps_every_stored_group_at_the_minimum_but_one_residue() -> None:
    atoms = {
        ("/1/2/", "senior", "lt1"): 3,
        ("/1/2/", "senior", "5plus"): 3,
        ("/1/3/", "", "1to3"): 7,
        ("/1/4/", "executive", "5plus"): 1,
    }
    mapping = disclosure.coarsen(atoms, 5)
    assert mapping[("/1/2/", "senior", "lt1")] == ("/1/2/", "senior", "")
    assert mapping[("/1/3/", "", "1to3")] == ("/1/3/", "", "1to3")
    assert mapping[("/1/4/", "executive", "5plus")] == ("", "", "")
    assert disclosure.small_groups(atoms, mapping, 5) == {("", "", "")}


def test_the_minimum_must_be_meaningful() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        disclosure.decide([], [], 1)
