"""Communities and PageRank inside Neo4j, with the Graph Data Science library (GDS) where the server has it.

The engine behind ``--engine gds``. The coauthorship graph is projected into GDS's in-memory catalog under a fresh
name with a Cypher projection that applies the filters of :mod:`queries.projection` (stored COAUTHOR ties of at
least ``min_weight``, or joint papers counted by year and topic), made undirected and weighted; the algorithm runs
there, and the in-memory graph is dropped afterwards, on errors too. A neighbourhood (``around``) is read with
:func:`queries.projection.project_coauthors` first (it is small: one query per hop) and its edges projected as
they are.

Every algorithm runs on one thread (``concurrency: 1``): GDS's parallel runs depend on thread scheduling, so only
one thread repeats. GDS's results also depend on the order in which the projection meets the authors, so the
projection sorts its rows by author id: the same data and seed give the same communities, however it was stored.
Leiden takes the seed (``randomSeed``) and the resolution (``gamma``); GDS's Louvain has neither (it is
deterministic on one thread, at resolution 1). PageRank is weighted, damping 0.85, and scaled to sum to 1
(``scaler: "L1Norm"``), as igraph's is, so the two engines' scores compare directly.

The answers are the Python engine's types: a :class:`~queries.communities.Partition` (membership in author-id
order, communities numbered largest first, GDS's own modularity of it) and a
:class:`~queries.centrality.Ranking`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph.connection import translated_errors
from graph.errors import CoauthorError
from queries.centrality import RankedAuthor, Ranking
from queries.communities import Partition, SweepPoint, renumber, sweep_point
from queries.projection import PAPER_FILTER, ProjectionFilter, filter_parameters, project_coauthors

if TYPE_CHECKING:
    import neo4j

    from graph.connection import Graph

__all__ = [
    "GDS_ALGORITHMS",
    "GDS_HINT",
    "GdsCommunities",
    "detect_communities_gds",
    "gds_version",
    "rank_authors_gds",
    "sweep_resolutions_gds",
]

GDS_ALGORITHMS = ("leiden", "louvain")
GDS_HINT = (
    "start the local server with `coauthor db start --with-gds`, or `docker compose up -d` (docker-compose.yml "
    "enables GDS); or use --engine python"
)

HAS_GDS = "SHOW FUNCTIONS YIELD name WHERE name = 'gds.version' RETURN count(*) AS found"
VERSION = "RETURN gds.version() AS version"

# Each projection yields one row: the node and relationship counts of the in-memory graph. GDS numbers the nodes
# in the order rows arrive, and its results depend on that numbering: rows are sorted by author id (each tie with
# the smaller id first), so the same data gives the same communities however it was stored.
_PROJECT = """
WITH CASE WHEN b IS NULL OR a.id < b.id THEN [a, b] ELSE [b, a] END AS ends, weight
WITH ends[0] AS a, ends[1] AS b, weight
ORDER BY a.id, b.id
WITH gds.graph.project($name, a, b, {relationshipProperties: {weight: toFloat(weight)}},
                       {undirectedRelationshipTypes: ['*']}) AS projected
RETURN projected.nodeCount AS nodes, projected.relationshipCount AS ties
"""

PROJECT_STORED_TIES = f"""
MATCH (a:Author)-[c:COAUTHOR]->(b)
WHERE c.weight >= $min_weight
WITH a, b, c.weight AS weight
{_PROJECT}"""

PROJECT_PAPER_TIES = f"""
MATCH (a:Author)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b)
WHERE elementId(a) < elementId(b)
  AND {PAPER_FILTER}
WITH a, b, count(DISTINCT p) AS weight
WHERE weight >= $min_weight
{_PROJECT}"""

# A neighbourhood's edges as read in Python: [author id, author id or null (an author without ties), weight].
PROJECT_EDGES = f"""
UNWIND $edges AS edge
MATCH (a:Author {{id: edge[0]}})
OPTIONAL MATCH (b:Author {{id: edge[1]}})
WITH a, b, edge[2] AS weight
{_PROJECT}"""

DROP = "CALL gds.graph.drop($name, false) YIELD graphName RETURN graphName"

MUTATE = {
    "leiden": "CALL gds.leiden.mutate($name, $config) YIELD modularity RETURN modularity",
    "louvain": "CALL gds.louvain.mutate($name, $config) YIELD modularity RETURN modularity",
}

# For a graph without ties, on which GDS 2.13's Leiden fails (NullPointerException): each author alone.
ALONE = "CALL gds.wcc.mutate($name, {mutateProperty: $property, concurrency: 1}) YIELD componentCount RETURN 1"

MEMBERSHIP = """
CALL gds.graph.nodeProperty.stream($name, $property) YIELD nodeId, propertyValue
RETURN collect(gds.util.asNode(nodeId).id) AS ids, collect(propertyValue) AS communities
"""

TOP_PAGERANK = """
CALL gds.pageRank.stream($name, $config) YIELD nodeId, score
WITH gds.util.asNode(nodeId) AS author, score
ORDER BY score DESC, author.id
LIMIT $limit
RETURN author.id AS id, coalesce(author.name, author.id) AS name, score
"""

PAGERANK_CONFIG = {
    "relationshipWeightProperty": "weight",
    "dampingFactor": 0.85,
    "maxIterations": 1000,
    "tolerance": 1e-10,
    "scaler": "L1Norm",
    "concurrency": 1,
}


@dataclass(frozen=True)
class GdsCommunities:
    """Communities found by GDS: ``partition.membership[i]`` is the community of author ``ids[i]`` (ids sorted).

    The ids are those of :func:`queries.projection.project_coauthors` with the same filter, in the same order.
    """

    ids: tuple[str, ...]
    partition: Partition


def gds_version(graph: Graph) -> str:
    """The server's GDS version; CoauthorError (exit code 1, with a hint) when the server has no GDS."""
    if not graph.read(HAS_GDS)[0]["found"]:
        raise CoauthorError(f"the Neo4j server at {graph.settings.uri} has no Graph Data Science plugin", GDS_HINT)
    return graph.read(VERSION)[0]["version"]


def detect_communities_gds(
    graph: Graph,
    where: ProjectionFilter | None = None,
    algorithm: str = "leiden",
    *,
    resolution: float = 1.0,
    seed: int = 42,
) -> GdsCommunities:
    """Find communities with GDS's Leiden (modularity, ``gamma = resolution``, seeded) or Louvain.

    Louvain takes no resolution other than 1 and no seed (ValueError for another resolution).

    Examples
    --------
    >>> found = detect_communities_gds(graph, algorithm="leiden", seed=7)  # doctest: +SKIP
    >>> found.partition.sizes[:3], round(found.partition.modularity, 3)  # doctest: +SKIP
    ((412, 390, 377), 0.741)
    """
    if algorithm not in GDS_ALGORITHMS:
        raise ValueError(f"GDS runs {', '.join(GDS_ALGORITHMS)}, not {algorithm!r}")
    if algorithm == "louvain" and resolution != 1.0:
        raise ValueError("GDS's Louvain has no resolution parameter: use Leiden (its gamma) or the Python engine")
    with _projected(graph, where or ProjectionFilter()) as projected:
        return _communities(projected, algorithm, resolution, seed, "community")


def sweep_resolutions_gds(
    graph: Graph, where: ProjectionFilter | None, resolutions: Sequence[float], *, seed: int = 42, seeds: int = 5
) -> list[SweepPoint]:
    """:func:`queries.communities.sweep_resolutions` with GDS's Leiden: one projection, ``seeds`` seeded runs per
    resolution."""
    with _projected(graph, where or ProjectionFilter()) as projected:
        return [
            sweep_point(
                resolution,
                [
                    _communities(projected, "leiden", resolution, seed + n, f"community_{step}_{n}").partition
                    for n in range(seeds)
                ],
            )
            for step, resolution in enumerate(resolutions)
        ]


def _communities(
    projected: tuple[neo4j.Session, str, int, int], algorithm: str, resolution: float, seed: int, into: str
) -> GdsCommunities:
    """Run ``algorithm`` on a projected graph, its membership written to node property ``into`` and read back."""
    session, name, nodes, ties = projected
    config: dict[str, Any] = {"mutateProperty": into, "relationshipWeightProperty": "weight", "concurrency": 1}
    parameters: dict[str, Any] = {"engine": "gds", "objective": "modularity", "resolution": resolution}
    if algorithm == "leiden":
        config |= {"gamma": resolution, "randomSeed": seed}
        parameters["seed"] = seed
    if not nodes:
        return GdsCommunities((), Partition(algorithm, parameters, 0.0, (), ()))
    if ties:
        modularity = session.run(MUTATE[algorithm], name=name, config=config).single(strict=True)["modularity"]
    else:
        session.run(ALONE, name=name, property=into).consume()
        modularity = 0.0  # as the Python engine's without ties
    ids, communities = session.run(MEMBERSHIP, name=name, property=into).single(strict=True).values()
    order = sorted(range(len(ids)), key=ids.__getitem__)
    membership, sizes = renumber([communities[vertex] for vertex in order])
    partition = Partition(algorithm, parameters, float(modularity), membership, sizes)
    return GdsCommunities(tuple(ids[vertex] for vertex in order), partition)


def rank_authors_gds(graph: Graph, where: ProjectionFilter | None = None, *, limit: int = 10) -> Ranking:
    """The ``limit`` top authors by GDS's weighted PageRank (damping 0.85, scores summing to 1; ties by id)."""
    with _projected(graph, where or ProjectionFilter()) as (session, name, nodes, _ties):
        rows = session.run(TOP_PAGERANK, name=name, config=PAGERANK_CONFIG, limit=limit).data() if nodes else []
    authors = tuple(RankedAuthor(row["id"], row["name"], float(row["score"])) for row in rows)
    return Ranking("pagerank", "GDS pageRank, weighted, damping 0.85, scores sum to 1", authors)


@contextmanager
def _projected(graph: Graph, where: ProjectionFilter) -> Iterator[tuple[neo4j.Session, str, int, int]]:
    """Project the filtered graph into GDS under a fresh name; yield a session, the name, node and tie counts.

    All steps run in one session, so they reach the server that holds the in-memory graph; it is dropped at the end.
    """
    gds_version(graph)
    query, params = _projection(graph, where)
    name = f"coauthor-{uuid.uuid4().hex}"
    with translated_errors(graph.settings), graph.session() as session:
        try:
            row = session.run(query, {**params, "name": name}).single(strict=True)
            yield session, name, row["nodes"] or 0, row["ties"] or 0
        finally:
            session.run(DROP, name=name).consume()


def _projection(graph: Graph, where: ProjectionFilter) -> tuple[str, dict[str, Any]]:
    """The projection query of ``where`` and its parameters."""
    if where.around is None:
        return (PROJECT_PAPER_TIES if where.by_papers else PROJECT_STORED_TIES), filter_parameters(graph, where)
    neighbourhood = project_coauthors(graph, where)
    linked = set(neighbourhood.sources.tolist()) | set(neighbourhood.targets.tolist())
    alone = [[author, None, None] for vertex, author in enumerate(neighbourhood.ids) if vertex not in linked]
    return PROJECT_EDGES, {"edges": [list(edge) for edge in neighbourhood.edges()] + alone}
