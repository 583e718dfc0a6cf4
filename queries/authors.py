"""Find an author by id or name, with suggestions when the name is unknown and candidates when it is ambiguous."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from graph.connection import Graph
from graph.errors import AmbiguousName, NotFound
from graph.model import name_key

__all__ = ["AuthorMatch", "find_author", "suggest_names"]

FIND_AUTHOR = """
MATCH (a:Author)
WHERE a.id = $text OR a.name_key = $key
RETURN a.id AS id, a.name AS name, COUNT { (a)-[:AUTHORED]->(:Paper) } AS papers, a.id = $text AS exact_id
ORDER BY exact_id DESC, papers DESC, id
"""

FUZZY_NAMES = """
CALL db.index.fulltext.queryNodes('author_names', $terms, {limit: $limit}) YIELD node
RETURN DISTINCT node.name AS name
"""


@dataclass(frozen=True)
class AuthorMatch:
    """An author node found by name or id."""

    id: str
    name: str
    papers: int


def find_author(graph: Graph, text: str) -> AuthorMatch:
    """The author whose id is ``text``, or the one author whose folded name equals it.

    Raises NotFound (with the closest known names) or AmbiguousName (with every candidate).
    """
    rows = graph.read(FIND_AUTHOR, text=text, key=name_key(text))
    if rows and (rows[0]["exact_id"] or len(rows) == 1):
        return AuthorMatch(rows[0]["id"], rows[0]["name"], rows[0]["papers"])
    if rows:
        candidates = [f"{row['name']} ({row['id']}, {row['papers']} papers)" for row in rows]
        raise AmbiguousName(f"{text!r} matches {len(rows)} authors; name one by id", candidates)
    raise NotFound(f"no author named {text!r}", suggest_names(graph, text))


def suggest_names(graph: Graph, text: str, limit: int = 5) -> list[str]:
    """Known author names closest to ``text``: fuzzy full-text candidates, re-ranked by similarity."""
    words = name_key(text).split()
    if not words:
        return []
    terms = " OR ".join(f"{term}~" for term in words)
    names = [row["name"] for row in graph.read(FUZZY_NAMES, terms=terms, limit=50)]
    ranked = process.extract(text, names, scorer=fuzz.WRatio, limit=limit, score_cutoff=70)
    return [name for name, _score, _index in ranked]
