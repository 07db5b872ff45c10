"""The confidentiality rules, tested directly (no database) and by attack."""

from __future__ import annotations

import random
from collections.abc import Hashable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bellwether.core.confidentiality import (
    ABSOLUTE_FLOOR,
    Cell,
    ConfidentialityError,
    Policy,
    RaterCategory,
    Reason,
    category_minimum,
    comments_in_random_order,
    comments_visible,
    favourable_share,
    suppress,
)

# --- policy --------------------------------------------------------------------------


def test_the_defaults_are_five_three_and_ten() -> None:
    policy = Policy()
    assert (policy.min_group, policy.min_360_group, policy.min_comments) == (5, 3, 10)


@pytest.mark.parametrize("field", ["min_group", "min_360_group", "min_comments"])
def test_a_minimum_below_three_is_refused(field: str) -> None:
    with pytest.raises(ConfidentialityError, match="never be below 3"):
        Policy(**{field: 2})


def test_the_comment_minimum_cannot_be_below_the_group_minimum() -> None:
    with pytest.raises(ConfidentialityError):
        Policy(min_group=8, min_comments=6)


def test_suppress_refuses_a_minimum_below_the_floor() -> None:
    with pytest.raises(ConfidentialityError):
        suppress([Cell("all", 10)], ABSOLUTE_FLOOR - 1)


def test_self_and_manager_are_shown_alone_only_when_the_invitation_said_so() -> None:
    policy = Policy()
    assert category_minimum(RaterCategory.SELF, policy, disclosed_in_invitation=True) == 1
    assert category_minimum(RaterCategory.MANAGER, policy, disclosed_in_invitation=True) == 1
    assert category_minimum(RaterCategory.MANAGER, policy) is None
    assert category_minimum(RaterCategory.PEER, policy) == 3
    assert category_minimum(RaterCategory.DIRECT_REPORT, policy) == 3
    assert category_minimum(RaterCategory.ANONYMOUS, policy) == 5


# --- primary suppression --------------------------------------------------------------


def test_a_cell_below_the_minimum_is_hidden_and_one_at_it_is_shown() -> None:
    decision = suppress([Cell("a", 4), Cell("b", 5)], 5)
    assert decision.shown == {"a": False, "b": True}
    assert decision.reasons["a"] is Reason.TOO_FEW


def test_an_empty_cell_is_hidden() -> None:
    assert suppress([Cell("a", 0)], 5).shown == {"a": False}


# --- secondary suppression --------------------------------------------------------------


def test_a_parent_minus_its_shown_children_cannot_reveal_a_small_child() -> None:
    cells = [
        Cell("all", 17, fixed=True),
        Cell("sales", 10, "all"),
        Cell("ops", 5, "all"),
        Cell("legal", 2, "all"),
    ]
    decision = suppress(cells, 5)
    assert decision.shown == {"all": True, "sales": True, "ops": False, "legal": False}
    assert decision.reasons["ops"] is Reason.DIFFERENCE
    assert decision.reasons["legal"] is Reason.TOO_FEW


def test_a_small_remainder_of_people_without_a_segment_is_protected() -> None:
    # 12 in total, 10 in shown children: the 2 without a segment would be revealed.
    cells = [Cell("all", 12, fixed=True), Cell("a", 5, "all"), Cell("b", 5, "all")]
    decision = suppress(cells, 5)
    assert decision.shown == {"all": True, "a": False, "b": True}


def test_when_no_sibling_can_be_hidden_the_parent_is() -> None:
    # A unit of 6 whose only child holds 4: the child is hidden, and the unit minus
    # nothing is the child plus 2 others, which is fine; but a unit of 6 with one
    # child of 5 leaves 1 by difference, so the child must go.
    cells = [Cell("unit", 6), Cell("team", 5, "unit")]
    decision = suppress(cells, 5)
    assert decision.shown == {"unit": True, "team": False}


def test_a_hidden_parent_is_not_recomputed_from_its_children_to_attack_the_grandparent() -> None:
    cells = [
        Cell("all", 20, fixed=True),
        Cell("east", 16, "all"),
        Cell("west", 4, "all"),
        Cell("east-1", 8, "east"),
        Cell("east-2", 8, "east"),
    ]
    decision = suppress(cells, 5)
    # all − east would reveal west (4): east is hidden; but east = east-1 + east-2, so
    # one of those must be hidden as well.
    assert decision.shown["west"] is False
    assert decision.shown["east"] is False
    assert not (decision.shown["east-1"] and decision.shown["east-2"])


# --- adversarial: rebuild every shown figure and try to get one small group out ----------


def _atoms(cells: list[Cell]) -> tuple[list[Hashable], dict[Hashable, set[Hashable]], dict]:
    """Split the tree into disjoint atoms (leaves and remainders); each cell is a union."""
    children: dict[Hashable, list[Cell]] = {}
    for cell in cells:
        if cell.parent is not None:
            children.setdefault(cell.parent, []).append(cell)
    members: dict[Hashable, set[Hashable]] = {}
    sizes: dict[Hashable, int] = {}

    def walk(cell: Cell) -> set[Hashable]:
        kids = children.get(cell.key, [])
        if not kids:
            members[cell.key] = {cell.key}
            sizes[cell.key] = cell.n
            return members[cell.key]
        atoms: set[Hashable] = set()
        for kid in kids:
            atoms |= walk(kid)
        rest = cell.n - sum(k.n for k in kids)
        rkey = ("rest", cell.key)
        sizes[rkey] = rest
        atoms.add(rkey)
        members[rkey] = {rkey}
        members[cell.key] = atoms
        return atoms

    for cell in cells:
        if cell.parent is None:
            walk(cell)
    return list(sizes), members, sizes


def _recoverable_small_groups(cells: list[Cell], shown: dict[Hashable, bool], minimum: int):
    """Every cell or atom with 1..minimum-1 respondents that linear algebra on the shown
    cells can compute exactly (an independent check of ``suppress``)."""
    atoms, members, sizes = _atoms(cells)
    index = {atom: i for i, atom in enumerate(atoms)}

    def vector(group: set[Hashable]) -> np.ndarray:
        v = np.zeros(len(atoms))
        for atom in group:
            if sizes[atom] > 0:  # an empty atom adds nothing to any figure
                v[index[atom]] = 1
        return v

    rows = [vector(members[c.key]) for c in cells if shown[c.key]]
    basis = np.array(rows) if rows else np.zeros((0, len(atoms)))
    rank = np.linalg.matrix_rank(basis) if rows else 0
    found = []
    for key, group in members.items():
        n = sum(sizes[a] for a in group)
        if 0 < n < minimum:
            stacked = np.vstack([basis, vector(group)])
            if np.linalg.matrix_rank(stacked) == rank:
                found.append(key)
    return found


@st.composite
def trees(draw: st.DrawFn) -> list[Cell]:
    cells = [Cell("root", 0, fixed=draw(st.booleans()))]
    leaves = draw(st.lists(st.integers(0, 12), min_size=1, max_size=7))
    # Group the leaves into 1–3 middle units, some leaves hanging off the root directly.
    groups = draw(st.lists(st.integers(0, 3), min_size=len(leaves), max_size=len(leaves)))
    extra_root = draw(st.integers(0, 4))
    mids: dict[int, int] = {}
    for n, g in zip(leaves, groups, strict=True):
        if g:
            mids[g] = mids.get(g, 0) + n
    mid_extra = {g: draw(st.integers(0, 3)) for g in mids}
    total = sum(n for n, g in zip(leaves, groups, strict=True) if not g) + extra_root
    for g, n in mids.items():
        cells.append(Cell(f"mid{g}", n + mid_extra[g], "root"))
        total += n + mid_extra[g]
    for i, (n, g) in enumerate(zip(leaves, groups, strict=True)):
        cells.append(Cell(f"leaf{i}", n, f"mid{g}" if g else "root"))
    cells[0] = Cell("root", total, fixed=cells[0].fixed)
    return cells


@settings(max_examples=300, deadline=None)
@given(trees(), st.integers(3, 8))
def test_no_small_group_can_be_recovered_from_what_is_shown(cells: list[Cell], m: int) -> None:
    decision = suppress(cells, m)
    assert _recoverable_small_groups(cells, dict(decision.shown), m) == []


@settings(max_examples=200, deadline=None)
@given(trees(), st.integers(3, 8))
def test_every_cell_below_the_minimum_is_hidden(cells: list[Cell], m: int) -> None:
    decision = suppress(cells, m)
    for cell in cells:
        if cell.n < m:
            assert decision.shown[cell.key] is False


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=8), st.integers(3, 8))
def test_a_flat_breakdown_shows_every_large_cell_when_the_total_is_not_fixed(
    sizes: list[int], m: int
) -> None:
    cells = [Cell("all", sum(sizes))] + [Cell(i, n, "all") for i, n in enumerate(sizes)]
    decision = suppress(cells, m)
    assert _recoverable_small_groups(cells, dict(decision.shown), m) == []


# --- comments and shares ----------------------------------------------------------------


def test_comments_need_the_comment_minimum() -> None:
    policy = Policy()
    assert comments_visible(9, policy) is False
    assert comments_visible(10, policy) is True


def test_comments_come_out_in_a_random_order() -> None:
    comments = [f"comment {i}" for i in range(20)]
    shuffled = comments_in_random_order(comments, rng=random.Random(1))
    assert sorted(shuffled) == sorted(comments)
    assert shuffled != comments


def test_the_favourable_share_counts_answers_at_or_above_the_threshold() -> None:
    assert favourable_share({1: 1, 2: 1, 3: 2, 4: 3, 5: 3}, 4) == 60.0
    assert favourable_share({}, 4) is None
