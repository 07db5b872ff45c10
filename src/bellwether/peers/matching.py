"""Mentorship matching (§3.2): Champions and Supporters mentor developing leaders.

Pure computation (no Django): the service hands in the leaders (band of record, unit,
open mentor slots) and who influences whom; this module answers the proposals, each
with its score and its reasons.

The assignment is exact. Each mentor with capacity ``c`` becomes ``c`` slots (rows);
each mentee a column; a cell is the pair's score (``pair_score``) less
``extra_slot_penalty`` per earlier slot of the same mentor, so equal candidates are
spread over mentors before anyone's second slot is used. ``linear_sum_assignment``
(shortest augmenting paths) then maximises the total: every mentee is matched while
slots remain, the neediest first when they run out. At 5,000 leaders it takes well
under a second (``benchmarks/bench_peers.py``, beside a plain greedy matcher).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from bellwether.framework.catalogue import MENTORSHIP, MentorshipRules, band


@dataclass(frozen=True, slots=True)
class Leader:
    id: int
    band_key: str | None
    unit_id: int | None = None
    unit_name: str = ""
    # Mentees this leader may still take (read only for a mentor).
    capacity: int = 0


@dataclass(frozen=True, slots=True)
class Proposal:
    mentor_id: int
    mentee_id: int
    score: float
    reasons: tuple[str, ...]


# (source, target) -> 1..3: source already influences target this strongly.
Influence = Mapping[tuple[int, int], int]


def is_mentor(leader: Leader, rules: MentorshipRules = MENTORSHIP) -> bool:
    return leader.band_key in rules.mentor_bands and leader.capacity > 0


def is_mentee(leader: Leader, rules: MentorshipRules = MENTORSHIP) -> bool:
    return leader.band_key in rules.mentee_bands


def split(
    leaders: Iterable[Leader], rules: MentorshipRules = MENTORSHIP
) -> tuple[list[Leader], list[Leader]]:
    """The eligible mentors (with a free slot) and mentees, each once, by id."""
    unique = {leader.id: leader for leader in leaders}
    ordered = [unique[key] for key in sorted(unique)]
    mentors = [leader for leader in ordered if is_mentor(leader, rules)]
    mentees = [leader for leader in ordered if is_mentee(leader, rules)]
    return mentors, mentees


def cross_functional(mentor: Leader, mentee: Leader) -> bool:
    return (
        mentor.unit_id is not None
        and mentee.unit_id is not None
        and (mentor.unit_id != mentee.unit_id)
    )


def pair_score(
    mentor: Leader, mentee: Leader, strength: int, rules: MentorshipRules = MENTORSHIP
) -> float:
    """The value of one pair (see the catalogue's ``peers`` section for the weights)."""
    score = rules.mentor_strength[mentor.band_key or ""] + rules.mentee_need[mentee.band_key or ""]
    if cross_functional(mentor, mentee):
        score += rules.cross_functional_bonus
    return score + rules.influence_bonus_per_step * strength


def reasons_for(
    mentor: Leader, mentee: Leader, strength: int, rules: MentorshipRules = MENTORSHIP
) -> tuple[str, ...]:
    """Why this pair was proposed, most telling first, in words an admin reads."""
    out: list[str] = []
    if strength:
        out.append(f"Already influences the mentee (strength {strength} of 3)")
    if cross_functional(mentor, mentee):
        where = (
            f" ({mentor.unit_name} → {mentee.unit_name})"
            if mentor.unit_name and mentee.unit_name
            else ""
        )
        out.append(f"Cross-functional: different units{where}")
    elif mentor.unit_id is not None and mentor.unit_id == mentee.unit_id:
        out.append("Same unit")
    mentor_band = band(mentor.band_key or "").name
    mentee_band = band(mentee.band_key or "").name
    out.append(f"A {mentor_band} mentoring a {mentee_band} leader")
    return tuple(out)


def _scores(
    mentors: Sequence[Leader],
    mentees: Sequence[Leader],
    influence: Influence,
    rules: MentorshipRules,
) -> np.ndarray:
    """The mentors × mentees score matrix, built by columns of equal terms (no Python
    loop over the cells; the sparse influence bonuses are added last)."""
    strength = np.array([rules.mentor_strength[m.band_key or ""] for m in mentors])
    need = np.array([rules.mentee_need[e.band_key or ""] for e in mentees])
    mentor_units = np.array([-1 if m.unit_id is None else m.unit_id for m in mentors])
    mentee_units = np.array([-2 if e.unit_id is None else e.unit_id for e in mentees])
    scores = strength[:, None] + need[None, :]
    known = (mentor_units[:, None] >= 0) & (mentee_units[None, :] >= 0)
    scores += rules.cross_functional_bonus * (
        known & (mentor_units[:, None] != mentee_units[None, :])
    )
    row = {m.id: i for i, m in enumerate(mentors)}
    column = {e.id: j for j, e in enumerate(mentees)}
    for (source, target), steps in influence.items():
        i, j = row.get(source), column.get(target)
        if i is not None and j is not None:
            scores[i, j] += rules.influence_bonus_per_step * steps
    return scores


def _proposal(
    mentor: Leader, mentee: Leader, influence: Influence, rules: MentorshipRules
) -> Proposal:
    strength = influence.get((mentor.id, mentee.id), 0)
    return Proposal(
        mentor.id,
        mentee.id,
        round(pair_score(mentor, mentee, strength, rules), 6),
        reasons_for(mentor, mentee, strength, rules),
    )


def match(
    leaders: Iterable[Leader], influence: Influence, rules: MentorshipRules = MENTORSHIP
) -> list[Proposal]:
    """The best assignment (maximum total score) of mentees to mentors' free slots."""
    mentors, mentees = split(leaders, rules)
    if not mentors or not mentees:
        return []
    scores = _scores(mentors, mentees, influence, rules)
    # A mentor needs no more slots than there are mentees.
    slots = [min(m.capacity, len(mentees)) for m in mentors]
    owner = np.repeat(np.arange(len(mentors)), slots)
    rank = np.concatenate([np.arange(count) for count in slots])
    expanded = scores[owner] - rules.extra_slot_penalty * rank[:, None]
    rows, columns = linear_sum_assignment(expanded, maximize=True)
    pairs = sorted(zip(owner[rows].tolist(), columns.tolist(), strict=True))
    return [_proposal(mentors[i], mentees[j], influence, rules) for i, j in pairs]


def match_greedy(
    leaders: Iterable[Leader], influence: Influence, rules: MentorshipRules = MENTORSHIP
) -> list[Proposal]:
    """The baseline: take the best remaining pair while a mentor has a free slot and the
    mentee is unmatched (no look-ahead)."""
    mentors, mentees = split(leaders, rules)
    if not mentors or not mentees:
        return []
    scores = _scores(mentors, mentees, influence, rules)
    free = [m.capacity for m in mentors]
    taken = [False] * len(mentees)
    order = np.argsort(-scores, axis=None, kind="stable")
    out: list[tuple[int, int]] = []
    width = len(mentees)
    for flat in order.tolist():
        i, j = divmod(flat, width)
        if free[i] and not taken[j]:
            free[i] -= 1
            taken[j] = True
            out.append((i, j))
            if len(out) == len(mentees):
                break
    return [_proposal(mentors[i], mentees[j], influence, rules) for i, j in sorted(out)]


def total_score(proposals: Iterable[Proposal]) -> float:
    return round(sum(p.score for p in proposals), 6)


def capacity_in_use(proposals: Iterable[Proposal]) -> dict[int, int]:
    """Mentees per mentor in a set of proposals."""
    used: dict[int, int] = {}
    for proposal in proposals:
        used[proposal.mentor_id] = used.get(proposal.mentor_id, 0) + 1
    return used
