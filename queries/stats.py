"""How big the graph is."""

from __future__ import annotations

from dataclasses import dataclass

from graph.connection import Graph

__all__ = ["GraphStats", "graph_stats"]

COUNTS = """
RETURN COUNT { MATCH (:Author) } AS authors,
       COUNT { MATCH (:Paper) } AS papers,
       COUNT { MATCH (:Topic) } AS topics,
       COUNT { MATCH (:Author)-[:AUTHORED]->(:Paper) } AS authored,
       COUNT { MATCH (:Author)-[:COAUTHOR]->(:Author) } AS coauthor_pairs
"""


@dataclass(frozen=True)
class GraphStats:
    """Node and relationship counts; ``coauthor_pairs`` counts each pair of coauthors once."""

    authors: int
    papers: int
    topics: int
    authored: int
    coauthor_pairs: int


def graph_stats(graph: Graph) -> GraphStats:
    """Count authors, papers, topics, AUTHORED relationships and COAUTHOR pairs."""
    return GraphStats(**graph.read(COUNTS)[0])
