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

An in-memory graph is named ``coauthor-<host>-<pid>-<hex>`` after the process that projects it. When a run fails or
is interrupted (Ctrl-C), its session may be broken mid-message: its connection is closed unheard and the graph
dropped on a fresh session, waiting at most :data:`DROP_WAIT` seconds, so that the original error comes out
promptly. Graphs a run could not drop (the process was killed, the server was slow) are dropped by the next run:
those of this host whose process has ended, and any other ``coauthor-`` graph older than :data:`STALE_AFTER`
(another host's, whose processes cannot be seen from here, or an older version's, whose names carry no owner).

The answers are the Python engine's types: a :class:`~queries.communities.Partition` (membership in author-id
order, communities numbered largest first, GDS's own modularity of it) and a
:class:`~queries.centrality.Ranking`.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
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
    "drop_leftovers",
    "gds_version",
    "is_leftover",
    "projection_name",
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

DROP = "UNWIND $names AS name CALL gds.graph.drop(name, false) YIELD graphName RETURN graphName"

# This program's in-memory graphs and their ages in seconds, by the server's clock.
OURS = """
CALL gds.graph.list() YIELD graphName, creationTime
WHERE graphName STARTS WITH $prefix
RETURN graphName AS name, duration.inSeconds(creationTime, datetime()).seconds AS age
"""

PREFIX = "coauthor-"
STALE_AFTER = 24 * 3600
"""Seconds after which a graph whose owner cannot be checked from here counts as left over: far longer than a run."""
DROP_WAIT = 5.0
"""Seconds an interrupted or failed run waits for its graph to be dropped before it gives up (the next run drops it)."""

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
    If anything fails or interrupts the steps, the session is abandoned and the graph dropped on a fresh one.
    """
    gds_version(graph)
    drop_leftovers(graph)
    query, params = _projection(graph, where)
    name = projection_name()
    try:
        with translated_errors(graph.settings), _guarded_session(graph) as session:
            row = session.run(query, {**params, "name": name}).single(strict=True)
            yield session, name, row["nodes"] or 0, row["ties"] or 0
            session.run(DROP, names=[name]).consume()
    except BaseException:
        _drop_in_background(graph, name)
        raise


def projection_name() -> str:
    """A fresh name for an in-memory graph, naming this host and process: ``coauthor-<host>-<pid>-<hex>``."""
    return f"{PREFIX}{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex}"


def is_leftover(name: str, age: float, host: str, running: Callable[[int], bool]) -> bool:
    """Whether in-memory graph ``name``, ``age`` seconds old, was left by a run that has ended: the graph of a process
    of ``host`` (this host) that is not ``running``, or any other older than :data:`STALE_AFTER`."""
    parts = name.removeprefix(PREFIX).rsplit("-", 2)  # host, pid, hex; an older version's: the hex alone
    if len(parts) == 3 and parts[0] == host and parts[1].isdigit():
        return not running(int(parts[1]))
    return age > STALE_AFTER


def drop_leftovers(graph: Graph) -> list[str]:
    """Drop the in-memory graphs that runs which have ended left behind (see :func:`is_leftover`); their names."""
    host = socket.gethostname()
    with translated_errors(graph.settings), _guarded_session(graph) as session:  # its server holds the graphs
        found = session.run(OURS, prefix=PREFIX).data()
        names = [row["name"] for row in found if is_leftover(row["name"], row["age"], host, _running)]
        if names:
            session.run(DROP, names=names).consume()
    return names


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists on this host (signal 0 sends nothing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        return True
    return True


@contextmanager
def _guarded_session(graph: Graph) -> Iterator[neo4j.Session]:
    """A session of ``graph`` whose connection is closed unheard if its work fails or is interrupted (Ctrl-C).

    An interrupt may break a session mid-message, and the driver would then wait forever for an answer that never
    comes, or send its next message out of turn. The driver's own clean-up of a cancelled session closes the
    connection (it offers no public one); the server then ends the query it was running.
    """
    session = graph.session()
    try:
        yield session
    except BaseException:
        session._handle_cancellation(message="abandoned")
        raise
    finally:
        session.close()


def _drop_in_background(graph: Graph, name: str) -> None:
    """Drop in-memory graph ``name`` on a fresh session, waiting at most :data:`DROP_WAIT` seconds; failures are
    ignored (the caller is already failing, and the next run drops what is left)."""
    thread = threading.Thread(target=_drop_quietly, args=(graph, name), name=f"drop {name}", daemon=True)
    thread.start()
    thread.join(DROP_WAIT)


def _drop_quietly(graph: Graph, name: str) -> None:
    """Drop in-memory graph ``name`` on a fresh session; any error is ignored."""
    with suppress(Exception), graph.session() as session:
        session.run(DROP, names=[name]).consume()


def _projection(graph: Graph, where: ProjectionFilter) -> tuple[str, dict[str, Any]]:
    """The projection query of ``where`` and its parameters."""
    if where.around is None:
        return (PROJECT_PAPER_TIES if where.by_papers else PROJECT_STORED_TIES), filter_parameters(graph, where)
    neighbourhood = project_coauthors(graph, where)
    linked = set(neighbourhood.sources.tolist()) | set(neighbourhood.targets.tolist())
    alone = [[author, None, None] for vertex, author in enumerate(neighbourhood.ids) if vertex not in linked]
    return PROJECT_EDGES, {"edges": [list(edge) for edge in neighbourhood.edges()] + alone}
