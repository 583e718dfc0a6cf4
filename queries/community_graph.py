"""Communities as something to draw: the authors of a run (all, or one community) ranked by PageRank with the ties
among them, or one node per community with the ties between communities.

A grouping comes from a stored run (:func:`queries.communities.read_run`) or a fresh seeded Leiden run on the
whole coauthorship graph; it is read once and both drawings are cut from it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from graph.errors import NotFound
from queries.centrality import centrality_scores
from queries.communities import CommunitySummary, Partition, describe_communities, detect_communities, read_run
from queries.papers import AuthorCard, author_cards
from queries.projection import Projection, project_coauthors

if TYPE_CHECKING:
    from graph.connection import Graph

__all__ = [
    "CommunityMembers",
    "CommunityOverview",
    "Grouping",
    "community_members",
    "community_overview",
    "group_authors",
]


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
class CommunityOverview:
    """The largest communities and the ties between them: ``links`` are (community, community, ties, weight)."""

    source: str
    authors: int
    total: int
    communities: tuple[CommunitySummary, ...]
    links: tuple[tuple[int, int, int, float], ...]


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
    """The ``limit`` largest communities, and for each pair of them the number and weight of ties between them."""
    projection, partition = grouping.projection, grouping.partition
    membership = np.asarray(partition.membership)
    shown = min(limit, len(partition.sizes))
    a, b = membership[projection.sources], membership[projection.targets]
    across = (a != b) & (a <= shown) & (b <= shown)
    low, high = np.minimum(a, b)[across], np.maximum(a, b)[across]
    weights = projection.weights[across]
    pairs: dict[tuple[int, int], list[float]] = {}
    for x, y, w in zip(low.tolist(), high.tolist(), weights.tolist(), strict=True):
        tally = pairs.setdefault((x, y), [0, 0.0])
        tally[0] += 1
        tally[1] += w
    links = tuple((x, y, int(n), float(w)) for (x, y), (n, w) in sorted(pairs.items()))
    communities = tuple(_describe(graph, grouping, list(range(1, shown + 1))))
    return CommunityOverview(grouping.source, len(projection.ids), len(partition.sizes), communities, links)


def _describe(graph: Graph, grouping: Grouping, numbers: list[int]) -> list[CommunitySummary]:
    """Summaries (top authors, distinctive topics, years) of the communities ``numbers``, in that order."""
    if not numbers:
        return []
    wanted = set(numbers)
    described = describe_communities(graph, grouping.projection, grouping.partition, limit=max(numbers), top=3)
    return [summary for summary in described if summary.id in wanted]
