"""Find an author by id or name, with suggestions when the name is unknown and candidates when it is ambiguous.

Name resolution, shared by every command that takes an author: the exact id, else the one author whose name is
exactly the text, else the one author whose folded name (:func:`graph.model.name_key`) equals the text's. Several
matches at the first level that has any raise :class:`AmbiguousName`, listing each candidate with the facts that
tell them apart (papers, years, top topic); no match raises :class:`NotFound` with fuzzy suggestions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from graph.connection import Graph
from graph.errors import AmbiguousName, NotFound
from graph.model import name_key

__all__ = [
    "CANDIDATE_COLUMNS",
    "CANDIDATE_ORDER",
    "MATCH_AUTHOR",
    "AuthorMatch",
    "author_names",
    "author_params",
    "find_author",
    "resolve_author",
    "suggest_names",
]

# The candidates for a name or id, as the start of a query: callers add what they want of the one chosen, and
# resolve_author() picks it from the rows (one round trip instead of two).
MATCH_AUTHOR = """
MATCH (a:Author)
USING INDEX a:Author(id)
USING INDEX a:Author(name_key)
WHERE a.id = $text OR a.name_key = $key
"""
CANDIDATE_COLUMNS = """a.id AS id, a.name AS name, COUNT { (a)-[:AUTHORED]->(:Paper) } AS papers,
       a.id = $text AS exact_id, a.name = $text AS exact_name"""
CANDIDATE_ORDER = "ORDER BY exact_id DESC, papers DESC, id"

FIND_AUTHOR = f"{MATCH_AUTHOR}RETURN {CANDIDATE_COLUMNS}\n{CANDIDATE_ORDER}\n"

CANDIDATE_FACTS = """
UNWIND $ids AS id
MATCH (a:Author {id: id})
USING INDEX a:Author(id)
CALL (a) {
  OPTIONAL MATCH (a)-[:AUTHORED]->(p:Paper)
  RETURN min(p.year) AS first_year, max(p.year) AS last_year
}
CALL (a) {
  OPTIONAL MATCH (a)-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(t:Topic)
  WITH t.name AS topic, count(t) AS uses ORDER BY uses DESC, topic
  RETURN collect(topic)[0] AS top_topic
}
RETURN a.id AS id, first_year, last_year, top_topic
"""

FUZZY_NAMES = """
CALL db.index.fulltext.queryNodes('author_names', $terms, {limit: $limit}) YIELD node
RETURN DISTINCT node.name AS name
"""

AUTHOR_NAMES = """
UNWIND $ids AS id
MATCH (a:Author {id: id})
USING INDEX a:Author(id)
RETURN a.id AS id, a.name AS name
"""


@dataclass(frozen=True)
class AuthorMatch:
    """An author node found by name or id; the years and top topic are filled in for ambiguous candidates."""

    id: str
    name: str
    papers: int
    first_year: int | None = None
    last_year: int | None = None
    top_topic: str | None = None

    def describe(self) -> str:
        """One line naming the author with their id, paper count, active years and top topic."""
        facts = [self.id, f"{self.papers} papers"]
        if self.first_year is not None:
            facts.append(f"{self.first_year}-{self.last_year}")
        if self.top_topic:
            facts.append(f"top topic {self.top_topic}")
        return f"{self.name} ({', '.join(facts)})"


def find_author(graph: Graph, text: str) -> AuthorMatch:
    """The author whose id is ``text``, else the one whose name is exactly ``text``, else the one whose folded name
    equals it.

    Raises NotFound (with the closest known names) or AmbiguousName (every candidate, with distinguishing facts).
    """
    return _match(resolve_author(graph, text, graph.read(FIND_AUTHOR, **author_params(text))))


def author_params(text: str) -> dict[str, str]:
    """The parameters of :data:`MATCH_AUTHOR` for ``text``."""
    return {"text": text, "key": name_key(text)}


def resolve_author(graph: Graph, text: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The row of the author ``text`` names, among the candidate rows of :data:`MATCH_AUTHOR` (with
    :data:`CANDIDATE_COLUMNS`, in :data:`CANDIDATE_ORDER`); raises as :func:`find_author` does."""
    if rows and rows[0]["exact_id"]:
        return rows[0]
    for level in ([row for row in rows if row["exact_name"]], rows):
        if len(level) == 1:
            return level[0]
        if level:
            raise AmbiguousName(f"{text!r} matches {len(level)} authors; name one by id", _describe(graph, level))
    raise NotFound(f"no author named {text!r}", suggest_names(graph, text))


def author_names(graph: Graph, ids: Iterable[str]) -> dict[str, str]:
    """Author id -> display name, for the ids that exist."""
    return {row["id"]: row["name"] for row in graph.read(AUTHOR_NAMES, ids=sorted(set(ids)))}


def suggest_names(graph: Graph, text: str, limit: int = 5) -> list[str]:
    """Known author names closest to ``text``: fuzzy full-text candidates, re-ranked by similarity."""
    words = name_key(text).split()
    if not words:
        return []
    terms = " OR ".join(f"{term}~" for term in words)
    names = [row["name"] for row in graph.read(FUZZY_NAMES, terms=terms, limit=50)]
    ranked = process.extract(text, names, scorer=fuzz.WRatio, limit=limit, score_cutoff=70)
    return [name for name, _score, _index in ranked]


def _match(row: dict[str, Any], facts: dict[str, Any] | None = None) -> AuthorMatch:
    return AuthorMatch(row["id"], row["name"], row["papers"], **(facts or {}))


def _describe(graph: Graph, rows: list[dict[str, Any]]) -> list[str]:
    """Each candidate on one line, with the facts that tell namesakes apart."""
    facts = {fact.pop("id"): fact for fact in graph.read(CANDIDATE_FACTS, ids=[row["id"] for row in rows])}
    return [_match(row, facts.get(row["id"])).describe() for row in rows]
