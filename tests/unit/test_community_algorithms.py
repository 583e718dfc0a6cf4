"""Community detection, sweeps, topic scores and centrality on small hand-made graphs (no database)."""

from __future__ import annotations

import math
import random
from itertools import combinations
from pathlib import Path

import igraph
import networkx as nx
import numpy as np
import pytest

from loaders import read_file
from queries import centrality
from queries.centrality import centrality_scores, sampled_betweenness
from queries.communities import (
    ALGORITHMS,
    adjusted_rand_index,
    carried_topics,
    detect_communities,
    sweep_resolutions,
    topic_scores,
)
from queries.projection import Projection


def two_cliques(size: int = 5) -> Projection:
    """Two cliques of ``size`` authors (a0.., b0..) joined by the single tie a0-b0."""
    left = [f"a{i}" for i in range(size)]
    right = [f"b{i}" for i in range(size)]
    edges = [(u, v, 1.0) for group in (left, right) for u, v in combinations(group, 2)]
    return Projection.from_edges([*edges, ("a0", "b0", 1.0)])


def les_miserables() -> Projection:
    """A weighted real network shipped with networkx (77 characters, co-appearance counts as weights)."""
    graph = nx.les_miserables_graph()
    return Projection.from_edges([(u, v, float(w)) for u, v, w in graph.edges(data="weight")])


def groups(projection: Projection, membership: tuple[int, ...]) -> list[set[str]]:
    found: dict[int, set[str]] = {}
    for author, number in zip(projection.ids, membership, strict=True):
        found.setdefault(number, set()).add(author)
    return list(found.values())


@pytest.mark.parametrize("algorithm", ["leiden", "louvain", "lpa"])
def test_two_planted_cliques_come_out_as_two_communities(algorithm: str):
    projection = two_cliques()
    partition = detect_communities(projection, algorithm, seed=1)
    assert sorted(map(sorted, groups(projection, partition.membership))) == [
        ["a0", "a1", "a2", "a3", "a4"],
        ["b0", "b1", "b2", "b3", "b4"],
    ]
    assert partition.sizes == (5, 5)


@pytest.fixture(scope="module")
def hep_th(shared_dir: Path) -> Projection:
    """SNAP's CA-HepTh collaboration network (9,875 authors, 25,973 ties) as our snap loader reads it."""
    ties = read_file(shared_dir / "data" / "snap" / "CA-HepTh.noheader.txt.gz").ties
    return Projection.from_edges((tie.a.key, tie.b.key, tie.weight) for tie in ties)


def disconnected_communities(projection: Projection, algorithm: str, seed: int) -> int:
    membership = [number - 1 for number in detect_communities(projection, algorithm, seed=seed).membership]
    clustering = igraph.VertexClustering(projection.network, membership)
    return sum(not community.is_connected() for community in clustering.subgraphs())


def test_leiden_communities_are_connected_where_louvain_splits_one(hep_th: Projection):
    # Leiden's guarantee (Traag et al. 2019) is why it is the default; Louvain's seed 2 shows the check can fail here.
    assert [disconnected_communities(hep_th, "leiden", seed) for seed in range(1, 6)] == [0] * 5
    assert disconnected_communities(hep_th, "louvain", 2) >= 1


def test_cpm_at_high_resolution_keeps_each_clique():
    projection = two_cliques()
    partition = detect_communities(projection, "leiden", objective="cpm", resolution=0.5, seed=3)
    assert partition.sizes == (5, 5)
    assert partition.parameters["objective"] == "cpm"


def test_connected_components_join_the_cliques_and_split_off_a_separate_pair():
    projection = Projection.from_edges([*two_cliques().edges(), ("x", "y", 1.0)])
    partition = detect_communities(projection, "wcc")
    assert partition.sizes == (10, 2)
    assert {projection.ids[v] for v in partition.members(2)} == {"x", "y"}


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("resolution", [0.5, 1.0, 2.0])
def test_reported_modularity_is_networkx_modularity_of_the_partition(algorithm: str, resolution: float):
    projection = les_miserables()
    partition = detect_communities(projection, algorithm, resolution=resolution, seed=11)
    at = resolution if algorithm in ("leiden", "louvain") else 1.0
    expected = nx.community.modularity(
        projection.to_networkx(), groups(projection, partition.membership), weight="weight", resolution=at
    )
    assert partition.modularity == pytest.approx(expected, abs=1e-12)


def test_cpm_runs_report_modularity_at_resolution_one():
    projection = les_miserables()
    partition = detect_communities(projection, objective="cpm", resolution=0.05, seed=5)
    expected = nx.community.modularity(
        projection.to_networkx(), groups(projection, partition.membership), weight="weight"
    )
    assert partition.modularity == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("algorithm", ["leiden", "louvain", "lpa"])
def test_same_seed_gives_the_same_communities_whatever_the_edge_order(algorithm: str):
    edges = les_miserables().edges()
    shuffled = edges[:]
    random.Random(99).shuffle(shuffled)
    reversed_pairs = [(v, u, w) for u, v, w in shuffled]
    first = detect_communities(Projection.from_edges(edges), algorithm, seed=7)
    again = detect_communities(Projection.from_edges(edges), algorithm, seed=7)
    reordered = detect_communities(Projection.from_edges(reversed_pairs), algorithm, seed=7)
    assert first.membership == again.membership == reordered.membership
    assert first.modularity == reordered.modularity


def test_the_seed_does_not_disturb_pythons_global_random_state():
    random.seed(123)
    expected = random.random()
    random.seed(123)
    detect_communities(les_miserables(), seed=8)
    assert random.random() == expected


def test_communities_are_numbered_largest_first():
    projection = Projection.from_edges(
        [*two_cliques(3).edges(), ("c0", "c1", 1.0), ("c1", "c2", 1.0), ("c2", "c3", 1.0)]
    )
    sizes = detect_communities(projection, "wcc").sizes
    assert sizes == (6, 4)
    assert sizes == tuple(sorted(sizes, reverse=True))


def test_unknown_algorithm_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="leiden, louvain, lpa, wcc"):
        detect_communities(two_cliques(), "girvan-newman")


def rand_index_by_hand(first: list[int], second: list[int]) -> float:
    """Hubert and Arabie's adjusted Rand index from the contingency table, written out."""
    pairs = math.comb(len(first), 2)
    table = sum(math.comb(n, 2) for n in np.unique(np.column_stack((first, second)), axis=0, return_counts=True)[1])
    rows = sum(math.comb(n, 2) for n in np.unique(first, return_counts=True)[1])
    cols = sum(math.comb(n, 2) for n in np.unique(second, return_counts=True)[1])
    expected = rows * cols / pairs
    return (table - expected) / ((rows + cols) / 2 - expected)


@pytest.mark.parametrize(
    ("first", "second"),
    [([0, 0, 1, 1, 2, 2], [0, 0, 1, 1, 1, 2]), ([0, 0, 0, 1, 1, 1], [0, 1, 0, 1, 0, 1]), ([1, 1, 2], [5, 5, 7])],
)
def test_adjusted_rand_index_matches_the_formula(first: list[int], second: list[int]):
    assert adjusted_rand_index(first, second) == pytest.approx(rand_index_by_hand(first, second))


def test_identical_single_community_partitions_are_perfectly_stable():
    assert adjusted_rand_index([1, 1, 1], [1, 1, 1]) == 1.0


def test_sweep_reports_counts_modularity_and_stability_per_resolution():
    projection = two_cliques()
    points = sweep_resolutions(projection, [0.01, 1.0], seeds=4)
    assert [point.resolution for point in points] == [0.01, 1.0]
    assert [point.communities for point in points] == [1, 2]
    assert points[1].stability == 1.0
    assert points[1].modularity == pytest.approx(
        nx.community.modularity(projection.to_networkx(), [{f"a{i}" for i in range(5)}, {f"b{i}" for i in range(5)}])
    )
    assert {point.seeds for point in points} == {4}


def test_topic_scores_weigh_shares_against_the_whole_graph():
    counts = {1: {"t:common": 3, "t:rare": 1}, 2: {"t:common": 2}}
    totals = {"t:common": 90, "t:rare": 10}
    ranked = topic_scores(counts, totals)
    rare, common = 0.25 * math.log(1 + 100 / 10), 0.75 * math.log(1 + 100 / 90)
    assert ranked[1] == [("t:rare", pytest.approx(rare)), ("t:common", pytest.approx(common))]
    assert ranked[2] == [("t:common", pytest.approx(math.log(1 + 100 / 90)))]


@pytest.mark.parametrize(
    ("counts", "papers", "labels"),
    [
        ({"t:two": 2, "t:one": 1}, 3, {"t:two": 2}),  # a topic of one paper of three labels nothing
        ({"t:one": 1, "t:also": 1}, 2, {}),  # two papers, no topic they share: no label
        ({"t:one": 1, "t:also": 1}, 1, {"t:one": 1, "t:also": 1}),  # one paper: its topics are all there is
        ({}, 0, {}),
    ],
)
def test_a_label_needs_two_papers_of_the_group_unless_it_has_one(counts: dict, papers: int, labels: dict):
    assert carried_topics(counts, papers) == labels


def test_degree_and_strength_of_a_weighted_star():
    projection = Projection.from_edges([("hub", "x", 2.0), ("hub", "y", 3.0), ("x", "y", 1.0), ("y", "z", 4.0)])
    degree, _ = centrality_scores(projection, "degree")
    strength, method = centrality_scores(projection, "strength")
    by_id = dict(zip(projection.ids, zip(degree.tolist(), strength.tolist(), strict=True), strict=True))
    assert by_id == {"hub": (2, 5.0), "x": (2, 3.0), "y": (3, 8.0), "z": (1, 4.0)}
    assert method == "exact, weighted"


def test_pagerank_matches_networkx():
    projection = les_miserables()
    scores, _ = centrality_scores(projection, "pagerank")
    expected = nx.pagerank(projection.to_networkx(), weight="weight", tol=1e-12)
    assert scores.tolist() == pytest.approx([expected[author] for author in projection.ids], abs=1e-6)


def test_exact_betweenness_matches_networkx():
    projection = les_miserables()
    scores, method = centrality_scores(projection, "betweenness")
    expected = nx.betweenness_centrality(projection.to_networkx(), normalized=False, weight=None)
    assert scores.tolist() == pytest.approx([expected[author] for author in projection.ids])
    assert method == "exact, in hops"


def test_sampling_every_source_gives_the_exact_betweenness():
    network = les_miserables().to_igraph()
    assert sampled_betweenness(network, list(range(network.vcount()))).tolist() == pytest.approx(
        network.betweenness(directed=False)
    )


def test_large_graphs_get_sampled_betweenness_and_say_so(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(centrality, "EXACT_BETWEENNESS_LIMIT", 10)
    projection = les_miserables()
    scores, method = centrality_scores(projection, "betweenness", seed=4, samples=30)
    again, _ = centrality_scores(projection, "betweenness", seed=4, samples=30)
    assert method == "sampled: 30 of 77 source authors (seed 4), in hops"
    assert scores.tolist() == again.tolist()
    exact = les_miserables().to_igraph().betweenness(directed=False)
    assert int(np.argmax(scores)) == int(np.argmax(exact))  # Valjean stands out either way


def test_projection_from_edges_numbers_authors_in_id_order_and_keeps_each_pair_once():
    projection = Projection.from_edges([("b", "a", 2.0), ("a", "b", 2.0), ("c", "a", 1.0)], nodes=["d"])
    assert projection.ids == ("a", "b", "c", "d")
    assert projection.edges() == [("a", "b", 2.0), ("a", "c", 1.0)]
    assert sorted(projection.to_networkx().degree) == [("a", 2), ("b", 1), ("c", 1), ("d", 0)]
