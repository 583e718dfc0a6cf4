"""An author's profile: papers (year, venue, topics), coauthors, top topics, active years, h-index, and the
metrics a source reported about the author (e.g. a profile page's h-index), labelled with that source.

The h-index is computed over the papers whose citation count is known (``Paper.citations``); it is None when no
paper has one. Reported metrics are what the source said, not what the graph holds: both are shown side by side.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from graph.connection import Graph
from queries.authors import find_author

__all__ = ["AuthorOverview", "PaperEntry", "author_profile", "h_index"]

AUTHOR = """
MATCH (a:Author {id: $id})
USING INDEX a:Author(id)
RETURN properties(a) AS props, COUNT { (a)-[:COAUTHOR]-(:Author) } AS coauthors
"""

PAPERS = """
MATCH (a:Author {id: $id})-[r:AUTHORED]->(p:Paper)
USING INDEX a:Author(id)
CALL (p) {
  OPTIONAL MATCH (p)-[:HAS_TOPIC]->(t:Topic)
  WITH t ORDER BY t.name
  RETURN collect(t.name) AS topics
}
RETURN p.id AS id, p.title AS title, p.year AS year, p.venue AS venue, p.citations AS citations,
       r.position AS position, topics
ORDER BY year DESC, title, id
"""

TOP_TOPICS = 5
NOT_METRICS = ("reported_by", "reported_primary_topic")


@dataclass(frozen=True)
class PaperEntry:
    """One of the author's papers, with the author's position in its author list."""

    id: str
    title: str
    year: int | None
    venue: str | None
    citations: int | None
    position: int | None
    topics: tuple[str, ...]


@dataclass(frozen=True)
class AuthorOverview:
    """What the graph knows about one author, and (``reported``) what a source said about them."""

    id: str
    name: str
    names: tuple[str, ...]
    paper_count: int
    coauthor_count: int
    first_year: int | None
    last_year: int | None
    top_topics: tuple[tuple[str, int], ...]
    h_index: int | None
    papers_with_citations: int
    papers: tuple[PaperEntry, ...]
    reported: dict[str, Any]
    reported_by: str | None


def author_profile(graph: Graph, name: str) -> AuthorOverview:
    """The profile of the author named (or identified by) ``name``."""
    author = find_author(graph, name)
    node = graph.read(AUTHOR, id=author.id)[0]
    papers = tuple(PaperEntry(**{**row, "topics": tuple(row["topics"])}) for row in graph.read(PAPERS, id=author.id))
    years = [paper.year for paper in papers if paper.year is not None]
    citations = [paper.citations for paper in papers if paper.citations is not None]
    topics = Counter(topic for paper in papers for topic in paper.topics)
    props = node["props"]
    return AuthorOverview(
        id=author.id,
        name=author.name,
        names=tuple(props.get("names") or [author.name]),
        paper_count=len(papers),
        coauthor_count=node["coauthors"],
        first_year=min(years, default=None),
        last_year=max(years, default=None),
        top_topics=tuple(sorted(topics.items(), key=lambda item: (-item[1], item[0]))[:TOP_TOPICS]),
        h_index=h_index(citations) if citations else None,
        papers_with_citations=len(citations),
        papers=papers,
        reported=_reported(props),
        reported_by=props.get("reported_by"),
    )


def h_index(citations: list[int]) -> int:
    """The largest h such that h of the papers have at least h citations each.

    >>> h_index([10, 8, 5, 4, 3]), h_index([0, 0]), h_index([100])
    (4, 0, 1)
    """
    ranked = sorted(citations, reverse=True)
    return sum(1 for rank, count in enumerate(ranked, start=1) if count >= rank)


def _reported(props: dict[str, Any]) -> dict[str, Any]:
    """The ``reported_*`` metrics of an author node, without the prefix (the source is ``reported_by``)."""
    return {
        key.removeprefix("reported_"): value
        for key, value in sorted(props.items())
        if key.startswith("reported_") and key not in NOT_METRICS
    }
