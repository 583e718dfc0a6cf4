"""Similar authors: the cosine of topic profiles (distinct papers per topic, see :mod:`queries.topics`).

Only authors sharing at least one topic can score above 0, so the search walks from the author's topics to the
other authors on them and never visits anyone else. Coauthors are left out unless asked for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from graph.connection import Graph
from queries.authors import find_author
from queries.topics import topic_profiles

__all__ = ["SimilarAuthor", "similar_authors"]

SIMILAR = """
MATCH (u:Author {id: $id})-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(t:Topic)
USING INDEX u:Author(id)
WITH u, t, count(*) AS mine
MATCH (t)<-[:HAS_TOPIC]-(:Paper)<-[:AUTHORED]-(v:Author)
WHERE v <> u
WITH u, v, t, mine, count(*) AS theirs
WITH u, v, sum(mine * theirs) AS dot, collect(t.name) AS shared
WHERE $include_coauthors OR NOT EXISTS { (u)-[:COAUTHOR]-(v) }
CALL (v) {
  MATCH (v)-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(other:Topic)
  WITH other, count(*) AS papers
  RETURN sqrt(sum(papers * papers)) AS norm
}
WITH v, shared, toFloat(dot) / (norm * $norm) AS similarity, EXISTS { (u)-[:COAUTHOR]-(v) } AS coauthor
RETURN v.id AS id, v.name AS name, similarity, shared, coauthor
ORDER BY round(similarity, 9) DESC, name, id
LIMIT $limit
"""


@dataclass(frozen=True)
class SimilarAuthor:
    """An author with a similar topic profile: the cosine, the topics both work on, and whether a coauthor."""

    id: str
    name: str
    similarity: float
    shared_topics: tuple[str, ...]
    coauthor: bool


def similar_authors(
    graph: Graph, name: str, *, limit: int = 10, include_coauthors: bool = False
) -> list[SimilarAuthor]:
    """The ``limit`` authors whose topic profiles are closest (cosine) to that of the author named ``name``."""
    author = find_author(graph, name)
    profile = topic_profiles(graph, [author.id])[author.id]
    if not profile:
        return []
    norm = math.sqrt(sum(count * count for count in profile.values()))
    rows = graph.read(SIMILAR, id=author.id, norm=norm, include_coauthors=include_coauthors, limit=limit)
    return [
        SimilarAuthor(row["id"], row["name"], row["similarity"], tuple(sorted(row["shared"])), row["coauthor"])
        for row in rows
    ]
