"""Papers around authors and topics: each author's record in brief, and the Author-Paper-Topic neighbourhood of an
author or a topic (what the views draw and what their tooltips tell)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.errors import NotFound
from queries.authors import find_author
from queries.topics import find_topic

if TYPE_CHECKING:
    from graph.connection import Graph

__all__ = [
    "AuthorCard",
    "PaperGraph",
    "PaperRef",
    "author_cards",
    "author_papers",
    "paperless_ties",
    "topic_papers",
]

LATEST = 3

AUTHOR_CARDS = """
UNWIND $ids AS id
MATCH (a:Author {id: id})
USING INDEX a:Author(id)
CALL (a) {
  MATCH (a)-[:AUTHORED]->(p:Paper)
  RETURN count(p) AS papers, min(p.year) AS first_year, max(p.year) AS last_year
}
CALL (a) {
  MATCH (a)-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(t:Topic)
  WITH coalesce(t.name, t.id) AS topic, count(*) AS uses ORDER BY uses DESC, topic LIMIT 3
  RETURN collect(topic) AS top_topics
}
CALL (a) {
  MATCH (a)-[:AUTHORED]->(p:Paper)
  WITH p ORDER BY coalesce(p.year, -1) DESC, p.title, p.id LIMIT $latest
  RETURN collect({id: p.id, title: p.title, year: p.year, doi: p.doi, arxiv_id: p.arxiv_id}) AS latest
}
RETURN a.id AS id, a.name AS name, papers, first_year, last_year, top_topics, latest
"""

# Ties known without their papers (SNAP and GML networks): their weight is the source's, not joint papers.
PAPERLESS_TIES = """
UNWIND $ids AS id
MATCH (a:Author {id: id})-[c:COAUTHOR]->(b:Author)
USING INDEX a:Author(id)
WHERE c.without_papers AND b.id IN $ids
RETURN a.id AS source, b.id AS target
"""

PAPERS_OF_AUTHOR = """
MATCH (:Author {id: $id})-[:AUTHORED]->(p:Paper)
RETURN p.id AS id
ORDER BY coalesce(p.year, -1) DESC, p.title, p.id
"""

PAPERS_ON_TOPICS = """
MATCH (p:Paper)-[:HAS_TOPIC]->(t:Topic)
WHERE t.id IN $scope
WITH DISTINCT p
RETURN p.id AS id
ORDER BY coalesce(p.citations, 0) DESC, coalesce(p.year, -1) DESC, p.id
"""

PAPER_DETAILS = """
UNWIND $ids AS id
MATCH (p:Paper {id: id})
USING INDEX p:Paper(id)
CALL (p) {
  OPTIONAL MATCH (a:Author)-[r:AUTHORED]->(p)
  WITH a, r ORDER BY r.position, a.id
  RETURN collect(a.id) AS authors
}
CALL (p) {
  OPTIONAL MATCH (p)-[:HAS_TOPIC]->(t:Topic)
  WITH t ORDER BY t.id
  RETURN collect([t.id, coalesce(t.name, t.id)]) AS topics
}
RETURN p.id AS id, p.title AS title, p.year AS year, p.doi AS doi, p.arxiv_id AS arxiv_id, p.venue AS venue,
       p.citations AS citations, authors, topics
"""


@dataclass(frozen=True)
class PaperRef:
    """A paper as a tooltip names it: title, year, and the DOI and arXiv id when known."""

    id: str
    title: str
    year: int | None
    doi: str | None = None
    arxiv_id: str | None = None


@dataclass(frozen=True)
class AuthorCard:
    """An author in brief: papers written, active years, top topics (by papers) and the latest papers."""

    id: str
    name: str
    papers: int
    first_year: int | None
    last_year: int | None
    top_topics: tuple[str, ...]
    latest: tuple[PaperRef, ...]


@dataclass(frozen=True)
class PaperDetail:
    """A paper of a :class:`PaperGraph`: ``authors`` are author ids in byline order, ``topics`` topic ids."""

    ref: PaperRef
    venue: str | None
    citations: int | None
    authors: tuple[str, ...]
    topics: tuple[str, ...]


@dataclass(frozen=True)
class PaperGraph:
    """The papers of an author (latest first) or of a topic (most cited first), their authors and topics.

    ``total`` counts every paper of the author or topic; ``papers`` holds the first ``limit`` of them.
    ``focus`` is the author's or topic's id, ``focus_name`` its name, ``focus_kind`` ``"author"`` or ``"topic"``.
    """

    focus_kind: str
    focus: str
    focus_name: str
    total: int
    papers: tuple[PaperDetail, ...]
    authors: dict[str, AuthorCard]
    topics: dict[str, str]


def author_cards(graph: Graph, ids: list[str], *, latest: int = LATEST) -> dict[str, AuthorCard]:
    """Author id -> :class:`AuthorCard`, for the ids that exist."""
    cards = {}
    for row in graph.read(AUTHOR_CARDS, ids=list(ids), latest=latest):
        refs = tuple(PaperRef(**paper) for paper in row.pop("latest"))
        cards[row["id"]] = AuthorCard(**{**row, "top_topics": tuple(row["top_topics"])}, latest=refs)
    return cards


def paperless_ties(graph: Graph, ids: list[str]) -> frozenset[frozenset[str]]:
    """The pairs among the authors ``ids`` whose COAUTHOR tie is known without its papers (SNAP, GML)."""
    rows = graph.read(PAPERLESS_TIES, ids=list(ids))
    return frozenset(frozenset((row["source"], row["target"])) for row in rows)


def author_papers(graph: Graph, name: str, *, limit: int = 50) -> PaperGraph:
    """The latest ``limit`` papers of the author named (or identified by) ``name``, with authors and topics.

    Raises NotFound when the author has no papers (authors of SNAP and GML networks have ties only).
    """
    author = find_author(graph, name)
    ids = [row["id"] for row in graph.read(PAPERS_OF_AUTHOR, id=author.id)]
    if not ids:
        raise NotFound(
            f"{author.name} has no papers in the graph, only ties known without papers (as SNAP and GML networks "
            "give them): `coauthor viz ego` draws those"
        )
    return _paper_graph(graph, "author", author.id, author.name, ids, limit)


def topic_papers(graph: Graph, topic: str, *, limit: int = 50) -> PaperGraph:
    """The ``limit`` most cited papers on ``topic`` or its subtopics, with their authors and topics."""
    match = find_topic(graph, topic)
    ids = [row["id"] for row in graph.read(PAPERS_ON_TOPICS, scope=list(match.scope))]
    return _paper_graph(graph, "topic", match.ids[0], " / ".join(match.names), ids, limit)


def _paper_graph(graph: Graph, kind: str, focus: str, name: str, ids: list[str], limit: int) -> PaperGraph:
    order = {paper: rank for rank, paper in enumerate(ids[:limit])}
    rows = sorted(graph.read(PAPER_DETAILS, ids=ids[:limit]), key=lambda row: order[row["id"]])
    topics = {topic: topic_name for row in rows for topic, topic_name in row["topics"] if topic is not None}
    papers = tuple(
        PaperDetail(
            PaperRef(row["id"], row["title"], row["year"], row["doi"], row["arxiv_id"]),
            row["venue"],
            row["citations"],
            tuple(row["authors"]),
            tuple(topic for topic, _name in row["topics"] if topic is not None),
        )
        for row in rows
    )
    authors = author_cards(graph, sorted({author for paper in papers for author in paper.authors}), latest=0)
    return PaperGraph(kind, focus, name, len(ids), papers, authors, topics)
