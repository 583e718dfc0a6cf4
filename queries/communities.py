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
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any

import igraph
import neo4j
import numpy as np

from graph.connection import translated_errors
from graph.errors import CoauthorError, NotFound
from queries.projection import PAPER_FILTER, Projection, ProjectionFilter, author_names, filter_parameters

if TYPE_CHECKING:
    from graph.connection import Graph

__all__ = [
    "ALGORITHMS",
    "MIN_LABEL_PAPERS",
    "OBJECTIVES",
    "STALE_DRAFT",
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

STALE_DRAFT = "PT15M"
"""How long a draft run may go without a heartbeat before a later write treats it as abandoned (ISO 8601 duration).
A writer beats on every batch of memberships, each well under a second at 10,000 rows, so only a dead (or long
suspended) writer's draft is this quiet."""

# A run is first written as a draft that no reader matches: (:CommunityRunDraft {token, name, heartbeat, retired})
# <-[:IN_RUN]-(:CommunityDraft {index, size}), memberships included; one transaction then retires the run of that
# name (it becomes a retired draft) and promotes the draft to (:CommunityRun)<-[:IN_RUN]-(:Community).
CREATE_DRAFT = """
CREATE (d:CommunityRunDraft {token: $token, name: $name, retired: false, heartbeat: datetime(),
                             algorithm: $algorithm, parameters: $parameters, modularity: $modularity,
                             authors: $authors, community_count: size($sizes)})
WITH d
UNWIND range(1, size($sizes)) AS index
CREATE (:CommunityDraft {index: index, size: $sizes[index - 1]})-[:IN_RUN]->(d)
"""

ADD_DRAFT_MEMBERS = """
MATCH (d:CommunityRunDraft {token: $token, retired: false})
SET d.heartbeat = datetime()
WITH d
MATCH (d)<-[:IN_RUN]-(c:CommunityDraft)
WITH d, c ORDER BY c.index
WITH d, collect(c) AS communities
UNWIND $rows AS row
MATCH (a:Author {id: row[0]})
WITH a, communities[row[1] - 1] AS c
CREATE (a)-[:MEMBER_OF]->(c)
"""

# Cypher reads before it writes, so a check-then-act takes its write locks first (setting a marker property, the
# usual Cypher idiom), reads again in a later statement, and drops the markers before it commits (see _locked).
LOCK_RUN_NAME = """
MATCH (n:CommunityRun|CommunityRunDraft {name: $name})
WHERE n:CommunityRun OR NOT n.retired
SET n._lock = true
RETURN elementId(n) AS id
"""

LOCK_ABANDONED = """
MATCH (d:CommunityRunDraft)
WHERE d.heartbeat < datetime() - duration($stale)
SET d._lock = true
RETURN elementId(d) AS id
"""

UNLOCK = """
MATCH (n)
WHERE elementId(n) IN $ids
REMOVE n._lock
"""

CLAIM_ABANDONED = """
MATCH (d:CommunityRunDraft)
WHERE elementId(d) IN $ids AND d.heartbeat < datetime() - duration($stale)
SET d.token = $token, d.retired = true, d.heartbeat = datetime()
"""

DRAFT_MEMBERS = """
MATCH (d:CommunityRunDraft {token: $token, retired: false})
RETURN COUNT { (d)<-[:IN_RUN]-(:CommunityDraft)<-[:MEMBER_OF]-(:Author) } AS members
"""

RETIRE_RUN = """
MATCH (r:CommunityRun {name: $name})
OPTIONAL MATCH (r)<-[:IN_RUN]-(c:Community)
REMOVE r:CommunityRun, c:Community
SET r:CommunityRunDraft, c:CommunityDraft, r.token = $token, r.retired = true, r.heartbeat = datetime()
"""

PROMOTE_DRAFT = """
MATCH (d:CommunityRunDraft {token: $token, retired: false})
OPTIONAL MATCH (d)<-[:IN_RUN]-(c:CommunityDraft)
REMOVE d:CommunityRunDraft, d.token, d.heartbeat, d.retired, c:CommunityDraft
SET d:CommunityRun, d.created = datetime(), c:Community, c.id = $name + '/' + toString(c.index), c.run = $name
"""

DELETE_DRAFT_MEMBERSHIPS = """
MATCH (:CommunityRunDraft {token: $token})<-[:IN_RUN]-(:CommunityDraft)<-[m:MEMBER_OF]-(:Author)
CALL (m) { DELETE m } IN TRANSACTIONS OF 10000 ROWS
"""

DELETE_DRAFTS = """
MATCH (d:CommunityRunDraft {token: $token})
OPTIONAL MATCH (d)<-[:IN_RUN]-(c:CommunityDraft)
DETACH DELETE c, d
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

    Model: ``(:CommunityRun {name, algorithm, parameters (JSON), modularity, created, authors, community_count})
    <-[:IN_RUN]-(:Community {id: name/number, run, index, size})<-[:MEMBER_OF]-(:Author)``.

    The run appears whole or not at all: it is written as a draft no reader sees, memberships in batches of
    ``batch_size``, then one transaction swaps it for the earlier run (which it then deletes). Interrupted, a write
    leaves the earlier run as it was; of two writes of one name, the later swap wins. Drafts silent for
    :data:`STALE_DRAFT` (their writer died) are taken over and deleted by the next write.

    Raises
    ------
    CoauthorError
        The draft lost memberships before its swap (authors deleted meanwhile, or the writer stalled past
        :data:`STALE_DRAFT` and another write removed its draft); the earlier run is kept.
    """
    token = uuid.uuid4().hex
    rows = [[author, number] for author, number in zip(projection.ids, partition.membership, strict=True)]
    try:
        graph.execute_write(_claim_abandoned, token)
        _open_draft(graph, token, name, partition)
        _fill_draft(graph, token, rows, batch_size)
        graph.execute_write(_swap_draft, token, name, len(rows))
    finally:
        _delete_drafts(graph, token)  # the run replaced, abandoned drafts taken over, or (on failure) this draft
    return len(rows)


def _open_draft(graph: Graph, token: str, name: str, partition: Partition) -> None:
    """Create the draft ``token`` of the run ``name``: its communities, no memberships yet."""
    graph.write(
        CREATE_DRAFT,
        token=token,
        name=name,
        algorithm=partition.algorithm,
        parameters=json.dumps(partition.parameters, sort_keys=True),
        modularity=partition.modularity,
        authors=len(partition.membership),
        sizes=list(partition.sizes),
    )


def _fill_draft(graph: Graph, token: str, rows: list[list], batch_size: int) -> None:
    """Add the ``[author id, community number]`` memberships ``rows`` to the draft ``token``, one transaction (and
    heartbeat) per ``batch_size`` rows."""
    for start in range(0, len(rows), batch_size):
        graph.write(ADD_DRAFT_MEMBERS, token=token, rows=rows[start : start + batch_size])


def _swap_draft(tx: neo4j.ManagedTransaction, token: str, name: str, authors: int) -> None:
    """In ``tx``: retire the run ``name`` and promote the draft ``token`` in its place, if it holds ``authors``
    memberships. Every swap of ``name`` first locks the run and the live drafts of that name, so swaps of one name
    take turns (each live draft existed before its swap began)."""
    with _locked(tx, LOCK_RUN_NAME, name=name):
        row = tx.run(DRAFT_MEMBERS, token=token).single()
        members = row["members"] if row else 0
        if members != authors:
            raise CoauthorError(
                f"community run {name!r} was not stored: its draft holds {members} of {authors} memberships",
                hint="authors were deleted, or the write stalled and another removed its draft; run it again",
            )
        tx.run(RETIRE_RUN, name=name, token=token).consume()
        tx.run(PROMOTE_DRAFT, name=name, token=token).consume()


def _claim_abandoned(tx: neo4j.ManagedTransaction, token: str) -> None:
    """Retire every draft silent for :data:`STALE_DRAFT` and make it ``token``'s to delete (checked under lock, so
    that two writers never both take one, nor take a draft its writer has just swapped in)."""
    with _locked(tx, LOCK_ABANDONED, stale=STALE_DRAFT) as ids:
        tx.run(CLAIM_ABANDONED, ids=ids, token=token, stale=STALE_DRAFT).consume()


@contextmanager
def _locked(tx: neo4j.ManagedTransaction, query: str, **params: Any) -> Iterator[list[str]]:
    """Write-lock the nodes ``query`` marks and returns (``id``: element ids) until ``tx`` ends; the block must read
    anew what it relies on. Drops the markers afterwards (a block that raises rolls them back)."""
    ids = tx.run(query, **params).value("id")
    yield ids
    tx.run(UNLOCK, ids=ids).consume()


def _delete_drafts(graph: Graph, token: str) -> None:
    """Delete the drafts ``token`` holds, memberships in batches (CALL IN TRANSACTIONS needs an implicit
    transaction)."""
    with translated_errors(graph.settings), graph.session() as session:
        session.run(DELETE_DRAFT_MEMBERSHIPS, token=token).consume()
    graph.write(DELETE_DRAFTS, token=token)


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
