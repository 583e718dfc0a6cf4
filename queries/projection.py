"""Stream the coauthorship graph out of Neo4j into igraph or networkx, whole or filtered.

A projection is read in pages of authors (ordered by id, through the ``author_id`` index): each page is one query
that answers one record holding every tie of its authors, so the cost is a few round trips, never one per author.
Vertices are numbered in author-id order and edges are sorted, so the same graph always gives the same projection,
whatever order the server stores it in (algorithms that depend on input order stay reproducible).

Ties travel by the nodes' internal ids (integers: on a generated 3.7M-tie graph the driver decoded them in a
quarter of the time author ids took, and the server reads no property), mapped back to author ids before
anything is returned. All the queries of one projection run in one read transaction, so the ids agree.

Filters
-------
- ``first_year``/``last_year`` and ``topic`` count joint papers (AUTHORED) published in those years, or carrying
  the topic or one of its subtopics (named as :func:`queries.topics.find_topic` reads it); the edge weight is
  then the number of such joint papers, and ties without papers drop out.
- ``min_weight`` keeps edges of at least that weight (after the other filters).
- ``around`` with ``hops`` keeps the authors within ``hops`` ties of one author, and the edges among them; hops
  are counted over the filtered edges.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np

from queries.authors import find_author
from queries.topics import find_topic

if TYPE_CHECKING:
    import igraph
    import neo4j
    import networkx

    from graph.connection import Graph

__all__ = ["Projection", "ProjectionFilter", "author_names", "project_coauthors"]

# Tie subqueries: (a) is bound; each yields the internal ids of a's neighbours b and the weight of each tie.
# Paging reads each pair once (COAUTHOR outwards, joint papers towards the larger id); hops read every neighbour.
# Only authors write papers and have COAUTHOR ties, so b is not checked for its label (a third of the time).
STORED_TIES = """
MATCH (a)-[c:COAUTHOR]->(b)
WHERE c.weight >= $min_weight
RETURN collect(id(b)) AS targets, collect(c.weight) AS weights
"""

STORED_NEIGHBOURS = """
MATCH (a)-[c:COAUTHOR]-(b)
WHERE c.weight >= $min_weight
RETURN collect(id(b)) AS targets, collect(c.weight) AS weights
"""

PAPER_TIES = """
MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b)
WHERE ($every_neighbour OR id(a) < id(b))
  AND ($first_year IS NULL OR p.year >= $first_year)
  AND ($last_year IS NULL OR p.year <= $last_year)
  AND ($topics IS NULL OR EXISTS { MATCH (p)-[:HAS_TOPIC]->(t:Topic) WHERE t.id IN $topics })
WITH b, count(DISTINCT p) AS weight
WHERE weight >= $min_weight
RETURN collect(id(b)) AS targets, collect(weight) AS weights
"""

# A page is one record: its authors' ids and internal ids, and per author the targets and weights of its ties.
PAGE_OF_AUTHORS = """
MATCH (a:Author) WHERE a.id > $after
WITH a ORDER BY a.id LIMIT $page
CALL (a) {{ {ties} }}
RETURN collect(a.id) AS ids, collect(id(a)) AS keys, collect(targets) AS targets, collect(weights) AS weights
"""

LISTED_AUTHORS = """
UNWIND $keys AS key
MATCH (a:Author) WHERE id(a) = key
CALL (a) {{ {ties} }}
RETURN collect(a.id) AS ids, collect(id(a)) AS keys, collect(targets) AS targets, collect(weights) AS weights
"""

AUTHOR_KEY = "MATCH (a:Author {id: $id}) RETURN id(a) AS key"

AUTHOR_NAMES = """
UNWIND $ids AS id
MATCH (a:Author {id: id})
RETURN a.id AS id, a.name AS name
"""


@dataclass(frozen=True)
class ProjectionFilter:
    """Which part of the coauthorship graph to project; the defaults take every COAUTHOR tie."""

    first_year: int | None = None
    last_year: int | None = None
    topic: str | None = None
    min_weight: float = 0
    around: str | None = None
    hops: int = 1

    @property
    def by_papers(self) -> bool:
        """Whether edges must be recounted from joint papers (a year or topic filter is set)."""
        return self.first_year is not None or self.last_year is not None or self.topic is not None


@dataclass(frozen=True, eq=False)
class Projection:
    """An undirected weighted graph of authors: vertex ``i`` is the author ``ids[i]``; ids are sorted.

    ``sources``, ``targets`` (vertex numbers, ``sources < targets``) and ``weights`` are parallel arrays,
    sorted by (source, target). Authors without an edge that passes the filter are not vertices, except the
    ``around`` author of a neighbourhood.
    """

    ids: tuple[str, ...]
    sources: np.ndarray
    targets: np.ndarray
    weights: np.ndarray
    filter: ProjectionFilter = field(default_factory=ProjectionFilter)

    @property
    def edge_count(self) -> int:
        return len(self.sources)

    @classmethod
    def from_edges(cls, edges: Iterable[tuple[str, str, float]], nodes: Iterable[str] = ()) -> Projection:
        """A projection of any weighted graph (e.g. topics that share papers); ``nodes`` adds isolated vertices."""
        edges = list(edges)
        position: dict[str, int] = {}
        heads = [position.setdefault(a, len(position)) for a, _b, _w in edges]
        tails = [position.setdefault(b, len(position)) for _a, b, _w in edges]
        extra = [position.setdefault(node, len(position)) for node in nodes]
        weights = np.asarray([w for _a, _b, w in edges], dtype=np.float64)
        return _numbered(
            list(position), np.asarray(heads, np.int64), np.asarray(tails, np.int64), weights, extra, ProjectionFilter()
        )

    def edges(self) -> list[tuple[str, str, float]]:
        """The edges as (author id, author id, weight), the smaller id first."""
        return [
            (self.ids[s], self.ids[t], float(w))
            for s, t, w in zip(self.sources.tolist(), self.targets.tolist(), self.weights.tolist(), strict=True)
        ]

    @cached_property
    def network(self) -> igraph.Graph:
        """This projection as igraph, built once (algorithms share it): read it, change a :meth:`to_igraph` copy.

        Vertex attribute ``name`` is the author id, edge attribute ``weight`` the tie weight.
        """
        import igraph

        pairs = list(zip(self.sources.tolist(), self.targets.tolist(), strict=True))  # igraph's fastest input
        graph = igraph.Graph(n=len(self.ids), edges=pairs, edge_attrs={"weight": self.weights.tolist()})
        graph.vs["name"] = list(self.ids)
        return graph

    def to_igraph(self) -> igraph.Graph:
        """An igraph Graph of one's own, as :attr:`network`."""
        return self.network.copy()

    def to_networkx(self) -> networkx.Graph:
        """A networkx Graph keyed by author id, with edge attribute ``weight``."""
        import networkx

        graph = networkx.Graph()
        graph.add_nodes_from(self.ids)
        graph.add_weighted_edges_from(self.edges())
        return graph


def project_coauthors(graph: Graph, where: ProjectionFilter | None = None, *, page_size: int = 20_000) -> Projection:
    """Read the (filtered) coauthorship graph, ``page_size`` authors per query.

    Raises NotFound when the ``topic`` or the ``around`` author does not exist (AmbiguousName for an author
    name that matches several authors).
    """
    where = where or ProjectionFilter()
    params = _parameters(graph, where)
    if where.around is None:
        query = PAGE_OF_AUTHORS.format(ties=PAPER_TIES if where.by_papers else STORED_TIES)
        return _assemble(graph.execute_read(_read_pages, query, params, page_size), where)
    center = find_author(graph, where.around).id
    query = LISTED_AUTHORS.format(ties=PAPER_TIES if where.by_papers else STORED_NEIGHBOURS)
    pages = graph.execute_read(_read_neighbourhood, query, params, center, where.hops, page_size)
    return _assemble(pages, where, center)


def author_names(graph: Graph, ids: Iterable[str]) -> dict[str, str]:
    """Author id -> name, in one query."""
    return {row["id"]: row["name"] for row in graph.read(AUTHOR_NAMES, ids=list(ids))}


def _parameters(graph: Graph, where: ProjectionFilter) -> dict[str, Any]:
    topics = list(find_topic(graph, where.topic).scope) if where.topic is not None else None
    return {
        "min_weight": where.min_weight,
        "first_year": where.first_year,
        "last_year": where.last_year,
        "topics": topics,
        "every_neighbour": False,
    }


def _page(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> list:
    """``[ids, keys, targets, weights]`` of one page, as the driver decoded them (no ``Record.data()`` copy)."""
    return tx.run(query, params).single(strict=True).values()


def _read_pages(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any], page_size: int) -> list[list]:
    """Every author's ties, ``page_size`` authors at a time in author-id order."""
    pages, after = [], ""
    while (page := _page(tx, query, {**params, "after": after, "page": page_size}))[0]:
        pages.append(page)
        after = page[0][-1]
    return pages


def _read_neighbourhood(
    tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any], center: str, hops: int, page_size: int
) -> list[list]:
    """Breadth-first over the filtered ties from ``center``, one query per hop (per ``page_size`` authors).

    Every author within ``hops`` is read once as a source, the outermost ring too (for the ties inside it).
    """
    params = {**params, "every_neighbour": True}
    start = tx.run(AUTHOR_KEY, id=center).single(strict=True)["key"]
    kept, frontier, pages = {start}, [start], []
    for hop in range(hops + 1):
        ring = [
            _page(tx, query, {**params, "keys": frontier[i : i + page_size]})
            for i in range(0, len(frontier), page_size)
        ]
        pages += ring
        if hop < hops:
            frontier = sorted({key for page in ring for targets in page[2] for key in targets} - kept)
            kept.update(frontier)
    return pages


def _assemble(pages: list[list], where: ProjectionFilter, center: str | None = None) -> Projection:
    """Map the pages' internal ids to their authors; ties to authors outside the pages are dropped."""
    names = [author for page in pages for author in page[0]]
    keys = np.fromiter(chain.from_iterable(page[1] for page in pages), dtype=np.int64, count=len(names))
    counts = np.fromiter((len(targets) for page in pages for targets in page[2]), dtype=np.int64, count=len(names))
    total = int(counts.sum())
    tails = np.fromiter(chain.from_iterable(chain.from_iterable(page[2] for page in pages)), np.int64, count=total)
    weights = np.fromiter(chain.from_iterable(chain.from_iterable(page[3] for page in pages)), np.float64, total)
    heads = np.repeat(np.arange(len(names)), counts)
    order = np.argsort(keys)
    ordered = keys[order]
    slot = np.minimum(np.searchsorted(ordered, tails), max(len(keys) - 1, 0))
    known = ordered[slot] == tails if len(keys) else np.zeros(0, dtype=bool)
    extra = [names.index(center)] if center is not None else []
    return _numbered(names, heads[known], order[slot[known]], weights[known], extra, where)


def _numbered(
    names: list[str],
    heads: np.ndarray,
    tails: np.ndarray,
    weights: np.ndarray,
    extra: list[int],
    where: ProjectionFilter,
) -> Projection:
    """Number the authors (``heads``, ``tails``, ``extra`` index ``names``) in id order and sort the edges.

    Each pair is kept once, the smaller vertex number first (a neighbourhood reads a pair from both ends).
    """
    linked = np.zeros(len(names), dtype=bool)
    for indexes in (heads, tails, extra):
        linked[indexes] = True
    used = np.flatnonzero(linked)
    used_names = [names[index] for index in used.tolist()]
    ranked = sorted(range(len(used_names)), key=used_names.__getitem__)
    vertex = np.empty(len(names), dtype=np.int64)
    vertex[used[ranked]] = np.arange(len(ranked))
    a, b = vertex[heads], vertex[tails]
    sources, targets = np.minimum(a, b), np.maximum(a, b)
    order = np.lexsort((targets, sources))
    sources, targets, weights = sources[order], targets[order], weights[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (sources[1:] != sources[:-1]) | (targets[1:] != targets[:-1])
    ids = tuple(used_names[index] for index in ranked)
    return Projection(ids, sources[first], targets[first], weights[first], where)
