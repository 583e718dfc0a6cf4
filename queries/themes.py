"""Research themes: communities of the topic co-occurrence graph, and each author's mix of themes.

Two topics are tied by the number of papers that carry both; the communities of that graph (Leiden, seeded,
as for authors) are the themes. An author's theme mix is the share of their paper-topic assignments that fall
in each theme.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from queries.authors import find_author
from queries.communities import detect_communities
from queries.projection import Projection

if TYPE_CHECKING:
    from graph.connection import Graph

__all__ = ["Theme", "Themes", "TopicMap", "find_themes", "theme_mix", "topic_map"]

TOPIC_PAPERS = """
MATCH (:Paper)-[:HAS_TOPIC]->(t:Topic)
RETURN t.id AS id, coalesce(t.name, t.id) AS name, count(*) AS papers
ORDER BY id
"""

TOPIC_PAIRS = """
MATCH (s:Topic)<-[:HAS_TOPIC]-(:Paper)-[:HAS_TOPIC]->(t:Topic)
WHERE s.id < t.id
RETURN s.id AS source, t.id AS target, count(*) AS papers
"""

# Distinct papers per theme: a paper with several topics of one theme counts once.
THEME_PAPERS = """
MATCH (p:Paper)-[:HAS_TOPIC]->(t:Topic)
WITH DISTINCT p, $theme_of[t.id] AS theme
RETURN theme AS id, count(p) AS papers
"""

AUTHOR_TOPICS = """
MATCH (:Author {id: $id})-[:AUTHORED]->(p:Paper)-[:HAS_TOPIC]->(t:Topic)
RETURN t.id AS id, count(DISTINCT p) AS papers
"""


@dataclass(frozen=True)
class Theme:
    """A cluster of topics, numbered from 1 (most topics first); ``topics`` are names, most papers first;
    ``papers`` counts the distinct papers with at least one of its topics."""

    id: int
    topics: tuple[str, ...]
    papers: int


@dataclass(frozen=True)
class Themes:
    """The themes of the graph and the theme of each topic id; ``modularity`` of the topic partition."""

    themes: tuple[Theme, ...]
    theme_of: dict[str, int]
    modularity: float


@dataclass(frozen=True)
class TopicMap:
    """Topic id -> name and papers, co-occurrence ``ties`` (topic id, topic id, shared papers), and the themes."""

    names: dict[str, str]
    papers: dict[str, int]
    ties: tuple[tuple[str, str, int], ...]
    themes: Themes


def find_themes(graph: Graph, *, resolution: float = 1.0, seed: int = 42) -> Themes:
    """Cluster the topic co-occurrence graph with seeded Leiden (modularity, ``resolution``)."""
    return topic_map(graph, resolution=resolution, seed=seed).themes


def topic_map(graph: Graph, *, resolution: float = 1.0, seed: int = 42) -> TopicMap:
    """Every topic with its papers, the co-occurrence ties, and the themes (as :func:`find_themes`)."""
    topics = graph.read(TOPIC_PAPERS)
    pairs = [(row["source"], row["target"], row["papers"]) for row in graph.read(TOPIC_PAIRS)]
    names = {row["id"]: row["name"] for row in topics}
    papers = {row["id"]: row["papers"] for row in topics}
    return TopicMap(names, papers, tuple(sorted(pairs)), _cluster(graph, topics, pairs, resolution, seed))


def _cluster(
    graph: Graph, topics: list[dict], pairs: list[tuple[str, str, int]], resolution: float, seed: int
) -> Themes:
    """Leiden themes of the co-occurrence graph, each with its distinct papers."""
    projection = Projection.from_edges(pairs, nodes=[row["id"] for row in topics])
    partition = detect_communities(projection, resolution=resolution, seed=seed)
    theme_of = dict(zip(projection.ids, partition.membership, strict=True))
    theme_papers = {row["id"]: row["papers"] for row in graph.read(THEME_PAPERS, theme_of=theme_of)}
    ordered = sorted(topics, key=lambda row: (-row["papers"], row["id"]))
    themes = tuple(
        Theme(n, tuple(row["name"] for row in ordered if theme_of[row["id"]] == n), theme_papers.get(n, 0))
        for n in range(1, len(partition.sizes) + 1)
    )
    return Themes(themes, theme_of, partition.modularity)


def theme_mix(graph: Graph, themes: Themes, author: str) -> dict[int, float]:
    """Theme number -> share of ``author``'s paper-topic assignments (name or id), largest share first."""
    rows = graph.read(AUTHOR_TOPICS, id=find_author(graph, author).id)
    counts: Counter[int] = Counter()
    for row in rows:
        counts[themes.theme_of[row["id"]]] += row["papers"]
    total = sum(counts.values())
    return {theme: n / total for theme, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))}
