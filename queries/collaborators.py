"""Who an author works with: coauthor lists (whole career or a year window, plain or fractional counting), the
papers two authors wrote together, and the ego network around an author.

Fractional counting (Newman 2001): a paper with *n* authors adds 1/(n-1) to each of its authors' ties, so a
two-author paper weighs 1 and a large consortium paper next to nothing; *n* counts the paper's AUTHORED links in
the graph, so an "et al." list that a source cut short (``authors_truncated``) counts only the authors it named and
its share is an upper bound: :attr:`Coauthor.truncated_papers` and :func:`truncated_joint_papers` say how many.

Every count over joint papers keeps to the papers that make COAUTHOR ties (:data:`TIE_PAPER`): a paper of more
than :data:`graph.paper_rows.HYPERAUTHORED` authors (``hyperauthored``) adds no tie, filtered or not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graph.connection import Graph
from queries.authors import (
    CANDIDATE_COLUMNS,
    CANDIDATE_ORDER,
    MATCH_AUTHOR,
    author_params,
    find_author,
    resolve_author,
)

__all__ = [
    "TIE_PAPER",
    "Coauthor",
    "EgoEdge",
    "EgoNetwork",
    "EgoNode",
    "JointPaper",
    "ego_network",
    "find_coauthors",
    "joint_papers",
    "ties_without_papers",
    "truncated_joint_papers",
]

# The joint papers (``p``) that make ties, as the writer draws COAUTHOR: hyperauthored papers make none.
TIE_PAPER = "NOT coalesce(p.hyperauthored, false)"

# The papers (``p``) of the years from $since to $until (inclusive; either may be null); papers without a year drop
# out when either is set.
IN_WINDOW = "($since IS NULL OR p.year >= $since) AND ($until IS NULL OR p.year <= $until)"

# Name resolution and the coauthor list of every candidate in one round trip (one candidate, nearly always).
COAUTHORS = f"""{MATCH_AUTHOR}
CALL (a) {{
  MATCH (a)-[c:COAUTHOR]-(b:Author)
  WITH b, c ORDER BY c.weight DESC, b.name, b.id LIMIT $limit
  RETURN collect({{id: b.id, name: b.name, weight: c.weight, first_year: c.first_year, last_year: c.last_year}})
         AS coauthors
}}
RETURN {CANDIDATE_COLUMNS}, coauthors
{CANDIDATE_ORDER}
"""

COAUTHORS_BY_PAPER = f"""
MATCH (a:Author {{id: $id}})-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b:Author)
USING INDEX a:Author(id)
WHERE b <> a AND {TIE_PAPER} AND {IN_WINDOW}
WITH b, p, COUNT {{ (p)<-[:AUTHORED]-(:Author) }} AS n
RETURN b.id AS id, b.name AS name, count(p) AS weight, sum(1.0 / (n - 1)) AS fractional,
       count(CASE WHEN p.authors_truncated THEN p END) AS truncated_papers,
       min(p.year) AS first_year, max(p.year) AS last_year
ORDER BY CASE WHEN $fractional THEN fractional ELSE weight END DESC, weight DESC, name, id
LIMIT $limit
"""

TIES_WITHOUT_PAPERS = """
MATCH (a:Author {id: $id})-[c:COAUTHOR]-(:Author)
USING INDEX a:Author(id)
WHERE c.without_papers
RETURN count(c) AS ties
"""

TRUNCATED_JOINT_PAPERS = f"""
MATCH (a:Author {{id: $id}})-[:AUTHORED]->(p:Paper)
USING INDEX a:Author(id)
WHERE p.authors_truncated AND {TIE_PAPER} AND {IN_WINDOW} AND EXISTS {{ (p)<-[:AUTHORED]-(b:Author) WHERE b <> a }}
RETURN count(DISTINCT p) AS papers
"""

JOINT_PAPERS = f"""
UNWIND $pairs AS pair
MATCH (a:Author {{id: pair[0]}})-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b:Author {{id: pair[1]}})
USING INDEX a:Author(id)
USING INDEX b:Author(id)
WHERE {TIE_PAPER} AND ($until IS NULL OR p.year <= $until)
WITH pair, p ORDER BY p.year DESC, p.title, p.id
RETURN pair[0] AS a, pair[1] AS b, collect({{id: p.id, title: p.title, year: p.year}}) AS papers
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

# The same two questions counted over the joint papers of year $since or later only.
NEIGHBOURS_SINCE = f"""
UNWIND $ids AS id
MATCH (:Author {{id: id}})-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b:Author)
WHERE p.year >= $since AND {TIE_PAPER} AND b.id <> id
RETURN b.id AS id, count(DISTINCT p) AS weight
"""

TIES_AMONG_SINCE = f"""
UNWIND $ids AS id
MATCH (a:Author {{id: id}})-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b:Author)
WHERE p.year >= $since AND {TIE_PAPER} AND b.id IN $ids AND a.id < b.id
RETURN a.id AS source, b.id AS target, count(DISTINCT p) AS weight
ORDER BY source, target
"""


@dataclass(frozen=True)
class Coauthor:
    """A coauthor and the tie: ``weight`` distinct joint papers between ``first_year`` and ``last_year``;
    ``fractional`` is the fractionally counted weight when it was asked for, and ``truncated_papers`` then counts
    the joint papers whose author lists were cut short ("et al."), whose shares are upper bounds."""

    id: str
    name: str
    weight: int
    first_year: int | None
    last_year: int | None
    fractional: float | None = None
    truncated_papers: int | None = None


@dataclass(frozen=True)
class JointPaper:
    """A paper two authors wrote together."""

    id: str
    title: str
    year: int | None


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
    ``ties_left_out`` counts the centre's ties known without papers, which ``since`` leaves out.
    """

    center: str
    depth: int
    nodes: tuple[EgoNode, ...]
    edges: tuple[EgoEdge, ...]
    reachable: int = 0
    since: int | None = None
    ties_left_out: int = 0


def find_coauthors(
    graph: Graph,
    name: str,
    *,
    limit: int | None = None,
    since: int | None = None,
    until: int | None = None,
    fractional: bool = False,
) -> list[Coauthor]:
    """The coauthors of the author named (or identified by) ``name``, most joint papers first.

    With ``since``/``until`` only papers of those years (inclusive; papers without a year drop out) count, and
    with ``fractional`` each paper adds 1/(n-1) and the list is ordered by that. Both count over AUTHORED
    links, so ties known without papers (edge lists) appear only in the plain, windowless list; hyperauthored
    papers count in neither, as in the COAUTHOR ties.
    """
    limit = limit if limit is not None else 2**62
    if since is None and until is None and not fractional:
        chosen = resolve_author(graph, name, graph.read(COAUTHORS, **author_params(name), limit=limit))
        return [Coauthor(**row) for row in chosen["coauthors"]]
    author = find_author(graph, name)
    rows = graph.read(COAUTHORS_BY_PAPER, id=author.id, since=since, until=until, fractional=fractional, limit=limit)
    if fractional:
        return [Coauthor(**row) for row in rows]
    return [Coauthor(**{**row, "fractional": None, "truncated_papers": None}) for row in rows]


def ties_without_papers(graph: Graph, name: str) -> int:
    """How many ties of the author named (or identified by) ``name`` are known without papers (SNAP, GML): the
    coauthor lists counted over papers (``since``, ``until``, ``fractional``) leave them out."""
    return _ties_without_papers(graph, find_author(graph, name).id)


def _ties_without_papers(graph: Graph, author_id: str) -> int:
    return graph.read(TIES_WITHOUT_PAPERS, id=author_id)[0]["ties"]


def truncated_joint_papers(graph: Graph, name: str, *, since: int | None = None, until: int | None = None) -> int:
    """How many of the joint papers of the author named (or identified by) ``name`` (in the years ``since`` to
    ``until``, as :func:`find_coauthors` counts them) have author lists cut short ("et al."): their fractional
    shares, over the authors named only, are upper bounds."""
    author_id = find_author(graph, name).id
    return graph.read(TRUNCATED_JOINT_PAPERS, id=author_id, since=since, until=until)[0]["papers"]


def joint_papers(
    graph: Graph, pairs: Iterable[tuple[str, str]], *, until: int | None = None
) -> dict[tuple[str, str], tuple[JointPaper, ...]]:
    """(author id, author id) -> the papers behind their tie (up to year ``until``; no hyperauthored one), latest
    first; absent when none."""
    rows = graph.read(JOINT_PAPERS, pairs=[list(pair) for pair in pairs], until=until)
    return {(row["a"], row["b"]): tuple(JointPaper(**paper) for paper in row["papers"]) for row in rows}


def ego_network(
    graph: Graph, name: str, *, depth: int = 1, max_nodes: int = 300, since: int | None = None
) -> EgoNetwork:
    """The collaboration network within ``depth`` (1 or 2) hops of an author; with ``since``, only the ties of
    joint papers of that year or later, weighted by those papers (``ties_left_out`` counts the author's ties known
    without papers).

    When more than ``max_nodes`` authors are reachable, the closest ones are kept: fewer hops first, then the
    strongest ties to the ring inside them.
    """
    if depth not in (1, 2):
        raise ValueError("depth must be 1 or 2")
    center = find_author(graph, name)
    hops = {center.id: 0}
    ranked = [center.id]
    for hop in range(1, depth + 1):
        neighbours = (
            graph.read(NEIGHBOURS_SINCE, ids=ranked, since=since) if since else graph.read(NEIGHBOURS, ids=ranked)
        )
        ring = [row for row in neighbours if row["id"] not in hops]
        ring.sort(key=lambda row: (-row["weight"], row["id"]))
        hops.update((row["id"], hop) for row in ring)
        ranked += [row["id"] for row in ring]
    kept = ranked[:max_nodes]
    summaries = graph.read(AUTHOR_SUMMARIES, ids=kept)
    nodes = tuple(EgoNode(**{**row, "top_topics": tuple(row["top_topics"])}, hops=hops[row["id"]]) for row in summaries)
    ties = graph.read(TIES_AMONG_SINCE, ids=kept, since=since) if since else graph.read(TIES_AMONG, ids=kept)
    edges = tuple(EgoEdge(**row) for row in ties)
    left_out = _ties_without_papers(graph, center.id) if since else 0
    return EgoNetwork(center.id, depth, nodes, edges, reachable=len(ranked), since=since, ties_left_out=left_out)
