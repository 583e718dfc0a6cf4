"""Communities as something to draw: the authors of a run (all, or one community) ranked by PageRank with the ties
among them, or one node per community with the ties between communities.

A grouping comes from a stored run (:func:`queries.communities.read_run`) or a fresh seeded Leiden run on the
whole coauthorship graph; it is read once and both drawings are cut from it. A link between two communities counts
its ties and its joint papers (each paper once, however many of its authors' pairs it ties across).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from graph.errors import NotFound
from queries.centrality import centrality_scores
from queries.collaborators import TIE_PAPER
from queries.communities import CommunitySummary, Partition, describe_communities, detect_communities, read_run
from queries.papers import AuthorCard, author_cards, paperless_ties
from queries.projection import Projection, project_coauthors

if TYPE_CHECKING:
    from graph.connection import Graph

__all__ = [
    "CommunityLink",
    "CommunityMembers",
    "CommunityOverview",
    "Grouping",
    "community_members",
    "community_overview",
    "group_authors",
    "joint_papers",
]

# The distinct papers (that make ties) with an author in two of the communities, per pair of them: each paper's
# communities are collected once, then paired, so a paper counts once per pair however many ties it makes across.
JOINT_PAPERS = f"""
UNWIND $communities AS community
UNWIND community.ids AS id
MATCH (a:Author {{id: id}})-[:AUTHORED]->(p:Paper)
USING INDEX a:Author(id)
WHERE {TIE_PAPER}
WITH p, collect(DISTINCT community.number) AS numbers
WHERE size(numbers) > 1
UNWIND numbers AS x
UNWIND numbers AS y
WITH x, y
WHERE x < y
RETURN x, y, count(*) AS papers
"""


@dataclass(frozen=True, eq=False)
class Grouping:
    """Authors in communities: ``partition`` numbers the vertices of ``projection``; ``source`` says whence."""

    source: str
    projection: Projection
    partition: Partition


@dataclass(frozen=True)
class CommunityMembers:
    """The top authors by PageRank (of one community, or of all), their communities and the ties among them.

    ``candidates`` counts the authors the top ones were chosen from; ``communities`` describes every community
    an author drawn belongs to (id order); ``scores`` maps author id -> PageRank.
    """

    source: str
    community: int | None
    candidates: int
    communities: tuple[CommunitySummary, ...]
    membership: dict[str, int]
    scores: dict[str, float]
    cards: dict[str, AuthorCard]
    ties: tuple[tuple[str, str, float], ...]


@dataclass(frozen=True)
class CommunityLink:
    """The ties between communities ``low`` < ``high``: how many, the distinct ``papers`` with an author in each,
    and how many of the ties are known without papers (SNAP, GML: ``paperless``), with their summed weight."""

    low: int
    high: int
    ties: int
    papers: int
    paperless: int = 0
    paperless_weight: float = 0.0


@dataclass(frozen=True)
class CommunityOverview:
    """The largest communities and the links between them (by community numbers)."""

    source: str
    authors: int
    total: int
    communities: tuple[CommunitySummary, ...]
    links: tuple[CommunityLink, ...]


def group_authors(graph: Graph, run: str | None = None, *, resolution: float = 1.0, seed: int = 42) -> Grouping:
    """The communities of stored run ``run`` (NotFound when absent), or of a fresh Leiden run."""
    projection = project_coauthors(graph)
    if run is None:
        partition = detect_communities(projection, resolution=resolution, seed=seed)
        return Grouping(f"Leiden (modularity, resolution {resolution:g}, seed {seed})", projection, partition)
    stored = read_run(graph, run)
    members = set(stored.membership)
    ties = [(a, b, w) for a, b, w in projection.edges() if a in members and b in members]
    inside = Projection.from_edges(ties, nodes=sorted(members))
    membership = tuple(stored.membership[author] for author in inside.ids)
    counts = Counter(membership)
    sizes = tuple(counts.get(number, 0) for number in range(1, max(counts, default=0) + 1))
    partition = Partition(stored.algorithm, stored.parameters, stored.modularity, membership, sizes)
    return Grouping(f"run {run!r} ({stored.algorithm})", inside, partition)


def community_members(
    graph: Graph, grouping: Grouping, *, community: int | None = None, limit: int = 300
) -> CommunityMembers:
    """The ``limit`` authors with the highest PageRank, in ``community`` (NotFound when it has no one) or in all."""
    projection, partition = grouping.projection, grouping.partition
    membership = np.asarray(partition.membership)
    candidates = np.arange(len(membership)) if community is None else np.flatnonzero(membership == community)
    if community is not None and not len(candidates):
        raise NotFound(f"{grouping.source} has no community {community}", [f"1 to {len(partition.sizes)}"])
    scores, _method = centrality_scores(projection, "pagerank")
    chosen = candidates[np.lexsort((candidates, -scores[candidates]))[:limit]]
    ids = [projection.ids[vertex] for vertex in chosen.tolist()]
    drawn = set(ids)
    ties = tuple((a, b, w) for a, b, w in projection.edges() if a in drawn and b in drawn)
    numbers = sorted({int(membership[vertex]) for vertex in chosen.tolist()})
    return CommunityMembers(
        source=grouping.source,
        community=community,
        candidates=len(candidates),
        communities=tuple(_describe(graph, grouping, numbers)),
        membership={projection.ids[v]: int(membership[v]) for v in chosen.tolist()},
        scores={projection.ids[v]: float(scores[v]) for v in chosen.tolist()},
        cards=author_cards(graph, ids),
        ties=ties,
    )


def community_overview(graph: Graph, grouping: Grouping, *, limit: int = 300) -> CommunityOverview:
    """The ``limit`` largest communities, and a link for each pair of them that has ties between them."""
    projection, partition = grouping.projection, grouping.partition
    membership = np.asarray(partition.membership)
    shown = min(limit, len(partition.sizes))
    a, b = membership[projection.sources], membership[projection.targets]
    across = np.flatnonzero((a != b) & (a <= shown) & (b <= shown))
    ends = np.union1d(projection.sources[across], projection.targets[across]).tolist()
    # A joint paper of two communities ties its authors in one to those in the other: its authors are all ends.
    authors = {projection.ids[vertex]: int(membership[vertex]) for vertex in ends}
    without = paperless_ties(graph, list(authors))
    links = _links(grouping, across, without, joint_papers(graph, authors))
    communities = tuple(_describe(graph, grouping, list(range(1, shown + 1))))
    return CommunityOverview(grouping.source, len(projection.ids), len(partition.sizes), communities, links)


def joint_papers(graph: Graph, membership: Mapping[str, int]) -> dict[tuple[int, int], int]:
    """For each pair of communities ``(x, y)``, ``x < y``, the number of distinct papers (that make ties) with an
    author in each; ``membership`` maps author id -> community, for the authors whose papers count."""
    groups: dict[int, list[str]] = {}
    for author, number in membership.items():
        groups.setdefault(number, []).append(author)
    rows = graph.read(JOINT_PAPERS, communities=[{"number": n, "ids": ids} for n, ids in sorted(groups.items())])
    return {(row["x"], row["y"]): row["papers"] for row in rows}


def _links(
    grouping: Grouping, edges: np.ndarray, without: Set[frozenset[str]], papers: Mapping[tuple[int, int], int]
) -> tuple[CommunityLink, ...]:
    """A link per pair of communities joined by the projection's ``edges`` (their numbers): its ties, its joint
    ``papers``, and how many of its ties are in ``without`` (known without papers), with their summed weight."""
    projection, membership = grouping.projection, grouping.partition.membership
    tallies: dict[tuple[int, int], list[float]] = {}
    for head, tail, weight in zip(
        projection.sources[edges].tolist(),
        projection.targets[edges].tolist(),
        projection.weights[edges].tolist(),
        strict=True,
    ):
        pair = (min(membership[head], membership[tail]), max(membership[head], membership[tail]))
        tally = tallies.setdefault(pair, [0, 0, 0.0])
        tally[0] += 1
        if frozenset((projection.ids[head], projection.ids[tail])) in without:
            tally[1] += 1
            tally[2] += weight
    return tuple(
        CommunityLink(x, y, int(ties), papers.get((x, y), 0), int(paperless), weight)
        for (x, y), (ties, paperless, weight) in sorted(tallies.items())
    )


def _describe(graph: Graph, grouping: Grouping, numbers: list[int]) -> list[CommunitySummary]:
    """Summaries (top authors, distinctive topics, years) of the communities ``numbers``, in that order."""
    if not numbers:
        return []
    wanted = set(numbers)
    described = describe_communities(graph, grouping.projection, grouping.partition, limit=max(numbers), top=3)
    return [summary for summary in described if summary.id in wanted]
