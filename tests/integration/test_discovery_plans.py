"""Every discovery query is parameterized and index-backed: its plan starts from an index (or the full-text
procedure) and never scans all nodes or a whole label, so a single-author query touches only that author's
neighbourhood."""

from __future__ import annotations

from typing import Any

import pytest

from graph.connection import Graph
from graph.model import AuthorRef, Paper, TopicRef
from graph.writer import write_records
from queries import authors, collaborators, experts, paths, profile, recency, recommend, search, similar, topics
from queries.planner import refresh_statistics

SEEKS = {"NodeUniqueIndexSeek", "NodeIndexSeek"}
SCANS = {
    "AllNodesScan",
    "NodeByLabelScan",
    "UnionNodeByLabelsScan",
    "NodeIndexScan",
    "DirectedRelationshipTypeScan",
    "UndirectedRelationshipTypeScan",
    "DirectedAllRelationshipsScan",
    "UndirectedAllRelationshipsScan",
}
QUERIES: list[tuple[str, str, dict[str, Any], set[str]]] = [
    ("find_author", authors.FIND_AUTHOR, authors.author_params("X. Y"), SEEKS),
    ("find_author_dblp_homonym", authors.FIND_AUTHOR, authors.author_params("X Y 0010"), SEEKS),
    ("find_author_last_first", authors.FIND_AUTHOR, authors.author_params("Y, X. Z."), SEEKS),
    ("author_names", authors.AUTHOR_NAMES, {"ids": ["x"]}, SEEKS),
    ("candidate_facts", authors.CANDIDATE_FACTS, {"ids": ["x"]}, SEEKS),
    ("coauthors", collaborators.COAUTHORS, {**authors.author_params("X. Y"), "limit": 5}, SEEKS),
    (
        "coauthors_by_paper",
        collaborators.COAUTHORS_BY_PAPER,
        {"id": "x", "since": 2000, "until": None, "fractional": True, "limit": 5},
        SEEKS,
    ),
    ("joint_papers", collaborators.JOINT_PAPERS, {"pairs": [["x", "y"]], "until": None}, SEEKS),
    ("ties_without_papers", collaborators.TIES_WITHOUT_PAPERS, {"id": "x"}, SEEKS),
    ("ties", recommend.TIES, {"id": "x"}, SEEKS),
    ("two_hops", recommend.TWO_HOPS, {"id": "x", "since": None}, SEEKS),
    ("next_ring", recommend.NEXT_RING, {"ids": ["x"], "since": 2000}, SEEKS),
    ("topic_profiles", topics.TOPIC_PROFILES, {"ids": ["x"]}, SEEKS),
    ("topic_names", topics.TOPIC_NAMES, {"ids": ["t"]}, SEEKS),
    ("subtopics", topics.SUBTOPICS, {"ids": ["t"]}, SEEKS),
    ("shortest", paths.SHORTEST, {"source": "x", "target": "y", "limit": 2}, SEEKS),
    ("shortest_as_of", paths.SHORTEST_AS_OF, {"source": "x", "target": "y", "as_of": 2020, "limit": 2}, SEEKS),
    ("profile_author", profile.AUTHOR, {"id": "x"}, SEEKS),
    ("profile_papers", profile.PAPERS, {"id": "x"}, SEEKS),
    ("similar", similar.SIMILAR, {"id": "x", "norm": 1.0, "include_coauthors": False, "limit": 5}, SEEKS),
    ("experts", experts.PAPERS_IN_SCOPE, {"scope": ["t"]}, SEEKS),
    ("search", search.SEARCH, {"query": "x", "limit": 5}, {"ProcedureCall"}),
    ("latest_year", recency.LATEST_YEAR, {}, {"NodeIndexScan"}),
]


def operators(graph: Graph, query: str, params: dict[str, Any]) -> list[tuple[str, str]]:
    """The plan's operators as (type, details), from EXPLAIN (the query is planned, not run)."""
    with graph.session() as session:
        plan = session.run(f"EXPLAIN {query}", params).consume().plan

    def walk(operator: dict[str, Any]):
        yield operator["operatorType"].split("@")[0], str(operator["args"].get("Details", ""))
        for child in operator.get("children", []):
            yield from walk(child)

    return list(walk(plan))


def assert_index_backed(graph: Graph, queries: list[tuple[str, str, dict[str, Any], set[str]]] = QUERIES) -> None:
    """Each query enters by its expected index operator and reads no other node or relationship set whole."""
    assert refresh_statistics(graph)  # right after a load, stale samples make every plan look free
    for name, query, params, entries in queries:
        found = operators(graph, query, params)
        kinds = {kind for kind, _details in found}
        assert kinds & entries, (name, found)
        assert not kinds & (SCANS - entries), (name, found)


def test_queries_are_index_backed(graph: Graph):
    topic = TopicRef("t", "T", "test")
    papers = [
        Paper(
            f"P{i}", (AuthorRef(f"A{i}", 1), AuthorRef(f"A{i + 1}", 2)), "test", str(i), year=2000 + i, topics=(topic,)
        )
        for i in range(30)
    ]
    write_records(graph, papers)
    assert_index_backed(graph)


def test_the_check_catches_a_label_scan(graph: Graph):
    by_name = ("by_name", "MATCH (a:Author) WHERE a.name = $name RETURN a", {"name": "x"}, SEEKS)
    assert "NodeByLabelScan" in {kind for kind, _details in operators(graph, by_name[1], by_name[2])}
    with pytest.raises(AssertionError):
        assert_index_backed(graph, [by_name])
