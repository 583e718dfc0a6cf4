"""Communities of coauthors: reproducible detection on a projection, resolution sweeps, and named stored runs.

Every algorithm runs on igraph's C core. The default, igraph's ``community_leiden`` (modularity, 2 iterations),
is the fastest Leiden that ``bench/bench_communities.py`` measured: on the five SNAP networks and a generated
1M-author graph it matched leidenalg's modularity (-0.0001 to +0.0063) at 15 to 27 times its speed; only
networkit's PLM (a refined Louvain, repeatable on one thread only) was as fast or up to 1.6x faster.
Re-measured against it (2026-11-27, CPU time, best of 11 interleaved runs, 2 on 1M): igraph's Leiden takes 1.1-1.9x
PLM's time, 1.1-1.7x when both count their graph build. Nothing faster kept the quality: one iteration halves the
time but lost up to 0.011 (SNAP, over 8 seeds) and 0.037 (1M authors) of modularity against leidenalg; a Louvain
start refined by Leiden costs more than Leiden alone. networkit's ParallelLeiden (one thread, seeded: repeatable;
modularity at or above leidenalg's, 8 seeds on SNAP) took 0.8-1.15x our CPU time, graph builds included: a lead, not
yet the default (networkit is not a declared dependency, and its wall-clock edge was not confirmed under load).
igraph draws its random numbers from a Python generator, so each run gets its own ``random.Random(seed)``:
the same seed and the same projection give the same communities, always.

Communities are numbered from 1, largest first (ties: the one holding the smallest author id first), so their
numbers do not depend on the labels an algorithm happened to use.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any

import igraph
import numpy as np

from graph.connection import translated_errors
from graph.errors import NotFound
from queries.projection import PAPER_FILTER, Projection, ProjectionFilter, author_names, filter_parameters

if TYPE_CHECKING:
    from graph.connection import Graph

__all__ = [
    "ALGORITHMS",
    "MIN_LABEL_PAPERS",
    "OBJECTIVES",
    "CommunitySummary",
    "Partition",
    "StoredRun",
    "SweepPoint",
    "adjusted_rand_index",
    "carried_topics",
    "describe_communities",
    "detect_communities",
    "distinctive_topics",
    "read_run",
    "seeded_random",
    "sweep_point",
    "sweep_resolutions",
    "topic_scores",
    "write_run",
]

ALGORITHMS = ("leiden", "louvain", "lpa", "wcc")
OBJECTIVES = ("modularity", "cpm")

DELETE_MEMBERSHIPS = """
MATCH (:CommunityRun {name: $name})<-[:IN_RUN]-(:Community)<-[m:MEMBER_OF]-(:Author)
CALL (m) { DELETE m } IN TRANSACTIONS OF 10000 ROWS
"""

DELETE_RUN = """
MATCH (r:CommunityRun {name: $name})
OPTIONAL MATCH (r)<-[:IN_RUN]-(c:Community)
DETACH DELETE c, r
"""

CREATE_RUN = """
CREATE (r:CommunityRun {name: $name, algorithm: $algorithm, parameters: $parameters, modularity: $modularity,
                        created: datetime(), authors: $authors, community_count: size($communities)})
WITH r
UNWIND $communities AS community
CREATE (:Community {id: community.id, run: $name, index: community.index, size: community.size})-[:IN_RUN]->(r)
"""

ADD_MEMBERS = """
UNWIND $rows AS row
MATCH (a:Author {id: row[0]}), (c:Community {id: row[1]})
CREATE (a)-[:MEMBER_OF]->(c)
"""

READ_RUN = """
MATCH (r:CommunityRun {name: $name})
CALL (r) {
  MATCH (r)<-[:IN_RUN]-(c:Community)<-[:MEMBER_OF]-(a:Author)
  RETURN collect([a.id, c.index]) AS members
}
RETURN r.algorithm AS algorithm, r.parameters AS parameters, r.modularity AS modularity,
       toString(r.created) AS created, members
"""

TOPIC_TOTALS = """
MATCH (:Paper)-[:HAS_TOPIC]->(t:Topic)
RETURN t.id AS id, coalesce(t.name, t.id) AS name, count(*) AS papers
"""

# The papers that describe a group: with a year or topic filter ($filtered), those the projection counted ties of.
LABEL_PAPERS = f"(NOT $filtered OR ({PAPER_FILTER}))"

# Per group: its distinct papers, and how many of them carry each topic.
MEMBER_TOPICS = f"""
UNWIND $members AS member
MATCH (:Author {{id: member[0]}})-[:AUTHORED]->(p:Paper)
WHERE {LABEL_PAPERS}
WITH member[1] AS community, collect(DISTINCT p) AS papers
CALL (papers) {{
  UNWIND papers AS p
  MATCH (p)-[:HAS_TOPIC]->(t:Topic)
  WITH t.id AS topic, count(DISTINCT p) AS carried
  RETURN collect([topic, carried]) AS counts
}}
RETURN community, size(papers) AS papers, counts
"""

MIN_LABEL_PAPERS = 2
"""Papers of a group that must carry a topic for it to label the group (unless the group has fewer papers): a
topic of a single paper says what that paper is about, not the group."""

YEAR_SPANS = f"""
UNWIND $members AS member
MATCH (:Author {{id: member[0]}})-[:AUTHORED]->(p:Paper)
WHERE p.year IS NOT NULL AND {LABEL_PAPERS}
RETURN member[1] AS community, min(p.year) AS first_year, max(p.year) AS last_year
"""


@dataclass(frozen=True)
class Partition:
    """Communities of a projection: ``membership[i]`` is the community number (1 = largest) of vertex ``i``.

    ``modularity`` is Newman's weighted modularity of the partition, at the run's resolution for the
    modularity objective and at resolution 1 otherwise (CPM, label propagation, components); 0 without ties.
    """

    algorithm: str
    parameters: dict[str, Any]
    modularity: float
    membership: tuple[int, ...]
    sizes: tuple[int, ...]

    def members(self, community: int) -> list[int]:
        """The vertex numbers in ``community``, ascending."""
        return [vertex for vertex, number in enumerate(self.membership) if number == community]


@dataclass(frozen=True)
class SweepPoint:
    """One resolution of a sweep: the base seed's community count and modularity, and the stability.

    ``stability`` is the mean adjusted Rand index between the partitions of every pair of seeds (1 = the same
    communities whatever the seed).
    """

    resolution: float
    communities: int
    modularity: float
    stability: float
    seeds: int


@dataclass(frozen=True)
class CommunitySummary:
    """A community as the CLI shows it: top authors by tie weight inside it, distinctive topics, year span."""

    id: int
    size: int
    top_authors: tuple[str, ...]
    top_topics: tuple[str, ...]
    first_year: int | None
    last_year: int | None


@dataclass(frozen=True)
class StoredRun:
    """A run written with :func:`write_run`: its parameters and every member's community number."""

    name: str
    algorithm: str
    parameters: dict[str, Any]
    modularity: float
    created: str
    membership: dict[str, int]


@contextmanager
def seeded_random(seed: int) -> Iterator[None]:
    """Give igraph a generator of its own, seeded; put back the default (the ``random`` module) afterwards."""
    igraph.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)


def detect_communities(
    projection: Projection,
    algorithm: str = "leiden",
    *,
    objective: str = "modularity",
    resolution: float = 1.0,
    seed: int = 42,
    iterations: int = 2,
) -> Partition:
    """Find communities with ``algorithm`` (one of :data:`ALGORITHMS`) on the weighted projection.

    ``objective`` and ``iterations`` apply to Leiden (``iterations=-1`` iterates until stable), ``resolution``
    to Leiden and Louvain; ``seed`` makes every randomised algorithm repeatable.

    Examples
    --------
    >>> partition = detect_communities(projection, seed=7)  # doctest: +SKIP
    >>> partition.sizes[:3], round(partition.modularity, 3)  # doctest: +SKIP
    ((412, 390, 377), 0.741)
    """
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r} (known: {', '.join(ALGORITHMS)})")
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r} (known: {', '.join(OBJECTIVES)})")
    if not math.isfinite(resolution) or resolution < 0:
        raise ValueError(f"resolution {resolution!r} is not a finite number of 0 or more")
    network = projection.network
    parameters = _parameters(algorithm, objective, resolution, seed, iterations)
    with seeded_random(seed):
        labels = _labels(network, algorithm, objective, resolution, iterations)
    membership, sizes = renumber(labels)
    ties = projection.edge_count > 0
    at = resolution if parameters.get("objective") == "modularity" else 1.0
    quality = network.modularity([m - 1 for m in membership], weights="weight", resolution=at) if ties else 0.0
    return Partition(algorithm, parameters, float(quality), membership, sizes)


def _parameters(algorithm: str, objective: str, resolution: float, seed: int, iterations: int) -> dict[str, Any]:
    if algorithm == "leiden":
        return {"objective": objective, "resolution": resolution, "seed": seed, "iterations": iterations}
    if algorithm == "louvain":
        return {"objective": "modularity", "resolution": resolution, "seed": seed}
    return {"seed": seed} if algorithm == "lpa" else {}


def _labels(network: igraph.Graph, algorithm: str, objective: str, resolution: float, iterations: int) -> list[int]:
    if algorithm == "leiden":
        function = "modularity" if objective == "modularity" else "CPM"
        return network.community_leiden(
            objective_function=function, weights="weight", resolution=resolution, n_iterations=iterations
        ).membership
    if algorithm == "louvain":
        return network.community_multilevel(weights="weight", resolution=resolution).membership
    if algorithm == "lpa":
        return network.community_label_propagation(weights="weight").membership
    return network.connected_components(mode="weak").membership


def renumber(labels: Sequence[int]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Number communities 1.. by size, largest first; equal sizes by their smallest vertex."""
    labels = np.asarray(labels, dtype=np.int64)
    if not len(labels):
        return (), ()
    _values, first, inverse, counts = np.unique(labels, return_index=True, return_inverse=True, return_counts=True)
    order = np.lexsort((first, -counts))
    number = np.empty(len(order), dtype=np.int64)
    number[order] = np.arange(1, len(order) + 1)
    return tuple(number[inverse].tolist()), tuple(counts[order].tolist())


def adjusted_rand_index(first: Sequence[int], second: Sequence[int]) -> float:
    """The adjusted Rand index of two memberships of the same vertices (1 = identical partitions).

    Two identical partitions score 1 even where the index is 0/0 (both put every vertex in one community).
    """
    if list(first) == list(second):
        return 1.0
    return float(igraph.compare_communities(list(first), list(second), method="adjusted_rand"))


def sweep_resolutions(
    projection: Projection,
    resolutions: Sequence[float],
    *,
    algorithm: str = "leiden",
    objective: str = "modularity",
    seed: int = 42,
    seeds: int = 5,
) -> list[SweepPoint]:
    """Run ``algorithm`` at each resolution with ``seeds`` consecutive seeds from ``seed``; see SweepPoint."""
    return [
        sweep_point(
            resolution,
            [
                detect_communities(projection, algorithm, objective=objective, resolution=resolution, seed=seed + n)
                for n in range(seeds)
            ],
        )
        for resolution in resolutions
    ]


def sweep_point(resolution: float, runs: Sequence[Partition]) -> SweepPoint:
    """The sweep's row for the partitions found at ``resolution`` with consecutive seeds (the base seed first)."""
    pairs = [adjusted_rand_index(a.membership, b.membership) for a, b in combinations(runs, 2)]
    stability = float(np.mean(pairs)) if pairs else 1.0
    return SweepPoint(resolution, len(runs[0].sizes), runs[0].modularity, stability, len(runs))


def describe_communities(
    graph: Graph,
    projection: Projection,
    partition: Partition,
    *,
    min_size: int = 1,
    limit: int | None = None,
    top: int = 5,
) -> list[CommunitySummary]:
    """Label the communities of at least ``min_size`` authors (the first ``limit``): names, topics, years.

    Topics and years come from the members' papers that the projection's year and topic filter keeps (all of their
    papers without one).
    """
    shown = [n for n, size in enumerate(partition.sizes, start=1) if size >= min_size][:limit]
    wanted = set(shown)
    members = [[projection.ids[v], number] for v, number in enumerate(partition.membership) if number in wanted]
    leaders = _top_members(projection, partition, top)
    names = author_names(graph, [author for number in shown for author in leaders[number]])
    topics = distinctive_topics(graph, members, top=top, where=projection.filter)
    years = {
        row["community"]: row
        for row in graph.read(YEAR_SPANS, members=members, **_label_window(graph, projection.filter))
    }
    return [
        CommunitySummary(
            id=number,
            size=partition.sizes[number - 1],
            top_authors=tuple(names.get(author, author) for author in leaders[number]),
            top_topics=tuple(topics.get(number, ())),
            first_year=years.get(number, {}).get("first_year"),
            last_year=years.get(number, {}).get("last_year"),
        )
        for number in shown
    ]


def distinctive_topics(
    graph: Graph, members: list[list], *, top: int = 5, where: ProjectionFilter | None = None
) -> dict[int, list[str]]:
    """The names of each group's ``top`` most distinctive topics; ``members`` are ``[author id, group]`` pairs.

    A topic's count in a group is the number of distinct papers of the group's authors carrying it (only those
    that the year and topic filter of ``where`` keeps, when it has one); only topics :func:`carried_topics` keeps
    may label it; see :func:`topic_scores` for the ranking.
    """
    totals = graph.read(TOPIC_TOTALS)
    window = _label_window(graph, where or ProjectionFilter())
    counts = {
        row["community"]: carried_topics(dict(row["counts"]), row["papers"])
        for row in graph.read(MEMBER_TOPICS, members=members, **window)
    }
    names = {row["id"]: row["name"] for row in totals}
    scores = topic_scores(counts, {row["id"]: row["papers"] for row in totals})
    return {group: [names[topic] for topic, _score in ranked[:top]] for group, ranked in scores.items()}


def _label_window(graph: Graph, where: ProjectionFilter) -> dict[str, Any]:
    """The parameters of :data:`LABEL_PAPERS` for a projection's filter (its topic resolved to ids)."""
    return {**filter_parameters(graph, where), "filtered": where.by_papers}


def carried_topics(counts: dict[str, int], papers: int) -> dict[str, int]:
    """The topic counts of a group of ``papers`` papers that may label it: topics carried by at least
    :data:`MIN_LABEL_PAPERS` of its papers, or every topic when the group has fewer papers than that.

    >>> carried_topics({"a": 2, "b": 1}, 5), carried_topics({"b": 1}, 1)
    ({'a': 2}, {'b': 1})
    """
    if papers < MIN_LABEL_PAPERS:
        return counts
    return {topic: n for topic, n in counts.items() if n >= MIN_LABEL_PAPERS}


def topic_scores(counts: dict[int, dict[str, int]], totals: dict[str, int]) -> dict[int, list[tuple[str, float]]]:
    """Rank each group's topics by TF-IDF against the whole graph, best first (ties by topic id).

    ``score = (n_gt / n_g) * log(1 + N / n_t)``: ``n_gt`` the group's papers with topic ``t``, ``n_g`` the sum of
    the group's counts, ``n_t`` the graph's papers with ``t`` and ``N`` the sum of those (the class-based TF-IDF
    of BERTopic, with the whole graph as the reference corpus). A topic common everywhere ranks low.

    >>> topic_scores({1: {"a": 2, "b": 2}}, {"a": 2, "b": 10})[1][0][0]
    'a'
    """
    total = sum(totals.values())
    ranked = {}
    for group, topics in counts.items():
        size = sum(topics.values())
        scores = [(topic, n / size * float(np.log1p(total / totals[topic]))) for topic, n in topics.items()]
        ranked[group] = sorted(scores, key=lambda pair: (-pair[1], pair[0]))
    return ranked


def _top_members(projection: Projection, partition: Partition, top: int) -> dict[int, list[str]]:
    """Each community's ``top`` authors by the weight of their ties inside it (then by id)."""
    membership = np.asarray(partition.membership)
    inside = membership[projection.sources] == membership[projection.targets]
    strength = np.zeros(len(membership))
    np.add.at(strength, projection.sources[inside], projection.weights[inside])
    np.add.at(strength, projection.targets[inside], projection.weights[inside])
    order = np.lexsort((np.arange(len(membership)), -strength, membership))
    leaders: dict[int, list[str]] = {n: [] for n in range(1, len(partition.sizes) + 1)}
    for vertex in order.tolist():
        chosen = leaders[int(membership[vertex])]
        if len(chosen) < top:
            chosen.append(projection.ids[vertex])
    return leaders


def write_run(
    graph: Graph, name: str, projection: Projection, partition: Partition, *, batch_size: int = 10_000
) -> int:
    """Store ``partition`` as the run ``name``, replacing an earlier run of that name only; returns members written.

    Model: ``(:CommunityRun {name, algorithm, parameters (JSON), modularity, created})<-[:IN_RUN]-
    (:Community {id: name/number, run, index, size})<-[:MEMBER_OF]-(:Author)``.
    """
    with translated_errors(graph.settings), graph.session() as session:
        session.run(DELETE_MEMBERSHIPS, name=name).consume()  # CALL IN TRANSACTIONS needs an implicit transaction
    graph.write(DELETE_RUN, name=name)
    communities = [
        {"id": f"{name}/{number}", "index": number, "size": size} for number, size in enumerate(partition.sizes, 1)
    ]
    graph.write(
        CREATE_RUN,
        name=name,
        algorithm=partition.algorithm,
        parameters=json.dumps(partition.parameters, sort_keys=True),
        modularity=partition.modularity,
        authors=len(partition.membership),
        communities=communities,
    )
    rows = [[author, f"{name}/{number}"] for author, number in zip(projection.ids, partition.membership, strict=True)]
    for start in range(0, len(rows), batch_size):
        graph.write(ADD_MEMBERS, rows=rows[start : start + batch_size])
    return len(rows)


def read_run(graph: Graph, name: str) -> StoredRun:
    """The stored run ``name``; NotFound when there is none."""
    rows = graph.read(READ_RUN, name=name)
    if not rows:
        raise NotFound(f"no community run named {name!r}")
    row = rows[0]
    membership = {author: number for author, number in row["members"]}
    return StoredRun(
        name, row["algorithm"], json.loads(row["parameters"]), row["modularity"], row["created"], membership
    )
