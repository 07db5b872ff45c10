"""The pure matcher: eligibility, capacity, preferences, reasons, optimality."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bellwether.peers.matching import Leader, capacity_in_use, match, match_greedy, total_score

C, S, CA, SK, R = (
    "band.champion",
    "band.supporter",
    "band.cautious",
    "band.skeptical",
    "band.resistant",
)
BANDS = (None, C, S, CA, SK, R)


def test_champions_and_supporters_mentor_developing_leaders_only():
    leaders = [
        Leader(1, C, 1, "A", 2),
        Leader(2, S, 2, "B", 2),
        Leader(3, CA, 1),
        Leader(4, None, 2),
        Leader(5, C, 1, "A", 2),
    ]
    proposals = match(leaders, {})
    assert [(p.mentor_id, p.mentee_id) for p in proposals] == [(2, 3)]


def test_a_cross_functional_mentor_is_preferred():
    leaders = [
        Leader(1, C, 10, "Finance", 1),
        Leader(2, C, 20, "Ops", 1),
        Leader(3, R, 10, "Finance"),
    ]
    [proposal] = match(leaders, {})
    assert proposal.mentor_id == 2
    assert "Cross-functional: different units (Ops → Finance)" in proposal.reasons


def test_a_mentor_who_already_influences_the_mentee_ranks_higher():
    leaders = [
        Leader(1, C, 10, "Finance", 1),
        Leader(2, C, 20, "Ops", 1),
        Leader(3, R, 10, "Finance"),
    ]
    [proposal] = match(leaders, {(1, 3): 3})
    assert proposal.mentor_id == 1
    assert proposal.reasons[0] == "Already influences the mentee (strength 3 of 3)"


def test_mentees_spread_over_mentors_before_second_slots():
    leaders = [Leader(1, C, 1, "", 2), Leader(2, C, 1, "", 2), Leader(3, CA, 2), Leader(4, CA, 2)]
    assert capacity_in_use(match(leaders, {})) == {1: 1, 2: 1}


def test_the_neediest_are_matched_when_slots_run_out():
    leaders = [Leader(1, C, 1, "", 1), Leader(2, CA, 2), Leader(3, R, 2)]
    assert [p.mentee_id for p in match(leaders, {})] == [3]


def test_no_mentor_or_no_mentee_gives_no_proposal():
    assert match([Leader(1, CA, 1)], {}) == []
    assert match([Leader(1, C, 1, "", 2)], {}) == []
    assert match([Leader(1, C, 1, "", 0), Leader(2, R, 1)], {}) == []


def test_the_optimum_beats_greedy_where_greedy_is_short_sighted():
    # Greedy takes 1→3 (the single best pair) and leaves 2 with nobody it suits.
    leaders = [Leader(1, C, 1, "", 1), Leader(2, S, 2, "", 1), Leader(3, R, 3), Leader(4, CA, 1)]
    influence = {(1, 3): 1, (1, 4): 3}
    assert total_score(match(leaders, influence)) >= total_score(match_greedy(leaders, influence))


leader_lists = st.lists(
    st.builds(
        Leader,
        id=st.integers(1, 40),
        band_key=st.sampled_from(BANDS),
        unit_id=st.one_of(st.none(), st.integers(1, 4)),
        capacity=st.integers(0, 3),
    ),
    max_size=30,
)
ties = st.dictionaries(
    st.tuples(st.integers(1, 40), st.integers(1, 40)), st.integers(1, 3), max_size=40
)


@given(leader_lists, ties)
def test_capacity_eligibility_and_uniqueness_always_hold(leaders, influence):
    by_id = {leader.id: leader for leader in leaders}
    for matcher in (match, match_greedy):
        proposals = matcher(leaders, influence)
        used = capacity_in_use(proposals)
        assert all(used[m] <= by_id[m].capacity for m in used)
        assert all(p.mentor_id != p.mentee_id for p in proposals)
        assert all(by_id[p.mentor_id].band_key in (C, S) for p in proposals)
        assert all(by_id[p.mentee_id].band_key in (CA, SK, R) for p in proposals)
        mentees = [p.mentee_id for p in proposals]
        assert len(mentees) == len(set(mentees))
        assert all(p.reasons for p in proposals)
    slots = sum(x.capacity for x in by_id.values() if x.band_key in (C, S))
    needing = sum(1 for x in by_id.values() if x.band_key in (CA, SK, R))
    assert len(match(leaders, influence)) == min(slots, needing)
