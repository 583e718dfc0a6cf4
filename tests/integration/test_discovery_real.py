"""Collaborator discovery on real data loaded into a real Neo4j (OpenAlex works with topics, years, citations and
abstracts; a DBLP journal subset): every answer equals networkx's on an export of the graph, for a fixed sample
of authors, pairs and topics, and every query stays index-backed on the loaded data."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from itertools import product

import networkx as nx
import pytest
from test_discovery_oracle import (
    Export,
    check_coauthors,
    check_experts,
    check_paths,
    check_profile,
    check_recommend,
    check_similar,
    export,
    papers_with_word,
)
from test_discovery_plans import assert_index_backed

from graph.config import Settings
from graph.connection import Graph, connect
from graph.writer import delete_everything, write_records
from loaders import FORMATS, read_file
from queries.search import search_papers

DATASETS = {"openalex": "openalex/works_union_602.jsonl.gz", "dblp": "dblp/dblp_small_acta.xml"}
SAMPLE = 40


@pytest.fixture(scope="module", params=sorted(DATASETS))
def real(request: pytest.FixtureRequest, neo4j_settings: Settings, shared_dir) -> Iterator[tuple[Graph, Export]]:
    """One real file loaded once for the module (the tests only read)."""
    if request.param not in FORMATS:
        pytest.skip(f"no {request.param} loader is registered in loaders.FORMATS")
    result = read_file(shared_dir / "data" / DATASETS[request.param], as_of=date(2026, 11, 27))
    with connect(neo4j_settings) as graph:
        delete_everything(graph)
        write_records(graph, result.papers, result.profiles, result.ties, batch_size=2000)
        yield graph, export(graph)


def sample(exp: Export, k: int = SAMPLE) -> list[str]:
    """The best-connected authors (hubs stress the scores) and a seeded random sample of the rest."""
    hubs = sorted(exp.ties, key=lambda a: (-exp.ties.degree(a), a))[: k // 4]
    rest = sorted(set(exp.authors()) - set(hubs))
    return hubs + random.Random(5).sample(rest, min(len(rest), k - len(hubs)))


def test_real_recommendations_match_networkx(real: tuple[Graph, Export]):
    graph, exp = real
    counts = [
        check_recommend(graph, exp, author, depth=depth, since=since)
        for author, depth, since in product(sample(exp), (2, 3), (None, 2010))
    ]
    assert sum(counts) > 20  # not vacuous: candidates were compared


def pairs(exp: Export, sources: int = 15) -> list[tuple[str, str]]:
    """From authors of the largest component: one target at each distance, the farthest, and random others."""
    rng = random.Random(5)
    largest = sorted(max_component(exp))
    found = []
    for source in rng.sample(largest, min(sources, len(largest))):
        by_distance = {}
        for target, hops in sorted(nx.single_source_shortest_path_length(exp.ties, source).items()):
            by_distance.setdefault(hops, target)
        found += [(source, target) for target in by_distance.values()]
        found += [(source, target) for target in rng.sample(exp.authors(), 3)]
    return found


def max_component(exp: Export) -> nx.Graph:
    return exp.ties.subgraph(max(nx.connected_components(exp.ties), key=len))


def test_real_paths_match_networkx(real: tuple[Graph, Export]):
    graph, exp = real
    distances = [check_paths(graph, exp, a, b, as_of=as_of) for a, b in pairs(exp) for as_of in (None, 2015)]
    # every length the largest component offers was checked (OpenAlex's is one large-team clique), and no-paths
    assert {d for d in distances if d is not None} == set(range(nx.diameter(max_component(exp)) + 1))
    assert None in distances


def test_real_coauthors_experts_similar_profiles_match(real: tuple[Graph, Export]):
    graph, exp = real
    for author in sample(exp, 25):
        check_coauthors(graph, exp, author)
        check_coauthors(graph, exp, author, since=2010, until=2020)
        check_similar(graph, exp, author)
        check_profile(graph, exp, author)
    for topic in sorted(set(exp.tree) - set(exp.topic_names)) + random.Random(5).sample(
        sorted(exp.topic_names), min(30, len(exp.topic_names))
    ):
        check_experts(graph, exp, topic)


def test_real_search_matches_word_occurrences(real: tuple[Graph, Export]):
    graph, _exp = real
    for word in ("biodiversity", "finance", "climate", "data", "algorithm", "graphs"):
        assert {hit.id for hit in search_papers(graph, word, limit=10_000)} == papers_with_word(graph, word), word


def test_real_queries_stay_index_backed(real: tuple[Graph, Export]):
    assert_index_backed(real[0])
