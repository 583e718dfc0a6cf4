"""Stream the coauthorship graph out of Neo4j into igraph or networkx, whole or filtered.

A projection is read in pages of authors (ordered by id, through the ``author_id`` index): each page is one query
that answers one record holding every tie of its authors, so the cost is a few round trips, never one per author.
Vertices are numbered in author-id order and edges are sorted, so the same graph always gives the same projection,
whatever order the server stores it in (algorithms that depend on input order stay reproducible).

Ties travel by the nodes' internal ids (integers: on a generated 3.7M-tie graph the driver decoded them in a
quarter of the time author ids took, and the server reads no property), mapped back to author ids before
anything is returned. All the queries of one projection run in one read transaction, so the ids agree. ``id()`` is
deprecated, but its replacement ``elementId()`` builds a string per tie: on ca-AstroPh (198k ties) that cost half
the speed (144k against 307k edges/s, median of 8 runs on a loaded machine), so ``id()`` stays until Neo4j drops it.

Filters
-------
- ``first_year``/``last_year`` and ``topic`` count joint papers (AUTHORED) published in those years, or carrying
  the topic or one of its subtopics (named as :func:`queries.topics.find_topic` reads it); the edge weight is
  then the number of such joint papers, and ties known without papers drop out (:func:`ties_left_out` counts
  them). Hyperauthored papers never count, as in the COAUTHOR ties (:data:`queries.collaborators.TIE_PAPER`).
- ``min_weight`` keeps edges of at least that weight (after the other filters).
- ``around`` with ``hops`` keeps the authors within ``hops`` ties of one author, and the edges among them; hops
  are counted over the filtered edges.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import chain
from typing import TYPE_CHECKING, Any

import numpy as np

from queries.authors import find_author
from queries.collaborators import TIE_PAPER
from queries.topics import find_topic

if TYPE_CHECKING:
    import igraph
    import neo4j
    import networkx

    from graph.connection import Graph

__all__ = [
    "PAPER_FILTER",
    "Projection",
    "ProjectionFilter",
    "author_names",
    "filter_parameters",
    "project_coauthors",
    "ties_left_out",
]

# A page of authors is one record: their ids and internal ids, and every tie of theirs as three flat lists: the
# author's position in the page, the neighbour's internal id, the tie's weight. Flat lists decode faster than one list
# per author, and one MATCH over the page is cheaper on the server than a subquery per author.
# Paging reads each pair once (COAUTHOR outwards, joint papers towards the larger internal id); hops read every
# neighbour. Only authors write papers and have COAUTHOR ties, so b is not checked for its label (a third of the time).
PAGE = """
{authors}
WITH collect(a) AS authors
CALL (authors) {{
  UNWIND range(0, size(authors) - 1) AS i
  WITH i, authors[i] AS a
  {ties}
}}
RETURN [a IN authors | a.id] AS ids, [a IN authors | id(a)] AS keys, heads, tails, weights
"""

AUTHORS_IN_ID_ORDER = "MATCH (a:Author) WHERE a.id > $after WITH a ORDER BY a.id LIMIT $page"

LISTED_AUTHORS = "UNWIND $keys AS key MATCH (a:Author) WHERE id(a) = key"

STORED_TIES = """
MATCH (a)-[c:COAUTHOR]->(b)
WHERE c.weight >= $min_weight
RETURN collect(i) AS heads, collect(id(b)) AS tails, collect(c.weight) AS weights
"""

STORED_NEIGHBOURS = """
MATCH (a)-[c:COAUTHOR]-(b)
WHERE c.weight >= $min_weight
RETURN collect(i) AS heads, collect(id(b)) AS tails, collect(c.weight) AS weights
"""

# The joint papers that make ties and pass the year and topic filters (``p`` is the paper); queries.gds projects
# with it too.
PAPER_FILTER = f"""{TIE_PAPER}
  AND ($first_year IS NULL OR p.year >= $first_year)
  AND ($last_year IS NULL OR p.year <= $last_year)
  AND ($topics IS NULL OR EXISTS {{ MATCH (p)-[:HAS_TOPIC]->(t:Topic) WHERE t.id IN $topics }})"""

PAPER_TIES = f"""
MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b)
WHERE ($every_neighbour OR id(a) < id(b))
  AND {PAPER_FILTER}
WITH i, b, count(DISTINCT p) AS weight
WHERE weight >= $min_weight
RETURN collect(i) AS heads, collect(id(b)) AS tails, collect(weight) AS weights
"""

AUTHOR_KEY = "MATCH (a:Author {id: $id}) RETURN id(a) AS key"

# The ties known without papers (SNAP, GML) that the unfiltered projection keeps: in the whole graph, or among the
# authors of a neighbourhood.
PAPERLESS_TIES = """
MATCH ()-[c:COAUTHOR]->()
WHERE c.without_papers AND c.weight >= $min_weight
RETURN count(c) AS ties
"""

PAPERLESS_TIES_AMONG = """
UNWIND $ids AS id
MATCH (:Author {id: id})-[c:COAUTHOR]->(b:Author)
WHERE c.without_papers AND c.weight >= $min_weight AND b.id IN $ids
RETURN count(c) AS ties
"""

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
    params = filter_parameters(graph, where)
    ties = PAPER_TIES if where.by_papers else STORED_TIES
    if where.around is None:
        query = PAGE.format(authors=AUTHORS_IN_ID_ORDER, ties=ties)
        return _assemble(graph.execute_read(_read_pages, query, params, page_size), where)
    center = find_author(graph, where.around).id
    query = PAGE.format(authors=LISTED_AUTHORS, ties=STORED_NEIGHBOURS if ties is STORED_TIES else ties)
    pages = graph.execute_read(_read_neighbourhood, query, params, center, where.hops, page_size)
    return _assemble(pages, where, center)


def ties_left_out(graph: Graph, where: ProjectionFilter) -> int:
    """How many ties known without papers (SNAP, GML) the year and topic filters of ``where`` leave out: those the
    projection without them would keep (in the whole graph, or in the ``around`` neighbourhood it would reach).

    0 without a year or topic filter. Ties with joint papers that the filters drop are not counted.
    """
    if not where.by_papers:
        return 0
    if where.around is None:
        return graph.read(PAPERLESS_TIES, min_weight=where.min_weight)[0]["ties"]
    unfiltered = project_coauthors(graph, replace(where, first_year=None, last_year=None, topic=None))
    return graph.read(PAPERLESS_TIES_AMONG, ids=list(unfiltered.ids), min_weight=where.min_weight)[0]["ties"]


def author_names(graph: Graph, ids: Iterable[str]) -> dict[str, str]:
    """Author id -> name, in one query."""
    return {row["id"]: row["name"] for row in graph.read(AUTHOR_NAMES, ids=list(ids))}


def filter_parameters(graph: Graph, where: ProjectionFilter) -> dict[str, Any]:
    """The query parameters of ``where`` (the topic resolved to its id and its subtopics' ids)."""
    topics = list(find_topic(graph, where.topic).scope) if where.topic is not None else None
    return {
        "min_weight": where.min_weight,
        "first_year": where.first_year,
        "last_year": where.last_year,
        "topics": topics,
        "every_neighbour": False,
    }


def _page(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> list:
    """``[ids, keys, heads, tails, weights]`` of one page, as the driver decoded them (no ``Record.data()`` copy)."""
    return tx.run(query, params).single(strict=True).values()


def _read_pages(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any], page_size: int) -> list[list]:
    """Every author's ties, ``page_size`` authors at a time in author-id order (a short page is the last)."""
    pages, after = [], ""
    while True:
        page = _page(tx, query, {**params, "after": after, "page": page_size})
        if page[0]:
            pages.append(page)
        if len(page[0]) < page_size:
            return pages
        after = page[0][-1]


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
        if not frontier:  # everyone reachable is read: more hops find no one
            break
        ring = [
            _page(tx, query, {**params, "keys": frontier[i : i + page_size]})
            for i in range(0, len(frontier), page_size)
        ]
        pages += ring
        if hop < hops:
            frontier = sorted({key for page in ring for key in page[3]} - kept)
            kept.update(frontier)
    return pages


def _assemble(pages: list[list], where: ProjectionFilter, center: str | None = None) -> Projection:
    """Map the pages' internal ids to their authors, in reading order; ties to authors outside the pages drop out."""
    names = list(chain.from_iterable(page[0] for page in pages))
    keys, tails = _concatenated(pages, 1, np.int64), _concatenated(pages, 3, np.int64)
    sizes = [len(page[2]) for page in pages]
    offsets = np.repeat(np.cumsum([0] + [len(page[0]) for page in pages])[:-1], sizes)  # each tie's page start
    heads = _concatenated(pages, 2, np.int64) + offsets
    weights = _concatenated(pages, 4, np.float64)
    slot = _positions(keys, tails)
    known = slot >= 0
    extra = [names.index(center)] if center is not None else []
    return _numbered(names, heads[known], slot[known], weights[known], extra, where)


def _positions(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """The index in ``keys`` (distinct non-negative integers) of each ``wanted`` value, -1 where it is absent.

    Internal ids are dense (the server reuses freed ones), so a lookup table indexed by id usually costs a few bytes
    per author and answers at memory speed; ids spread much wider than the authors fall back to a binary search.
    """
    found = np.full(len(wanted), -1, dtype=np.int64)
    if not len(keys) or not len(wanted):
        return found
    top = int(max(keys.max(), wanted.max()))
    if top < 16 * len(keys) + (1 << 20):
        lookup = np.full(top + 1, -1, dtype=np.int64)
        lookup[keys] = np.arange(len(keys))
        return lookup[wanted]
    order = np.argsort(keys)
    ordered = keys[order]
    slot = np.minimum(np.searchsorted(ordered, wanted), len(keys) - 1)
    hit = ordered[slot] == wanted
    found[hit] = order[slot[hit]]
    return found


def _concatenated(pages: list[list], column: int, dtype: type) -> np.ndarray:
    """One array of the pages' lists in ``column`` (numpy reads a flat list at C speed)."""
    return np.concatenate([np.zeros(0, dtype)] + [np.asarray(page[column], dtype) for page in pages])


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
    pairs = sources * len(ranked) + targets  # one sort key per edge: a stable sort of it is a lexsort, 3x faster
    order = np.argsort(pairs, kind="stable")
    pairs = pairs[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = pairs[1:] != pairs[:-1]
    kept = order[first]
    ids = tuple(used_names[index] for index in ranked)
    return Projection(ids, sources[kept], targets[kept], weights[kept], where)
