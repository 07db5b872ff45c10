"""Network analytics: pure, no database."""

import math

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bellwether.core.errors import DomainError
from bellwether.influence.network import (
    CONVERT_FIRST,
    DEVELOP,
    EQUIP_AND_AMPLIFY,
    INFLUENTIAL_THRESHOLD,
    MOBILISE,
    REPORTING_LINE,
    REPORTING_LINE_STRENGTH,
    RULES,
    Leader,
    Tie,
    analyse,
    communities,
    grid,
    index_graph,
    influence_index,
    messengers,
    reporting_line,
)

METRICS = (
    "influence.formal_authority",
    "influence.informal_influence",
    "influence.peer_respect",
    "influence.employee_following",
    "influence.external_credibility",
)


def rated(*ratings):
    return dict(zip(METRICS, ratings, strict=True))


def test_influence_index_is_100_when_all_high_and_0_when_all_low():
    assert influence_index(rated(*["high"] * 5)) == 100.0
    assert influence_index(rated(*["low"] * 5)) == 0.0
    assert influence_index(rated(*["Medium"] * 5)) == 50.0


def test_an_unrated_metric_scores_as_low():
    assert influence_index({"influence.peer_respect": "high"}) == 20.0
    assert influence_index({}) == 0.0


def test_influence_index_refuses_unknown_metrics_and_ratings():
    with pytest.raises(DomainError):
        influence_index({"influence.charisma": "high"})
    with pytest.raises(DomainError):
        influence_index({"influence.peer_respect": "very high"})


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["high", "medium", "low"]), min_size=5, max_size=5))
def test_influence_index_stays_between_0_and_100_and_grows_with_any_rating(ratings):
    index = influence_index(rated(*ratings))
    assert 0.0 <= index <= 100.0
    for position, rating in enumerate(ratings):
        if rating != "high":
            better = list(ratings)
            better[position] = "high"
            assert influence_index(rated(*better)) > index


def _random_graph(data):
    n = data.draw(st.integers(min_value=2, max_value=25))
    pairs = data.draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(1, 3)),
            max_size=80,
        )
    )
    leaders = [Leader(i, None) for i in range(n)]
    ties = [Tie(a, b, s) for a, b, s in pairs if a != b]
    reference = nx.DiGraph()
    reference.add_nodes_from(range(n))
    for tie in ties:
        if reference.has_edge(tie.source, tie.target):
            reference[tie.source][tie.target]["weight"] += tie.strength
        else:
            reference.add_edge(tie.source, tie.target, weight=tie.strength)
    return leaders, ties, reference


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_pagerank_and_betweenness_agree_with_networkx(data):
    leaders, ties, reference = _random_graph(data)
    analysis = analyse(leaders, ties)
    expected_rank = nx.pagerank(reference, weight="weight", tol=1e-12, max_iter=10_000)
    expected_between = nx.betweenness_centrality(reference, normalized=True)
    for leader in leaders:
        assert analysis.pagerank[leader.id] == pytest.approx(expected_rank[leader.id], abs=1e-6)
        assert analysis.betweenness[leader.id] == pytest.approx(
            expected_between[leader.id], abs=1e-9
        )
        assert analysis.in_degree[leader.id] == reference.in_degree(leader.id)
        assert analysis.out_degree[leader.id] == reference.out_degree(leader.id)
    assert math.isclose(sum(analysis.pagerank.values()), 1.0, abs_tol=1e-6)


def _two_cliques():
    # Two tight groups of four joined through leader 3 -> 4 and 4 -> 3.
    leaders = [Leader(i, None) for i in range(8)]
    ties = [
        Tie(a, b, 3) for group in (range(4), range(4, 8)) for a in group for b in group if a != b
    ]
    ties += [Tie(3, 4, 1), Tie(4, 3, 1)]
    return leaders, ties


def test_communities_find_the_two_groups_and_the_brokers_between_them():
    leaders, ties = _two_cliques()
    analysis = analyse(leaders, ties, seed=7)
    assert sorted(sorted(group) for group in analysis.communities) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert analysis.brokers == (3, 4)
    assert analyse(leaders, ties, seed=7, broker_limit=1).brokers == (3,)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.integers(0, 2**32 - 1))
def test_communities_are_the_same_for_the_same_seed(data, seed):
    leaders, ties, _ = _random_graph(data)
    graph = index_graph(leaders, ties)
    assert communities(graph, seed=seed).tolist() == communities(graph, seed=seed).tolist()


def test_parallel_ties_merge_and_reporting_lines_have_their_own_kind():
    tie = reporting_line("boss", "report")
    assert tie == Tie("boss", "report", REPORTING_LINE_STRENGTH, REPORTING_LINE)
    graph = index_graph(
        [Leader("boss", None), Leader("report", None)], [tie, Tie("boss", "report", 1)]
    )
    assert graph.weight.tolist() == [3.0]
    assert graph.strongest.tolist() == [2]
    assert graph.strongest_kind == (REPORTING_LINE,)


def test_ties_must_be_valid():
    leaders = [Leader(1, None), Leader(2, None)]
    for bad in (Tie(1, 2, 4), Tie(1, 1, 2), Tie(1, 3, 2), Tie(1, 2, 2, "friendship")):
        with pytest.raises(DomainError):
            analyse(leaders, [bad])
    with pytest.raises(DomainError):
        analyse([Leader(1, "band.keen")], [])


def test_grid_quadrants_change_exactly_at_the_threshold():
    assert INFLUENTIAL_THRESHOLD == 50.0
    just_influential = rated("high", "high", "medium", "low", "low")  # 50
    just_below = rated("high", "high", "low", "low", "low")  # 40
    leaders = [
        Leader("a", "band.champion", just_influential),
        Leader("b", "band.supporter", just_below),
        Leader("c", "band.cautious", just_influential),
        Leader("d", "band.resistant", just_below),
        Leader("e", None, just_influential),
        Leader("f", "band.supporter", rated(*["high"] * 5)),
    ]
    result = grid(leaders)
    assert result.by_quadrant == {
        MOBILISE: ("f", "a"),
        CONVERT_FIRST: ("c",),
        EQUIP_AND_AMPLIFY: ("b",),
        DEVELOP: ("d",),
    }
    assert result.not_assessed == ("e",)
    assert [p.quadrant for p in result.placements] == [
        MOBILISE,
        EQUIP_AND_AMPLIFY,
        CONVERT_FIRST,
        DEVELOP,
        None,
        MOBILISE,
    ]
    assert "50 or more is influential" in RULES


def test_messengers_are_ranked_by_strength_then_peer_respect_with_reasons():
    leaders = [
        Leader("T", "band.skeptical", name="Tess"),
        Leader("A", "band.champion", {"influence.peer_respect": "high"}, name="Ana"),
        Leader("B", "band.supporter", {"influence.peer_respect": "low"}, name="Bo"),
        Leader("C", "band.supporter", {"influence.peer_respect": "high"}, name="Cy"),
        Leader("I", "band.cautious", name="Ida"),
        Leader("D", "band.champion", {"influence.peer_respect": "medium"}, name="Di"),
        Leader("R", "band.resistant", name="Rex"),
    ]
    ties = [
        Tie("B", "T", 3),
        Tie("A", "T", 2),
        Tie("C", "I", 3),
        Tie("I", "T", 3),
        reporting_line("D", "T"),
        Tie("R", "T", 3),  # not engaged: never a messenger
    ]
    result = messengers(leaders, ties)
    assert set(result) == {"T", "I", "R"}
    assert [(m.messenger_id, m.via_id, m.strength) for m in result["T"]] == [
        ("C", "I", 3),
        ("B", None, 3),
        ("A", None, 2),
        ("D", None, 2),
    ]
    assert [m.reason for m in result["T"]] == [
        "influences Tess through Ida, strength 3 (the weaker tie), peer respect High",
        "influences Tess directly, strength 3, peer respect Low",
        "influences Tess directly, strength 2, peer respect High",
        "influences Tess directly (reporting line), strength 2, peer respect Medium",
    ]
    assert [m.reason for m in result["I"]] == [
        "influences Ida directly, strength 3, peer respect High"
    ]
    assert result["R"] == ()
    assert [m.messenger_id for m in messengers(leaders, ties, limit=2)["T"]] == ["C", "B"]
