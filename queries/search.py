"""Full-text search over paper titles and abstracts (the ``paper_text`` index), returning papers with authors.

The text travels as a query parameter, but the index still reads it as Lucene query syntax, so every Lucene
special character is escaped and the operator words AND, OR, NOT are lowered to plain words: the user's text is
searched for as words, never run as a query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.connection import Graph
from graph.errors import InputError

__all__ = ["PaperHit", "escape_lucene", "search_papers"]

SEARCH = """
CALL db.index.fulltext.queryNodes('paper_text', $query, {limit: $limit}) YIELD node, score
CALL (node) {
  OPTIONAL MATCH (a:Author)-[r:AUTHORED]->(node)
  WITH a, r ORDER BY r.position, a.name
  RETURN collect(a.name) AS authors
}
RETURN node.id AS id, node.title AS title, node.year AS year, node.venue AS venue, score, authors
ORDER BY score DESC, id
"""

_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_OPERATOR = re.compile(r"\b(AND|OR|NOT|TO)\b")


@dataclass(frozen=True)
class PaperHit:
    """A paper that matches the search, with its relevance score and authors in order."""

    id: str
    title: str
    year: int | None
    venue: str | None
    score: float
    authors: tuple[str, ...]


def escape_lucene(text: str) -> str:
    r"""``text`` as plain words for a Lucene query: special characters escaped, operator words lowered.

    >>> print(escape_lucene('risk-based (RL) AND "LLM"'))
    risk\-based \(RL\) and \"LLM\"
    """
    return _OPERATOR.sub(lambda word: word.group().lower(), _SPECIAL.sub(r"\\\1", text))


def search_papers(graph: Graph, text: str, *, limit: int = 20) -> list[PaperHit]:
    """Papers whose title or abstract matches the words of ``text``, most relevant first."""
    query = escape_lucene(text.strip())
    if not query:
        raise InputError("nothing to search for: the search text is empty")
    rows = graph.read(SEARCH, query=query, limit=limit)
    return [PaperHit(**{**row, "authors": tuple(row["authors"])}) for row in rows]
