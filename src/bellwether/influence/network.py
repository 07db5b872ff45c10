"""Network analytics for the influence map (§1.2): pure computation, no Django.

Input is a list of leaders (readiness band and the five influence ratings) and the
directed ties "A influences B" with a strength of 1–3. Reporting lines from the org
chart are ties of their own kind (manager → report, strength ``REPORTING_LINE_STRENGTH``).

Several ties on the same ordered pair (an influence tie *and* a reporting line) are
one edge to the centralities, weighted by the sum of their strengths; messengers use
the strongest of them.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import rustworkx as rx

from bellwether.core.errors import DomainError
from bellwether.framework.catalogue import (
    CATALOGUE,
    INFLUENCE_METRIC_WEIGHTS,
    INFLUENCE_PEER_RESPECT,
    INFLUENCE_RATING_POINTS,
    INSTRUMENT,
)

LeaderId = Hashable

INFLUENCE: Final = "influence"
REPORTING_LINE: Final = "reporting_line"
TIE_KINDS: Final = (INFLUENCE, REPORTING_LINE)
MIN_STRENGTH: Final = 1
MAX_STRENGTH: Final = 3
# A manager's word carries weight with a report, but authority is not persuasion:
# a reporting line counts as a middling tie, below a strong peer relationship.
REPORTING_LINE_STRENGTH: Final = 2

PEER_RESPECT: Final = INFLUENCE_PEER_RESPECT

BAND_KEYS: Final = tuple(band.key for band in INSTRUMENT.bands)
# Bands are ordered from the top; "Supporter or better" is engaged.
ENGAGED_BANDS: Final = frozenset(BAND_KEYS[:2])
# Cautious, Skeptical and Resistant: the leaders who need messengers.
NOT_YET_ENGAGED_BANDS: Final = frozenset(BAND_KEYS[2:])
_BAND_NAMES: Final = {band.key: band.name for band in INSTRUMENT.bands}
_METRIC_KEYS: Final = tuple(metric.key for metric in CATALOGUE.influence_metrics)


@dataclass(frozen=True, slots=True)
class Leader:
    """A leader as the analytics see one.

    ``band`` is a catalogue band key (``"band.champion"``…) or ``None`` when the
    leader has not been assessed yet. ``metrics`` maps influence metric keys
    (``"influence.peer_respect"``…) to ``"high"``, ``"medium"`` or ``"low"``.
    """

    id: LeaderId
    band: str | None
    metrics: Mapping[str, str] = field(default_factory=dict)
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or str(self.id)


@dataclass(frozen=True, slots=True)
class Tie:
    """``source`` influences ``target`` with ``strength`` 1 (weak) to 3 (strong)."""

    source: LeaderId
    target: LeaderId
    strength: int
    kind: str = INFLUENCE


def reporting_line(manager: LeaderId, report: LeaderId) -> Tie:
    return Tie(manager, report, REPORTING_LINE_STRENGTH, REPORTING_LINE)


def band_name(band: str | None) -> str:
    return "not assessed" if band is None else _BAND_NAMES[band]


# --- Influence index -------------------------------------------------------------------


def influence_index(metrics: Mapping[str, str]) -> float:
    """0–100 from the five High/Medium/Low ratings, weighted as the catalogue says.

    An unrated metric scores as Low: the index claims no influence nobody has seen.
    """
    unknown = set(metrics) - set(_METRIC_KEYS)
    if unknown:
        raise DomainError(f"Unknown influence metric: {', '.join(sorted(unknown))}.")
    total_weight = sum(INFLUENCE_METRIC_WEIGHTS[key] for key in _METRIC_KEYS)
    score = 0.0
    for key, rating in metrics.items():
        points = INFLUENCE_RATING_POINTS.get(rating.lower())
        if points is None:
            raise DomainError(f"{key} must be rated High, Medium or Low; got {rating!r}.")
        score += INFLUENCE_METRIC_WEIGHTS[key] * points
    return 100.0 * score / total_weight


# --- The graph, indexed -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndexedGraph:
    """Leaders numbered 0..n-1 in input order; parallel ties merged per ordered pair.

    ``weight`` is the summed strength (for centralities), ``strongest`` the largest
    strength and ``strongest_kind`` its kind (influence wins a tie with a reporting line).
    """

    leaders: tuple[Leader, ...]
    index: dict[LeaderId, int]
    source: np.ndarray
    target: np.ndarray
    weight: np.ndarray
    strongest: np.ndarray
    strongest_kind: tuple[str, ...]
    # Every original tie's (source, target, strength) as indices, for the planner.
    tie_source: np.ndarray
    tie_target: np.ndarray
    tie_strength: np.ndarray

    @property
    def n(self) -> int:
        return len(self.leaders)


def index_graph(leaders: Sequence[Leader], ties: Iterable[Tie]) -> IndexedGraph:
    index: dict[LeaderId, int] = {}
    for position, leader in enumerate(leaders):
        if leader.id in index:
            raise DomainError(f"Leader {leader.label} appears twice.")
        if leader.band is not None and leader.band not in _BAND_NAMES:
            raise DomainError(f"Unknown readiness band {leader.band!r} for {leader.label}.")
        index[leader.id] = position
    merged: dict[tuple[int, int], list[int]] = {}  # pair -> [sum, max, max is influence]
    raw: list[tuple[int, int, int]] = []
    for tie in ties:
        if tie.source not in index or tie.target not in index:
            raise DomainError(f"A tie names a leader who is not on the map: {tie}.")
        if tie.source == tie.target:
            raise DomainError(f"A leader cannot influence themselves: {tie.source}.")
        if not MIN_STRENGTH <= tie.strength <= MAX_STRENGTH:
            raise DomainError(f"Tie strength must be 1, 2 or 3; got {tie.strength}.")
        if tie.kind not in TIE_KINDS:
            raise DomainError(f"Unknown tie kind {tie.kind!r}.")
        s, t = index[tie.source], index[tie.target]
        raw.append((s, t, tie.strength))
        is_influence = int(tie.kind == INFLUENCE)
        entry = merged.get((s, t))
        if entry is None:
            merged[(s, t)] = [tie.strength, tie.strength, is_influence]
        else:
            entry[0] += tie.strength
            if (tie.strength, is_influence) > (entry[1], entry[2]):
                entry[1], entry[2] = tie.strength, is_influence
    pairs = sorted(merged)
    raw_array = np.array(raw, dtype=np.int64).reshape(-1, 3)
    return IndexedGraph(
        leaders=tuple(leaders),
        index=index,
        source=np.array([p[0] for p in pairs], dtype=np.int64),
        target=np.array([p[1] for p in pairs], dtype=np.int64),
        weight=np.array([merged[p][0] for p in pairs], dtype=np.float64),
        strongest=np.array([merged[p][1] for p in pairs], dtype=np.int64),
        strongest_kind=tuple(INFLUENCE if merged[p][2] else REPORTING_LINE for p in pairs),
        tie_source=raw_array[:, 0],
        tie_target=raw_array[:, 1],
        tie_strength=raw_array[:, 2],
    )


# --- Centralities and communities ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NetworkAnalysis:
    """Per-leader figures keyed by leader id; communities numbered 0.. largest first."""

    influence_index: dict[LeaderId, float]
    pagerank: dict[LeaderId, float]
    betweenness: dict[LeaderId, float]
    in_degree: dict[LeaderId, int]
    out_degree: dict[LeaderId, int]
    community: dict[LeaderId, int]
    communities: tuple[tuple[LeaderId, ...], ...]
    # Leaders on shortest paths whose ties reach into more than one community, highest
    # betweenness first (at most ``broker_limit``): who carries a message between groups.
    brokers: tuple[LeaderId, ...]


PAGERANK_DAMPING: Final = 0.85
PAGERANK_TOLERANCE: Final = 1e-10


def pagerank_and_betweenness(graph: IndexedGraph) -> tuple[np.ndarray, np.ndarray]:
    """Weighted PageRank (damping 0.85) and exact directed betweenness (hop count, normalised).

    Betweenness counts hops, not strengths: a broker is on the short route between
    two people whatever the tie strengths along it.
    """
    digraph: rx.PyDiGraph = rx.PyDiGraph(multigraph=False)
    digraph.add_nodes_from(range(graph.n))
    digraph.add_edges_from(
        list(zip(graph.source.tolist(), graph.target.tolist(), graph.weight.tolist(), strict=True))
    )
    ranks = rx.pagerank(
        digraph, alpha=PAGERANK_DAMPING, weight_fn=float, tol=PAGERANK_TOLERANCE, max_iter=1000
    )
    between = rx.digraph_betweenness_centrality(digraph, normalized=True)
    pagerank = np.array([ranks[i] for i in range(graph.n)]) if graph.n else np.zeros(0)
    betweenness = np.array([between[i] for i in range(graph.n)]) if graph.n else np.zeros(0)
    return pagerank, betweenness


LABEL_PROPAGATION_MAX_SWEEPS: Final = 100


def communities(graph: IndexedGraph, *, seed: int = 0) -> np.ndarray:
    """Community number per leader by weighted label propagation, ties ignored for direction.

    Each sweep visits leaders in an order drawn from ``seed``; a leader takes the label
    with the most tie strength among its neighbours, keeping its own on a draw and
    otherwise taking the smallest, so a given seed always gives the same answer.
    Communities are renumbered 0.. from the largest (then by first member).
    """
    n = graph.n
    neighbours: list[dict[int, float]] = [{} for _ in range(n)]
    for s, t, w in zip(
        graph.source.tolist(), graph.target.tolist(), graph.weight.tolist(), strict=True
    ):
        neighbours[s][t] = neighbours[s].get(t, 0.0) + w
        neighbours[t][s] = neighbours[t].get(s, 0.0) + w
    adjacency = [list(nbrs.items()) for nbrs in neighbours]
    labels = list(range(n))
    rng = np.random.default_rng(seed)
    for _ in range(LABEL_PROPAGATION_MAX_SWEEPS):
        changed = False
        for node in rng.permutation(n).tolist():
            if not adjacency[node]:
                continue
            totals: dict[int, float] = {}
            for other, w in adjacency[node]:
                label = labels[other]
                totals[label] = totals.get(label, 0.0) + w
            best = max(totals.values())
            current = labels[node]
            if totals.get(current) == best:
                continue
            labels[node] = min(label for label, total in totals.items() if total == best)
            changed = True
        if not changed:
            break
    members: dict[int, list[int]] = {}
    for node, label in enumerate(labels):
        members.setdefault(label, []).append(node)
    ordered = sorted(members.values(), key=lambda group: (-len(group), group[0]))
    result = np.empty(n, dtype=np.int64)
    for number, group in enumerate(ordered):
        result[group] = number
    return result


# How many brokers an analysis names: on a large map nearly everyone with a tie into
# another group has some betweenness, and only the top of that list is worth a look.
BROKER_LIMIT: Final = 20


def analyse(
    leaders: Sequence[Leader],
    ties: Iterable[Tie],
    *,
    seed: int = 0,
    broker_limit: int = BROKER_LIMIT,
) -> NetworkAnalysis:
    graph = index_graph(leaders, ties)
    ids = [leader.id for leader in graph.leaders]
    pagerank, betweenness = pagerank_and_betweenness(graph)
    in_degree = np.bincount(graph.target, minlength=graph.n)
    out_degree = np.bincount(graph.source, minlength=graph.n)
    community = communities(graph, seed=seed)
    groups: list[list[LeaderId]] = [[] for _ in range(int(community.max()) + 1 if graph.n else 0)]
    for node, number in enumerate(community.tolist()):
        groups[number].append(ids[node])
    # A broker's ties (either direction) touch at least two communities.
    touched: list[set[int]] = [{int(c)} for c in community]
    for s, t in zip(graph.source.tolist(), graph.target.tolist(), strict=True):
        touched[s].add(int(community[t]))
        touched[t].add(int(community[s]))
    brokers = [node for node in range(graph.n) if betweenness[node] > 0 and len(touched[node]) > 1]
    brokers.sort(key=lambda node: (-betweenness[node], node))
    return NetworkAnalysis(
        influence_index={leader.id: influence_index(leader.metrics) for leader in graph.leaders},
        pagerank=dict(zip(ids, pagerank.tolist(), strict=True)),
        betweenness=dict(zip(ids, betweenness.tolist(), strict=True)),
        in_degree=dict(zip(ids, in_degree.tolist(), strict=True)),
        out_degree=dict(zip(ids, out_degree.tolist(), strict=True)),
        community=dict(zip(ids, community.tolist(), strict=True)),
        communities=tuple(tuple(group) for group in groups),
        brokers=tuple(ids[node] for node in brokers[:broker_limit]),
    )


# --- Engagement × influence grid ---------------------------------------------------------------

# At or above this index a leader counts as influential: 50 is a leader rated Medium
# on all five metrics, or High on two and Medium on one.
INFLUENTIAL_THRESHOLD: Final = 50.0

MOBILISE: Final = "mobilise"
CONVERT_FIRST: Final = "convert first"
EQUIP_AND_AMPLIFY: Final = "equip and amplify"
DEVELOP: Final = "develop"
QUADRANTS: Final = (MOBILISE, CONVERT_FIRST, EQUIP_AND_AMPLIFY, DEVELOP)

RULES: Final = (
    "Across: the readiness band. Champions and Supporters are engaged; Cautious, "
    "Skeptical and Resistant leaders are not yet engaged. "
    f"Up: the influence index (0–100); {INFLUENTIAL_THRESHOLD:.0f} or more is influential. "
    "Mobilise: engaged and influential. "
    "Convert first: not yet engaged and influential. "
    "Equip and amplify: engaged and less influential. "
    "Develop: neither. "
    "Leaders without a readiness assessment sit outside the grid, listed with their "
    "influence index so the influential ones can be assessed first."
)


@dataclass(frozen=True, slots=True)
class GridPlacement:
    leader_id: LeaderId
    band: str | None
    influence_index: float
    quadrant: str | None  # None: not assessed


@dataclass(frozen=True, slots=True)
class Grid:
    placements: tuple[GridPlacement, ...]
    by_quadrant: dict[str, tuple[LeaderId, ...]]
    # Not assessed, most influential first.
    not_assessed: tuple[LeaderId, ...]
    influential_threshold: float = INFLUENTIAL_THRESHOLD
    rules: str = RULES


def quadrant_for(band: str | None, index: float) -> str | None:
    if band is None:
        return None
    influential = index >= INFLUENTIAL_THRESHOLD
    if band in ENGAGED_BANDS:
        return MOBILISE if influential else EQUIP_AND_AMPLIFY
    return CONVERT_FIRST if influential else DEVELOP


def grid(leaders: Sequence[Leader]) -> Grid:
    """Place every leader; within a quadrant, the most influential first (then input order)."""
    placements = []
    for leader in leaders:
        index = influence_index(leader.metrics)
        placements.append(
            GridPlacement(leader.id, leader.band, index, quadrant_for(leader.band, index))
        )
    ranked = sorted(enumerate(placements), key=lambda item: (-item[1].influence_index, item[0]))
    by_quadrant = {
        quadrant: tuple(p.leader_id for _, p in ranked if p.quadrant == quadrant)
        for quadrant in QUADRANTS
    }
    not_assessed = tuple(p.leader_id for _, p in ranked if p.quadrant is None)
    return Grid(tuple(placements), by_quadrant, not_assessed)


# --- Messengers ----------------------------------------------------------------------------------

_RESPECT_RANK: Final = {"high": 3, "medium": 2, "low": 1}


@dataclass(frozen=True, slots=True)
class Messenger:
    """A Champion or Supporter placed to influence ``target_id``, directly or via one leader.

    ``strength`` is the tie's strength, or for two steps the weaker of the two ties.
    """

    messenger_id: LeaderId
    target_id: LeaderId
    via_id: LeaderId | None
    strength: int
    peer_respect: str  # "High", "Medium", "Low" or "not rated"
    reason: str


def _respect(leader: Leader) -> tuple[int, str]:
    rating = leader.metrics.get(PEER_RESPECT)
    if rating is None:
        return 0, "not rated"
    return _RESPECT_RANK[rating.lower()], rating.capitalize()


def messengers(
    leaders: Sequence[Leader], ties: Iterable[Tie], *, limit: int = 5
) -> dict[LeaderId, tuple[Messenger, ...]]:
    """For each Cautious, Skeptical or Resistant leader, up to ``limit`` best messengers.

    Ranked by tie strength (a two-step route is as strong as its weaker tie), then the
    messenger's peer respect, then direct before two-step, then input order. Each
    messenger appears once per target, by their best route.
    """
    graph = index_graph(leaders, ties)
    incoming: list[list[tuple[int, int, str]]] = [[] for _ in range(graph.n)]
    for s, t, strength, kind in zip(
        graph.source.tolist(),
        graph.target.tolist(),
        graph.strongest.tolist(),
        graph.strongest_kind,
        strict=True,
    ):
        incoming[t].append((s, strength, kind))
    respect = [_respect(leader) for leader in graph.leaders]
    engaged = [leader.band in ENGAGED_BANDS for leader in graph.leaders]
    result: dict[LeaderId, tuple[Messenger, ...]] = {}
    for target, leader in enumerate(graph.leaders):
        if leader.band not in NOT_YET_ENGAGED_BANDS:
            continue
        best: dict[int, _Route] = {}
        for m, strength, kind in incoming[target]:
            if engaged[m]:
                _offer(best, respect[m][0], m, None, strength, kind)
            for m2, strength2, _ in incoming[m]:
                if m2 != target and engaged[m2]:
                    _offer(best, respect[m2][0], m2, m, min(strength, strength2), INFLUENCE)
        chosen = heapq.nsmallest(limit, best.items(), key=lambda item: item[1][0])
        result[leader.id] = tuple(
            _messenger(graph.leaders, m, target, via, strength, kind, respect[m][1])
            for m, (_, via, strength, kind) in chosen
        )
    return result


# (sort key, via, strength, kind of the direct tie)
_Route = tuple[tuple[int, int, int, int, int], int | None, int, str]


def _offer(
    best: dict[int, _Route], respect: int, m: int, via: int | None, strength: int, kind: str
) -> None:
    """Keep the messenger's best route to the target by the ranking key."""
    steps = 1 if via is None else 2
    key = (-strength, -respect, steps, m, -1 if via is None else via)
    if m not in best or key < best[m][0]:
        best[m] = (key, via, strength, kind)


def _messenger(
    leaders: tuple[Leader, ...],
    m: int,
    target: int,
    via: int | None,
    strength: int,
    kind: str,
    respect: str,
) -> Messenger:
    name = leaders[target].label
    if via is None:
        route = f"influences {name} directly"
        if kind == REPORTING_LINE:
            route += " (reporting line)"
        reason = f"{route}, strength {strength}, peer respect {respect}"
    else:
        reason = (
            f"influences {name} through {leaders[via].label}, strength {strength} "
            f"(the weaker tie), peer respect {respect}"
        )
    return Messenger(
        messenger_id=leaders[m].id,
        target_id=leaders[target].id,
        via_id=None if via is None else leaders[via].id,
        strength=strength,
        peer_respect=respect,
        reason=reason,
    )
