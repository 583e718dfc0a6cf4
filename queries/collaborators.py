"""Who an author works with: coauthor lists and the ego network around an author."""

from __future__ import annotations

from dataclasses import dataclass

from graph.connection import Graph
from queries.authors import find_author

__all__ = ["Coauthor", "EgoEdge", "EgoNetwork", "EgoNode", "ego_network", "find_coauthors"]

COAUTHORS = """
MATCH (:Author {id: $id})-[c:COAUTHOR]-(b:Author)
RETURN b.id AS id, b.name AS name, c.weight AS weight, c.first_year AS first_year, c.last_year AS last_year
ORDER BY weight DESC, name, id
LIMIT $limit
"""

NEIGHBOURS = """
UNWIND $ids AS id
MATCH (:Author {id: id})-[c:COAUTHOR]-(b:Author)
RETURN b.id AS id, sum(c.weight) AS weight
"""

AUTHOR_SUMMARIES = """
UNWIND $ids AS id
MATCH (a:Author {id: id})
CALL (a) {
  MATCH (a)-[:AUTHORED]->(p:Paper)
  RETURN count(p) AS papers, min(p.year) AS first_year, max(p.year) AS last_year
}
CALL (a) {
  MATCH (a)-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(t:Topic)
  WITH t.name AS topic, count(*) AS uses ORDER BY uses DESC, topic LIMIT 3
  RETURN collect(topic) AS top_topics
}
RETURN a.id AS id, a.name AS name, papers, first_year, last_year, top_topics
"""

TIES_AMONG = """
UNWIND $ids AS id
MATCH (a:Author {id: id})-[c:COAUTHOR]->(b:Author)
WHERE b.id IN $ids
RETURN a.id AS source, b.id AS target, c.weight AS weight
ORDER BY source, target
"""


@dataclass(frozen=True)
class Coauthor:
    """A coauthor and the tie: ``weight`` distinct joint papers between ``first_year`` and ``last_year``."""

    id: str
    name: str
    weight: int
    first_year: int | None
    last_year: int | None


@dataclass(frozen=True)
class EgoNode:
    """An author in an ego network, with what a tooltip shows about them."""

    id: str
    name: str
    papers: int
    top_topics: tuple[str, ...]
    first_year: int | None
    last_year: int | None
    hops: int


@dataclass(frozen=True)
class EgoEdge:
    """A COAUTHOR tie: ``weight`` distinct joint papers."""

    source: str
    target: str
    weight: int


@dataclass(frozen=True)
class EgoNetwork:
    """The authors within ``depth`` hops of ``center`` and the ties among them.

    ``reachable`` counts every author within ``depth`` hops; ``nodes`` may hold fewer when the view was cut.
    """

    center: str
    depth: int
    nodes: tuple[EgoNode, ...]
    edges: tuple[EgoEdge, ...]
    reachable: int = 0


def find_coauthors(graph: Graph, name: str, *, limit: int | None = None) -> list[Coauthor]:
    """The coauthors of the author named (or identified by) ``name``, most joint papers first."""
    author = find_author(graph, name)
    rows = graph.read(COAUTHORS, id=author.id, limit=limit if limit is not None else 2**62)
    return [Coauthor(**row) for row in rows]


def ego_network(graph: Graph, name: str, *, depth: int = 1, max_nodes: int = 300) -> EgoNetwork:
    """The collaboration network within ``depth`` (1 or 2) hops of an author.

    When more than ``max_nodes`` authors are reachable, the closest ones are kept: fewer hops first, then the
    strongest ties to the ring inside them.
    """
    if depth not in (1, 2):
        raise ValueError("depth must be 1 or 2")
    center = find_author(graph, name)
    hops = {center.id: 0}
    ranked = [center.id]
    for hop in range(1, depth + 1):
        ring = [row for row in graph.read(NEIGHBOURS, ids=ranked) if row["id"] not in hops]
        ring.sort(key=lambda row: (-row["weight"], row["id"]))
        hops.update((row["id"], hop) for row in ring)
        ranked += [row["id"] for row in ring]
    kept = ranked[:max_nodes]
    summaries = graph.read(AUTHOR_SUMMARIES, ids=kept)
    nodes = tuple(EgoNode(**{**row, "top_topics": tuple(row["top_topics"])}, hops=hops[row["id"]]) for row in summaries)
    edges = tuple(EgoEdge(**row) for row in graph.read(TIES_AMONG, ids=kept))
    return EgoNetwork(center.id, depth, nodes, edges, reachable=len(ranked))
