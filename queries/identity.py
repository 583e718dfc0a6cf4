"""Who an author is and why: their identity, the candidates that may be the same person, and the user's own
merge and split decisions (stored in the graph, so the next load keeps them).

A reload resolves each mention to the Author that already holds its authorship (:mod:`graph.identity`), so a
manual merge stays merged and a split stays split; ``DISTINCT_FROM`` stops the resolver from merging a split
pair again, even when an id of the source would.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz import fuzz

from graph.connection import Graph
from graph.errors import InvalidRequest, NotFound, SameAuthor
from graph.evidence import COAUTHOR_WEIGHT, TOPIC_WEIGHT, Evidence
from graph.identity import free_id
from graph.identity_store import merge_author_nodes, split_author_node
from graph.model import name_key
from graph.names import name_match, parse_person
from queries.authors import find_author

__all__ = [
    "AuthorIdentity",
    "DuplicatePair",
    "IdentityChange",
    "find_duplicates",
    "merge_authors",
    "show_identity",
    "split_author",
]

SHOW_IDENTITY = """
MATCH (a:Author {id: $id})
RETURN a.id AS id, a.name AS name, coalesce(a.names, [a.name]) AS names,
  [(a)<-[:IDENTIFIES]-(k:AuthorId) | k.id] AS ids,
  [(a)-[d:DISTINCT_FROM]-(o:Author) | o.id] AS distinct_from,
  COLLECT {
    MATCH (m:IdentityMerge)-[:INTO]->(a)
    RETURN m {.absorbed, .absorbed_names, .rule, .score, .evidence, .manual, at: toString(m.at)} ORDER BY m.at
  } AS merges,
  COLLECT {
    MATCH (a)-[r:AUTHORED]->(p:Paper)
    RETURN {paper: p.id, title: p.title, year: p.year, written: r.name_as_written, rule: r.identity_rule,
            score: r.identity_score, evidence: r.identity_evidence}
    ORDER BY p.year, p.id
  } AS authorships
"""

CANDIDATE_PAIRS = """
MATCH (a:Author) WHERE a.block_key IS NOT NULL
WITH a.block_key AS block, collect(a) AS members WHERE size(members) > 1
UNWIND members AS a
UNWIND members AS b
WITH a, b WHERE a.id < b.id AND NOT EXISTS { (a)-[:DISTINCT_FROM]-(b) }
  AND NOT EXISTS { (a)-[:AUTHORED]->(:Paper)<-[:AUTHORED]-(b) }
RETURN a.id AS a_id, a.name AS a_name, coalesce(a.names, [a.name]) AS a_names,
       b.id AS b_id, b.name AS b_name, coalesce(b.names, [b.name]) AS b_names,
  COLLECT { MATCH (a)-[:COAUTHOR]-(c:Author)-[:COAUTHOR]-(b) RETURN DISTINCT c.name ORDER BY c.name } AS coauthors,
  COLLECT {
    MATCH (a)-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(:Topic)-[:SUBTOPIC_OF*0..]->(t:Topic)
    RETURN DISTINCT t.id AS topic
  } AS a_topics,
  COLLECT {
    MATCH (b)-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(:Topic)-[:SUBTOPIC_OF*0..]->(t:Topic)
    RETURN DISTINCT t.id AS topic
  } AS b_topics
"""

TOPIC_NAMES = "UNWIND $ids AS id MATCH (t:Topic {id: id}) RETURN t.id AS id, t.name AS name"

AUTHORED_PAPERS = """
MATCH (a:Author {id: $id})-[r:AUTHORED]->(p:Paper)
RETURN p.id AS paper, r.name_as_written AS written
"""

TAKEN = "MATCH (a:Author) WHERE a.id = $id OR a.id STARTS WITH $id + '~' RETURN a.id AS id"
FORGET_SPLIT = "MATCH (:Author {id: $a})-[d:DISTINCT_FROM]-(:Author {id: $b}) DELETE d"


@dataclass(frozen=True)
class AuthorIdentity:
    """An Author's identity: name variants, strong ids, merges with their evidence, and why each authorship is
    theirs."""

    id: str
    name: str
    names: list[str]
    ids: list[str]
    merges: list[dict[str, Any]] = field(default_factory=list)
    authorships: list[dict[str, Any]] = field(default_factory=list)
    distinct_from: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DuplicatePair:
    """Two unmerged authors who may be one person, with the evidence: name similarity (0-1, rapidfuzz), how the
    names match (``exact``, ``variant`` or ``different``), shared coauthors and topics, and a combined score."""

    score: float
    a_id: str
    a_name: str
    b_id: str
    b_name: str
    name_similarity: float
    name_match: str
    shared_coauthors: list[str]
    shared_topics: list[str]


@dataclass(frozen=True)
class IdentityChange:
    """What a manual merge or split did: the authors involved and how many had their COAUTHOR ties recomputed."""

    action: str
    kept: str
    other: str
    papers: int
    ties_recomputed_for: int


def show_identity(graph: Graph, text: str) -> AuthorIdentity:
    """The identity of the author ``text`` names (an id or a name, as :func:`queries.authors.find_author`)."""
    author = find_author(graph, text)
    [row] = graph.read(SHOW_IDENTITY, id=author.id)
    return AuthorIdentity(**{**row, "ids": sorted(row["ids"]), "distinct_from": sorted(row["distinct_from"])})


def find_duplicates(graph: Graph, min_score: float = 0.5, limit: int = 50) -> list[DuplicatePair]:
    """Unmerged authors of one name block (surname + first initial) who may be one person, best first.

    The score is the name similarity times the evidence (shared coauthors, overlapping topics), so near-identical
    names with nothing in common score 0 and are left out below ``min_score``. Authors who wrote a paper together,
    or whom a user split apart, are never candidates.
    """
    rows = graph.read(CANDIDATE_PAIRS)
    pairs = [_pair(row) for row in rows]
    pairs = sorted((pair for pair in pairs if pair.score >= min_score), key=lambda p: (-p.score, p.a_id, p.b_id))
    pairs = pairs[:limit]
    names = {row["id"]: row["name"] for row in graph.read(TOPIC_NAMES, ids=[t for p in pairs for t in p.shared_topics])}
    return [replace(pair, shared_topics=sorted(names.get(t, t) for t in pair.shared_topics)) for pair in pairs]


def _pair(row: dict[str, Any]) -> DuplicatePair:
    similarity = fuzz.ratio(name_key(row["a_name"]), name_key(row["b_name"])) / 100
    kinds = {name_match(parse_person(x), parse_person(y)) for x in row["a_names"] for y in row["b_names"]}
    kind = "different" if None in kinds else "exact" if kinds == {"exact"} else "variant"
    topics = sorted(set(row["a_topics"]) & set(row["b_topics"]))
    smaller = min(len(row["a_topics"]), len(row["b_topics"]))
    overlap = len(topics) / smaller if smaller else 0.0
    evidence = 1 - (1 - COAUTHOR_WEIGHT) ** len(row["coauthors"]) * (1 - TOPIC_WEIGHT * overlap)
    return DuplicatePair(
        score=round(similarity * evidence, 3),
        a_id=row["a_id"],
        a_name=row["a_name"],
        b_id=row["b_id"],
        b_name=row["b_name"],
        name_similarity=round(similarity, 3),
        name_match=kind,
        shared_coauthors=row["coauthors"],
        shared_topics=topics,
    )


def merge_authors(graph: Graph, keep_text: str, other_text: str) -> IdentityChange:
    """Merge the author ``other_text`` names into the one ``keep_text`` names, as a manual decision: the merge is
    recorded, a split between them is forgotten, and COAUTHOR ties are recomputed."""
    keep, other = find_author(graph, keep_text), find_author(graph, other_text)
    if keep.id == other.id:
        raise SameAuthor(f"{keep_text!r} and {other_text!r} are the same author ({keep.id})")
    evidence = Evidence("manual", 1.0)

    def work(tx) -> int:
        tx.run(FORGET_SPLIT, a=keep.id, b=other.id).consume()
        return len(merge_author_nodes(tx, keep.id, other.id, evidence, manual=True))

    touched = graph.execute_write(work)
    return IdentityChange("merge", keep.id, other.id, other.papers, touched)


def split_author(graph: Graph, text: str, paper_ids: list[str]) -> IdentityChange:
    """Move the author's authorships of ``paper_ids`` to a new author, recorded as a different person from the
    old one (the resolver never merges them again); COAUTHOR ties are recomputed."""
    author = find_author(graph, text)
    authored = {row["paper"]: row["written"] for row in graph.read(AUTHORED_PAPERS, id=author.id)}
    unknown = [paper for paper in paper_ids if paper not in authored]
    if unknown:
        raise NotFound(f"{author.id} did not author {', '.join(unknown)}", sorted(authored)[:5])
    if set(paper_ids) >= set(authored):
        raise InvalidRequest(f"that would move every paper of {author.id}; name only the papers to split off")
    written = authored[paper_ids[0]] or author.name
    base = f"name:{name_key(written)}"
    new_id = free_id(base, {row["id"] for row in graph.read(TAKEN, id=base)})
    touched = graph.execute_write(split_author_node, author.id, new_id, sorted(set(paper_ids)))
    return IdentityChange("split", author.id, new_id, len(set(paper_ids)), len(touched))
