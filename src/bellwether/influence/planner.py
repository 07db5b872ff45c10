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
from functools import partial
from typing import Final

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from bellwether.core.errors import DomainError
from bellwether.framework.catalogue import (
    BAND_CAUTIOUS,
    BAND_CHAMPION,
    BAND_RESISTANT,
    BAND_SKEPTICAL,
    BAND_SUPPORTER,
)
from bellwether.influence.network import (
    ENGAGED_BANDS,
    MAX_STRENGTH,
    IndexedGraph,
    Leader,
    LeaderId,
    Tie,
    band_name,
    index_graph,
)

# Chance that one tie passes engagement on, by strength (before the target's band).
STRENGTH_PROBABILITY: Final[dict[int, float]] = {1: 0.05, 2: 0.10, 3: 0.20}
# How readily a leader in each band takes it up. Engaged leaders take it up readily
# and pass it on; the further from engaged, the lower. Not assessed leaders are
# treated as Cautious, the middle band: we know nothing either way.
RECEPTIVENESS: Final[dict[str | None, float]] = {
    BAND_CHAMPION: 1.0,
    BAND_SUPPORTER: 0.8,
    BAND_CAUTIOUS: 0.5,
    BAND_SKEPTICAL: 0.25,
    BAND_RESISTANT: 0.1,
    None: 0.5,
}

# The assumptions name the bands as the catalogue does.
_RECEPTIVE: Final = ", ".join(
    f"{band_name(key)} {share:.0%}" for key, share in RECEPTIVENESS.items() if key is not None
)
_ENGAGED_FLOOR: Final = band_name(BAND_SUPPORTER)
_MIDDLE: Final = band_name(BAND_CAUTIOUS)
ASSUMPTIONS: Final = (
    "Engaging a leader first makes them an active advocate for AI.",
    "An active advocate gets one chance to pass engagement on along each tie they have; "
    "it passes with a probability that grows with the tie's strength "
    "(5% for strength 1, 10% for 2, 20% for 3) and is multiplied by how receptive the "
    f"other leader is: {_RECEPTIVE}.",
    "Someone who takes it up becomes an active advocate too "
    f"(at {_ENGAGED_FLOOR} or better) and gets the same one chance with their own ties.",
    "A reporting line counts as a tie from manager to report of strength 2.",
    f"Leaders not yet assessed are treated as {_MIDDLE}, and are not counted as "
    f"{_ENGAGED_FLOOR}s until the cascade reaches them.",
    f"{band_name(BAND_CHAMPION)}s and {_ENGAGED_FLOOR}s already count as {_ENGAGED_FLOOR} or better; "
    "they pass engagement on only once engaged first or reached by the cascade.",
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


_COVERED: Final = np.iinfo(np.int32).max


def _live_ties(
    p_tie: np.ndarray, runs: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Which ties are live in which run: each (run, tie) independently with ``p_tie``.

    Drawn as geometric gaps between live cells, one probability at a time, so the cost
    follows the few live cells rather than the ``runs × ties`` grid of coin flips.
    Returns the run and the tie of every live cell, ordered by (run, tie) within each
    probability.
    """
    live_runs, live_tie = [], []
    values, group = np.unique(p_tie, return_inverse=True)
    for g, p in enumerate(values.tolist()):
        if p <= 0.0:
            continue
        members = np.flatnonzero(group == g)
        cells = runs * members.size
        positions: list[np.ndarray] = []
        last = -1
        while last < cells - 1:
            # Enough gaps to cross the grid almost always; loop for the rare shortfall.
            expected = (cells - 1 - last) * p
            draws = int(expected + 6.0 * np.sqrt(expected) + 16)
            steps = np.cumsum(rng.geometric(p, size=draws)) + last
            positions.append(steps)
            last = int(steps[-1])
        cell = np.concatenate(positions)
        cell = cell[cell < cells]
        run, member = np.divmod(cell, members.size)
        live_runs.append(run)
        live_tie.append(members[member])
    if not live_tie:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(live_runs), np.concatenate(live_tie)


def _compressed(tails: np.ndarray, heads: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Adjacency of ``size`` nodes in compressed rows: ``heads[indptr[u]:indptr[u+1]]``.

    In 32-bit integers where they fit: the stacked samples hold millions of nodes, and
    arrays half the size are quicker to allocate and to walk.
    """
    dtype = np.int32 if max(size, heads.size) < np.iinfo(np.int32).max else np.int64
    indptr = np.zeros(size + 1, dtype=dtype)
    np.cumsum(np.bincount(tails, minlength=size), out=indptr[1:])
    # Stable, so tails given as a few sorted stretches merge rather than sort.
    return indptr, heads[np.argsort(tails, kind="stable")].astype(dtype)


def _successors(
    indptr: np.ndarray, indices: np.ndarray, nodes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The successors of ``nodes``, row after row, and where each node's row starts."""
    lengths = indptr[nodes + 1] - indptr[nodes]
    ends = np.cumsum(lengths)
    firsts = ends - lengths
    count = int(ends[-1]) if ends.size else 0
    return indices[np.repeat(indptr[nodes] - firsts, lengths) + np.arange(count)], firsts


def _paths_to_sinks(
    indptr: np.ndarray, indices: np.ndarray, worth: np.ndarray, cap: int
) -> tuple[np.ndarray, np.ndarray]:
    """Worth summed over every path out of each node, finishing a node once all its
    successors are finished (sinks first), and never above ``cap``.

    A node's reach is counted once per path to it, so the sum bounds the worth it
    reaches from above, and equals it where paths never rejoin (as in a tree); no node
    reaches more than ``cap`` worth, so capping keeps it a bound and keeps paths that
    multiply from overflowing. Nodes that reach a cycle never finish: they come back
    unfinished, holding their own worth.
    """
    total = worth.astype(np.int32 if cap < np.iinfo(np.int32).max else np.int64)
    degree = np.diff(indptr)
    done = degree == 0
    active = np.flatnonzero(~done)
    # Rows of finished nodes are empty, so the first pass reads the edges in place.
    successors, firsts = indices, indptr[active]
    while active.size:
        ready = np.logical_and.reduceat(done[successors], firsts)
        if not ready.any():
            break
        finished = active[ready]
        sums = np.add.reduceat(total[successors], firsts, dtype=np.int64)[ready]
        total[finished] = np.minimum(total[finished] + sums, cap)
        done[finished] = True
        active = active[~ready]
        if active.size:
            successors, firsts = _successors(indptr, indices, active)
    return total, ~done


class _Cascades:
    """``runs`` live-edge samples stacked as one block-diagonal graph over n·runs nodes.

    Node ``v + r·n`` is leader ``v`` in run ``r``. Nodes already reached by the picks so
    far are stamped ``_COVERED``; a marginal gain is a search from the candidate in
    every run that stops at covered nodes and counts what it newly reaches.
    """

    def __init__(self, graph: IndexedGraph, runs: int, seed: int) -> None:
        n = graph.n
        self.n, self.runs = n, runs
        # Ties by source, so each probability's live cells come sorted by stacked source.
        order = np.lexsort((graph.tie_target, graph.tie_source))
        source = graph.tie_source[order].astype(np.int64)
        target = graph.tie_target[order].astype(np.int64)
        strength = graph.tie_strength[order].astype(np.int64)
        # chance[s, v]: a tie of strength s engaging leader v. Several ties on one pair
        # are independent chances.
        chance = np.zeros((MAX_STRENGTH + 1, n))
        for value in STRENGTH_PROBABILITY:
            chance[value] = [activation_probability(value, lead.band) for lead in graph.leaders]
        p_tie = chance[strength, target]
        live_run, live_tie = _live_ties(p_tie, runs, np.random.default_rng(seed))
        offsets = live_run * n
        self.indptr, self.indices = _compressed(
            source[live_tie] + offsets, target[live_tie] + offsets, n * runs
        )
        # A leader already at Supporter or better adds nothing when reached.
        self.worth = np.array([leader.band not in ENGAGED_BANDS for leader in graph.leaders])
        # stamp[node] == epoch: reached in the current search; COVERED: reached by a pick.
        self.stamp = np.zeros(n * runs, dtype=np.int32)
        self.slot = np.zeros(n * runs, dtype=self.indptr.dtype)
        self.epoch = 0
        self.searches = 0
        self.run_offsets = np.arange(runs, dtype=np.int64) * n

    def first_gain_bounds(self) -> np.ndarray:
        """Per leader, an upper bound on ``gain(leader)`` before anything is covered.

        Worth counted once per path instead of once per leader reached, with each cycle
        collapsed into one node. Live graphs are sparse and nearly trees, so the bound is
        close; it costs a few passes over the live ties for everyone at once, against
        one search per leader for the exact gains.
        """
        size = self.n * self.runs
        # No leader reaches more than every leader worth reaching, in one run.
        cap = int(self.worth.sum())
        total, unfinished = _paths_to_sinks(
            self.indptr, self.indices, np.tile(self.worth, self.runs), cap
        )
        if unfinished.any():
            # The nodes that reach a cycle: collapse each strongly connected part (its
            # members all reach one another) and sum paths over the parts.
            nodes = np.flatnonzero(unfinished)
            heads, firsts = _successors(self.indptr, self.indices, nodes)
            tails = np.repeat(np.arange(nodes.size), np.diff(np.append(firsts, heads.size)))
            inside = unfinished[heads]
            # What each reaches through finished successors, counted once per edge.
            own = total[nodes] + np.bincount(
                tails[~inside], weights=total[heads[~inside]], minlength=nodes.size
            ).astype(np.int64)
            local = np.full(size, -1, dtype=np.int64)
            local[nodes] = np.arange(nodes.size)
            tails, heads = tails[inside], local[heads[inside]]
            adjacency = sp.csr_array(
                (np.ones(tails.size, dtype=np.int8), (tails, heads)),
                shape=(nodes.size, nodes.size),
            )
            parts, part = connected_components(adjacency, directed=True, connection="strong")
            between = part[tails] != part[heads]
            part_total, _ = _paths_to_sinks(
                *_compressed(part[tails][between], part[heads][between], parts),
                np.minimum(np.bincount(part, weights=own, minlength=parts), cap).astype(np.int64),
                cap,
            )
            total[nodes] = part_total[part]
        return total.reshape(self.runs, self.n).sum(axis=0, dtype=np.int64)

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
            nxt, _firsts = _successors(self.indptr, self.indices, frontier)
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
    lazy: bool = True,
) -> ConversionPlan:
    """Greedy picks; ties go to the earlier leader in input order.

    ``lazy`` (the default) evaluates lazily (CELF, ``_lazy_picks``); ``lazy=False`` is
    the plain greedy (``_plain_picks``), the baseline for benchmarks and tests: it must
    pick what the lazy one picks.
    """
    graph, baseline = _prepare(leaders, ties, k, runs)
    cascades = _Cascades(graph, runs, seed)
    chosen = _lazy_picks(cascades, k) if lazy else _plain_picks(graph.n, cascades, k)
    return _plan(graph, baseline, chosen, cascades, seed)


def _lazy_picks(cascades: _Cascades, k: int) -> list[tuple[int, int]]:
    """A candidate's last computed gain bounds its gain now (submodularity), so only the
    top of the queue is recomputed; when the recomputed top stays on top it is the pick.
    The queue starts from cheap upper bounds on the first gains rather than the gains
    themselves, so the first round computes exact gains only for the few leaders whose
    bound could beat the best.
    """
    # (−gain or −bound, leader, round the gain was computed in; −1 for a bound)
    bounds = cascades.first_gain_bounds().tolist()
    queue = [(-int(bound), v, -1) for v, bound in enumerate(bounds)]
    heapq.heapify(queue)
    chosen: list[tuple[int, int]] = []
    while queue and len(chosen) < k:
        _, leader, computed_in = heapq.heappop(queue)
        if computed_in == len(chosen):
            chosen.append((leader, cascades.engage(leader)))
        else:
            heapq.heappush(queue, (-cascades.gain(leader), leader, len(chosen)))
    return chosen


def _plain_picks(n: int, cascades: _Cascades, k: int) -> list[tuple[int, int]]:
    """The same greedy without lazy evaluation: every candidate recomputed every round."""
    remaining = list(range(n))
    chosen: list[tuple[int, int]] = []
    while remaining and len(chosen) < k:
        gains = [cascades.gain(v) for v in remaining]
        best = int(np.argmax(gains))  # the first of equal gains: the earlier leader
        leader = remaining.pop(best)
        chosen.append((leader, cascades.engage(leader)))
    return chosen


# The plain greedy under its own name, for the benchmarks and the tests that compare it.
plan_conversion_plain_greedy = partial(plan_conversion, lazy=False)


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
