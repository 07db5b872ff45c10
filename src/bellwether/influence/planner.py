"""Conversion planner: which k leaders to engage first so engagement spreads furthest.

Independent-cascade model, estimated by Monte-Carlo over live-edge samples drawn
once per plan from ``seed``: every candidate set is scored on the *same* samples, so
the estimate is a coverage function (monotone and submodular, exactly), the lazy
(CELF) greedy picks exactly what the plain greedy picks, and both carry the usual
greedy guarantee of at least (1 − 1/e) of the best set on those samples.
Pure computation, no Django.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from bellwether.core.errors import DomainError
from bellwether.influence.network import (
    ENGAGED_BANDS,
    IndexedGraph,
    Leader,
    LeaderId,
    Tie,
    index_graph,
)

# Chance that one tie passes engagement on, by strength (before the target's band).
STRENGTH_PROBABILITY: Final[dict[int, float]] = {1: 0.05, 2: 0.10, 3: 0.20}
# How readily a leader in each band takes it up. Engaged leaders take it up readily
# and pass it on; the further from engaged, the lower. Not assessed leaders are
# treated as Cautious, the middle band: we know nothing either way.
RECEPTIVENESS: Final[dict[str | None, float]] = {
    "band.champion": 1.0,
    "band.supporter": 0.8,
    "band.cautious": 0.5,
    "band.skeptical": 0.25,
    "band.resistant": 0.1,
    None: 0.5,
}

ASSUMPTIONS: Final = (
    "Engaging a leader first makes them an active advocate for AI.",
    "An active advocate gets one chance to pass engagement on along each tie they have; "
    "it passes with a probability that grows with the tie's strength "
    "(5% for strength 1, 10% for 2, 20% for 3) and is multiplied by how receptive the "
    "other leader is: Champion 100%, Supporter 80%, Cautious 50%, Skeptical 25%, "
    "Resistant 10%.",
    "Someone who takes it up becomes an active advocate too (at Supporter or better) "
    "and gets the same one chance with their own ties.",
    "A reporting line counts as a tie from manager to report of strength 2.",
    "Leaders not yet assessed are treated as Cautious, and are not counted as "
    "Supporters until the cascade reaches them.",
    "Champions and Supporters already count as Supporter or better; they pass "
    "engagement on only once engaged first or reached by the cascade.",
    "Nothing else changes while engagement spreads: no one falls back, no one joins "
    "or leaves, and ties stay as recorded.",
    "The figures are averages over many simulated runs with a fixed seed, so the same "
    "inputs always give the same plan.",
)

DEFAULT_RUNS: Final = 1000
DEFAULT_PICKS: Final = 5


def activation_probability(strength: int, target_band: str | None) -> float:
    """Chance an active leader engages ``target`` along one tie of this ``strength``."""
    return STRENGTH_PROBABILITY[strength] * RECEPTIVENESS[target_band]


@dataclass(frozen=True, slots=True)
class Pick:
    leader_id: LeaderId
    # Expected extra leaders at Supporter or better from adding this pick.
    marginal_gain: float
    # Expected leaders at Supporter or better once this and the earlier picks are engaged.
    expected_supporters: float


@dataclass(frozen=True, slots=True)
class ConversionPlan:
    picks: tuple[Pick, ...]
    # Leaders already at Supporter or better before anyone is engaged.
    baseline_supporters: int
    expected_supporters: float
    runs: int
    seed: int
    assumptions: tuple[str, ...] = ASSUMPTIONS
    # How many marginal gains were computed: the cost lazy evaluation saves.
    evaluations: int = field(default=0, compare=False)


_COVERED: Final = np.iinfo(np.int64).max


class _Cascades:
    """``runs`` live-edge samples stacked as one block-diagonal graph over n·runs nodes.

    Node ``v + r·n`` is leader ``v`` in run ``r``. Nodes already reached by the picks so
    far are stamped ``_COVERED``; a marginal gain is a search from the candidate in
    every run that stops at covered nodes and counts what it newly reaches.
    """

    def __init__(self, graph: IndexedGraph, runs: int, seed: int) -> None:
        n = graph.n
        self.n, self.runs = n, runs
        bands = [leader.band for leader in graph.leaders]
        # Several ties on one pair are independent chances.
        p_tie = np.array(
            [
                activation_probability(int(s), bands[int(t)])
                for s, t in zip(graph.tie_strength, graph.tie_target, strict=True)
            ]
        )
        order = np.lexsort((graph.tie_target, graph.tie_source))
        source, target, p_tie = graph.tie_source[order], graph.tie_target[order], p_tie[order]
        rng = np.random.default_rng(seed)
        sources, targets = [], []
        chunk = max(1, 2_000_000 // max(1, len(p_tie)))
        p_tie32 = p_tie.astype(np.float32)
        for first in range(0, runs, chunk):
            count = min(chunk, runs - first)
            run, tie = np.nonzero(rng.random((count, len(p_tie)), dtype=np.float32) < p_tie32)
            offsets = (run + first).astype(np.int64) * n
            sources.append(source[tie] + offsets)
            targets.append(target[tie] + offsets)
        live_source = np.concatenate(sources) if sources else np.zeros(0, dtype=np.int64)
        # Row-major order over (run, tie) keeps the stacked sources sorted.
        self.indices = (np.concatenate(targets) if targets else live_source).astype(np.int64)
        self.indptr = np.zeros(n * runs + 1, dtype=np.int64)
        np.cumsum(np.bincount(live_source, minlength=n * runs), out=self.indptr[1:])
        # A leader already at Supporter or better adds nothing when reached.
        self.worth = np.array([leader.band not in ENGAGED_BANDS for leader in graph.leaders])
        # stamp[node] == epoch: reached in the current search; COVERED: reached by a pick.
        self.stamp = np.zeros(n * runs, dtype=np.int64)
        self.slot = np.zeros(n * runs, dtype=np.int64)
        self.epoch = 0
        self.searches = 0
        self.run_offsets = np.arange(runs, dtype=np.int64) * n

    def reach(self, leader: int) -> np.ndarray:
        """Nodes newly reached (not yet covered) by engaging ``leader``, over all runs."""
        self.epoch += 1
        self.searches += 1
        stamp, slot = self.stamp, self.slot
        frontier = leader + self.run_offsets
        frontier = frontier[stamp[frontier] < self.epoch]
        stamp[frontier] = self.epoch
        reached = [frontier]
        while frontier.size:
            starts = self.indptr[frontier]
            lengths = self.indptr[frontier + 1] - starts
            total = int(lengths.sum())
            if total == 0:
                break
            ends = np.cumsum(lengths)
            positions = np.repeat(starts - ends + lengths, lengths) + np.arange(total)
            nxt = self.indices[positions]
            nxt = nxt[stamp[nxt] < self.epoch]
            # Drop repeats without sorting: only each node's last writer keeps its slot.
            order = np.arange(nxt.size)
            slot[nxt] = order
            nxt = nxt[slot[nxt] == order]
            stamp[nxt] = self.epoch
            reached.append(nxt)
            frontier = nxt
        return np.concatenate(reached)

    def gain(self, leader: int) -> int:
        """Newly reached leaders not already at Supporter or better, summed over runs."""
        return int(self.worth[self.reach(leader) % self.n].sum())

    def engage(self, leader: int) -> int:
        nodes = self.reach(leader)
        self.stamp[nodes] = _COVERED
        return int(self.worth[nodes % self.n].sum())


def _prepare(
    leaders: Sequence[Leader], ties: Iterable[Tie], k: int, runs: int
) -> tuple[IndexedGraph, int]:
    if k < 0:
        raise DomainError("The number of leaders to pick cannot be negative.")
    if runs < 1:
        raise DomainError("The planner needs at least one simulated run.")
    graph = index_graph(leaders, ties)
    baseline = sum(leader.band in ENGAGED_BANDS for leader in graph.leaders)
    return graph, baseline


def _plan(
    graph: IndexedGraph,
    baseline: int,
    chosen: list[tuple[int, int]],
    cascades: _Cascades,
    seed: int,
) -> ConversionPlan:
    runs = cascades.runs
    picks = []
    total = baseline * runs
    for leader, gain in chosen:
        total += gain
        picks.append(Pick(graph.leaders[leader].id, gain / runs, total / runs))
    # Each pick's engage() repeats its last gain search; that is not an evaluation.
    evaluations = cascades.searches - len(chosen)
    return ConversionPlan(tuple(picks), baseline, total / runs, runs, seed, evaluations=evaluations)


def plan_conversion(
    leaders: Sequence[Leader],
    ties: Iterable[Tie],
    *,
    k: int = DEFAULT_PICKS,
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
) -> ConversionPlan:
    """Greedy picks with lazy (CELF) evaluation; ties go to the earlier leader in input order.

    A candidate's last computed gain bounds its gain now (submodularity), so only the
    top of the queue is recomputed; when the recomputed top stays on top it is the pick.
    """
    graph, baseline = _prepare(leaders, ties, k, runs)
    cascades = _Cascades(graph, runs, seed)
    # (−gain, leader, round the gain was computed in)
    queue = [(-cascades.gain(v), v, 0) for v in range(graph.n)]
    heapq.heapify(queue)
    chosen: list[tuple[int, int]] = []
    while queue and len(chosen) < k:
        _, leader, computed_in = heapq.heappop(queue)
        if computed_in == len(chosen):
            chosen.append((leader, cascades.engage(leader)))
        else:
            heapq.heappush(queue, (-cascades.gain(leader), leader, len(chosen)))
    return _plan(graph, baseline, chosen, cascades, seed)


def plan_conversion_plain_greedy(
    leaders: Sequence[Leader],
    ties: Iterable[Tie],
    *,
    k: int = DEFAULT_PICKS,
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
) -> ConversionPlan:
    """The same greedy without lazy evaluation: every candidate recomputed every round.

    The baseline for benchmarks and tests; it must pick what ``plan_conversion`` picks.
    """
    graph, baseline = _prepare(leaders, ties, k, runs)
    cascades = _Cascades(graph, runs, seed)
    remaining = list(range(graph.n))
    chosen: list[tuple[int, int]] = []
    while remaining and len(chosen) < k:
        gains = [cascades.gain(v) for v in remaining]
        best = int(np.argmax(gains))  # the first of equal gains: the earlier leader
        leader = remaining.pop(best)
        chosen.append((leader, cascades.engage(leader)))
    return _plan(graph, baseline, chosen, cascades, seed)


def expected_supporters(
    leaders: Sequence[Leader],
    ties: Iterable[Tie],
    picks: Iterable[LeaderId],
    *,
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
) -> float:
    """Expected leaders at Supporter or better if ``picks`` are engaged first.

    Uses the same samples as a plan with the same ``runs`` and ``seed``.
    """
    graph, baseline = _prepare(leaders, ties, 0, runs)
    cascades = _Cascades(graph, runs, seed)
    total = baseline * runs
    for leader_id in picks:
        total += cascades.engage(graph.index[leader_id])
    return total / runs
