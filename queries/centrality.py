"""Who is central: degree, strength, PageRank and betweenness on a projection; bridges between stored communities.

Betweenness is exact up to :data:`EXACT_BETWEENNESS_LIMIT` authors. Above, it is estimated from ``samples``
source authors drawn with the seed (Brandes and Pich's pivot sampling, scaled to the whole graph), and the
ranking says so in its ``method``.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from graph.errors import NotFound
from queries.communities import distinctive_topics, read_run
from queries.projection import Projection, author_names

if TYPE_CHECKING:
    import igraph

    from graph.connection import Graph

__all__ = [
    "EXACT_BETWEENNESS_LIMIT",
    "MEASURES",
    "Bridge",
    "CommunityDetail",
    "Ranking",
    "centrality_scores",
    "find_bridges",
    "rank_authors",
    "sampled_betweenness",
    "show_community",
]

MEASURES = ("degree", "strength", "pagerank", "betweenness")
EXACT_BETWEENNESS_LIMIT = 5_000

CROSS_TIES = """
MATCH (r:CommunityRun {name: $run})<-[:IN_RUN]-(c:Community)<-[:MEMBER_OF]-(a:Author)-[t:COAUTHOR]-(b:Author),
      (b)-[:MEMBER_OF]->(d:Community)-[:IN_RUN]->(r)
WHERE c <> d
RETURN a.id AS id, a.name AS name, c.index AS community, count(t) AS cross_ties, sum(t.weight) AS cross_weight,
       count(DISTINCT d) AS communities_reached
ORDER BY cross_ties DESC, cross_weight DESC, id
LIMIT $limit
"""

COMMUNITY_TIES = """
MATCH (c:Community {id: $id})<-[:MEMBER_OF]-(a:Author)
OPTIONAL MATCH (a)-[t:COAUTHOR]-(b:Author)
OPTIONAL MATCH (b)-[:MEMBER_OF]->(d:Community {run: $run})
RETURN a.id AS id, a.name AS name, b.id AS other, t.weight AS weight, d.index AS community
"""


@dataclass(frozen=True)
class RankedAuthor:
    """An author and their score under a ranking's measure."""

    id: str
    name: str
    score: float


@dataclass(frozen=True)
class Ranking:
    """The top authors by ``measure``; ``method`` says how the scores were computed (exact or sampled)."""

    measure: str
    method: str
    authors: tuple[RankedAuthor, ...]


@dataclass(frozen=True)
class Bridge:
    """An author with ties into other communities of a run: how many ties, their weight, how many communities."""

    id: str
    name: str
    community: int
    cross_ties: int
    cross_weight: float
    communities_reached: int


@dataclass(frozen=True)
class CommunityDetail:
    """One stored community: members (by tie weight inside), density, topics, and ties to other communities.

    ``density`` is the share of member pairs that are coauthors; ``neighbours`` maps another community's number
    to the number of ties into it, most first; ``bridges`` are the members with the most such ties.
    """

    run: str
    id: int
    size: int
    members: tuple[RankedAuthor, ...]
    internal_ties: int
    density: float
    topics: tuple[str, ...]
    neighbours: dict[int, int]
    bridges: tuple[RankedAuthor, ...]


def centrality_scores(
    projection: Projection, measure: str, *, seed: int = 42, samples: int = 500
) -> tuple[np.ndarray, str]:
    """One score per projection vertex, and how it was computed.

    degree: coauthors; strength: summed tie weights; pagerank: weighted PageRank (damping 0.85); betweenness:
    shortest paths counted in ties (hops), exact or sampled (see the module docstring).
    """
    network = projection.network
    if measure == "degree":
        return np.asarray(network.degree(), dtype=float), "exact"
    if measure == "strength":
        return np.asarray(network.strength(weights="weight")), "exact, weighted"
    if measure == "pagerank":
        return np.asarray(network.pagerank(weights="weight", directed=False)), "exact, weighted, damping 0.85"
    if measure != "betweenness":
        raise ValueError(f"unknown measure {measure!r} (known: {', '.join(MEASURES)})")
    count = network.vcount()
    if count <= EXACT_BETWEENNESS_LIMIT or samples >= count:
        return np.asarray(network.betweenness(directed=False)), "exact, in hops"
    sources = sorted(random.Random(seed).sample(range(count), samples))
    method = f"sampled: {samples} of {count} source authors (seed {seed}), in hops"
    return sampled_betweenness(network, sources), method


def sampled_betweenness(network: igraph.Graph, sources: list[int]) -> np.ndarray:
    """Betweenness from shortest paths starting at ``sources`` only, scaled to all sources.

    With every vertex as a source this is the exact undirected betweenness.
    """
    partial = np.asarray(network.betweenness(directed=False, sources=sources))
    return partial * network.vcount() / len(sources)


def rank_authors(
    graph: Graph,
    projection: Projection,
    measure: str = "degree",
    *,
    limit: int = 10,
    seed: int = 42,
    samples: int = 500,
) -> Ranking:
    """The ``limit`` top authors of the projection by ``measure`` (ties by author id)."""
    scores, method = centrality_scores(projection, measure, seed=seed, samples=samples)
    top = np.lexsort((np.arange(len(scores)), -scores))[:limit].tolist()
    names = author_names(graph, [projection.ids[vertex] for vertex in top])
    authors = tuple(
        RankedAuthor(projection.ids[v], names.get(projection.ids[v], projection.ids[v]), float(scores[v])) for v in top
    )
    return Ranking(measure, method, authors)


def find_bridges(graph: Graph, run: str, *, limit: int = 10) -> list[Bridge]:
    """The authors of stored run ``run`` with the most COAUTHOR ties to members of other communities."""
    read_run(graph, run)  # NotFound for an unknown run
    return [Bridge(**row) for row in graph.read(CROSS_TIES, run=run, limit=limit)]


def show_community(graph: Graph, run: str, number: int, *, top: int = 10) -> CommunityDetail:
    """Members, density, distinctive topics and neighbouring communities of community ``number`` of ``run``."""
    stored = read_run(graph, run)
    rows = graph.read(COMMUNITY_TIES, id=f"{run}/{number}", run=run)
    if not rows:
        raise NotFound(f"run {run!r} has no community {number}", [f"1 to {max(stored.membership.values())}"])
    names = {row["id"]: row["name"] for row in rows}
    inside: Counter[str] = Counter({author: 0 for author in names})
    outside: Counter[str] = Counter()
    neighbours: Counter[int] = Counter()
    for row in rows:
        if row["community"] == number:
            inside[row["id"]] += row["weight"]
        elif row["community"] is not None:
            outside[row["id"]] += 1
            neighbours[row["community"]] += 1
    internal = sum(1 for row in rows if row["community"] == number) // 2
    size = len(names)
    groups = [[author, number] for author in names]
    return CommunityDetail(
        run=run,
        id=number,
        size=size,
        members=_ranked(inside, names, top),
        internal_ties=internal,
        density=internal / (size * (size - 1) / 2) if size > 1 else 0.0,
        topics=tuple(distinctive_topics(graph, groups, top=5).get(number, ())),
        neighbours=dict(sorted(neighbours.items(), key=lambda item: (-item[1], item[0]))),
        bridges=_ranked(outside, names, top),
    )


def _ranked(scores: Counter[str], names: dict[str, str], top: int) -> tuple[RankedAuthor, ...]:
    ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:top]
    return tuple(RankedAuthor(author, names[author], float(score)) for author, score in ordered)
