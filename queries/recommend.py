"""Collaborator recommendations that explain themselves.

Candidates
    Authors within ``depth`` hops (2, or 3) of author *u* in the COAUTHOR graph whom *u* has never written with.
    With ``since``, only ties whose last joint paper is from ``since`` or later form that graph (older coauthors
    are still excluded: they are not new). With ``topic``, only candidates with a paper on the topic or one of its
    subtopics are kept.

Score parts, for a candidate *v* with shared coauthors *W* = Γ(u) ∩ Γ(v) (Γ = neighbours in that graph)
    - ``cn``: common neighbours, |W|.
    - ``aa``: Adamic-Adar, Σ_{w ∈ W} 1 / ln |Γ(w)| (a shared coauthor with few coauthors says more).
    - ``ra``: resource allocation, Σ_{w ∈ W} 1 / |Γ(w)| (Zhou, Lü & Zhang 2009; punishes hubs harder).
    - ``topic``: the cosine of the two authors' topic profiles (papers per topic, see :mod:`queries.topics`).
    - ``recency``: the mean over *w* ∈ W of d(u, w) · d(w, v), where d is the recency weight
      (:mod:`queries.recency`: half-life 5 years) of the tie's last joint year. 1 when both ties are current.

Combination (``method="combined"``)
    ``0.3·aa/max(aa) + 0.2·ra/max(ra) + 0.1·cn/max(cn) + 0.25·topic + 0.15·recency``, the maxima taken over
    the candidates of the same query (a part whose maximum is 0 adds 0), so the score lies in [0, 1]. The graph
    parts carry 60 % (they predict new ties best), topic overlap 25 %, recency 15 %. A candidate three hops away
    shares no coauthor, so only its topic overlap can rank it.

``method`` ranks by one part instead (``aa``, ``ra``, ``cn``, ``topic``); ties go to the higher combined score,
then to the name and id. A candidate that part scores 0 is not ranked by it and is left out: ``topic`` suggests no
one to an author without topics, ``aa``, ``ra`` and ``cn`` no one three hops away. Every recommendation carries
its explanation: the shared coauthors with the joint papers on each side, the shared topics, and all score parts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from graph.connection import Graph
from queries.authors import find_author
from queries.collaborators import JointPaper, joint_papers
from queries.recency import decay, latest_year
from queries.topics import cosine, find_topic, topic_names, topic_profiles

__all__ = [
    "METHODS",
    "WEIGHTS",
    "Candidate",
    "Recommendation",
    "SharedCoauthor",
    "has_topics",
    "rank_candidates",
    "recommend",
    "score_candidates",
]

METHODS = ("aa", "ra", "cn", "topic", "combined")
WEIGHTS = {"aa": 0.3, "ra": 0.2, "cn": 0.1, "topic": 0.25, "recency": 0.15}
MAX_SHARED_SHOWN = 5
MAX_PAPERS_SHOWN = 3

TIES = """
MATCH (a:Author {id: $id})-[c:COAUTHOR]-(x:Author)
USING INDEX a:Author(id)
RETURN x.id AS id, c.last_year AS last_year
"""

TWO_HOPS = """
MATCH (u:Author {id: $id})-[c1:COAUTHOR]-(w:Author)
USING INDEX u:Author(id)
WHERE $since IS NULL OR c1.last_year >= $since
WITH u, w, c1, COUNT { (w)-[c:COAUTHOR]-(:Author) WHERE $since IS NULL OR c.last_year >= $since } AS degree
MATCH (w)-[c2:COAUTHOR]-(v:Author)
WHERE v <> u AND ($since IS NULL OR c2.last_year >= $since)
RETURN v.id AS id, v.name AS name,
       collect({id: w.id, name: w.name, degree: degree, first: c1.last_year, second: c2.last_year}) AS via
"""

NEXT_RING = """
UNWIND $ids AS id
MATCH (a:Author {id: id})-[c:COAUTHOR]-(v:Author)
USING INDEX a:Author(id)
WHERE $since IS NULL OR c.last_year >= $since
RETURN DISTINCT v.id AS id, v.name AS name
"""


@dataclass(frozen=True)
class Candidate:
    """A candidate collaborator with every score part; ``via``: (id, name) of the shared coauthors, those with the
    fewest coauthors first; ``shared_topics``: the ids of the topics both authors wrote on."""

    id: str
    name: str
    hops: int
    cn: int
    aa: float
    ra: float
    topic: float
    recency: float
    combined: float = 0.0
    via: tuple[tuple[str, str], ...] = ()
    shared_topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class SharedCoauthor:
    """A coauthor of both: the joint papers with the author and with the candidate (latest first, a few)."""

    id: str
    name: str
    with_author: tuple[JointPaper, ...]
    with_candidate: tuple[JointPaper, ...]


@dataclass(frozen=True)
class Recommendation:
    """A suggested collaborator: ``score`` by the chosen method, the parts, and the explanation."""

    id: str
    name: str
    score: float
    hops: int
    parts: dict[str, float]
    shared_coauthors: tuple[SharedCoauthor, ...]
    shared_coauthor_count: int
    shared_topics: tuple[str, ...]


def recommend(
    graph: Graph,
    name: str,
    *,
    depth: int = 2,
    topic: str | None = None,
    since: int | None = None,
    limit: int = 10,
    method: str = "combined",
    reference_year: int | None = None,
) -> list[Recommendation]:
    """The ``limit`` best new collaborators for the author named ``name``, each with its explanation.

    See the module docstring for the candidates, the score parts and their combination.
    """
    author = find_author(graph, name)
    scope = find_topic(graph, topic).scope if topic else None
    candidates = score_candidates(
        graph, author.id, depth=depth, since=since, topic_scope=scope, reference_year=reference_year
    )
    ranked = [c for c in rank_candidates(candidates, method) if method == "combined" or getattr(c, method) > 0]
    return _explain(graph, author.id, ranked[:limit], method)


def has_topics(graph: Graph, name: str) -> bool:
    """Whether a paper of the author ``name`` names carries a topic (else ``method="topic"`` suggests no one)."""
    author_id = find_author(graph, name).id
    return bool(topic_profiles(graph, [author_id])[author_id])


def score_candidates(
    graph: Graph,
    author_id: str,
    *,
    depth: int = 2,
    since: int | None = None,
    topic_scope: Iterable[str] | None = None,
    reference_year: int | None = None,
) -> list[Candidate]:
    """Every candidate of ``author_id`` with its score parts and combined score, in no particular order."""
    if depth not in (2, 3):
        raise ValueError("depth must be 2 or 3")
    reference = reference_year if reference_year is not None else latest_year(graph)
    ties = graph.read(TIES, id=author_id)
    coauthors = {row["id"] for row in ties}
    ring1 = {row["id"] for row in ties if since is None or (row["last_year"] or -math.inf) >= since}
    found = {row["id"]: row for row in graph.read(TWO_HOPS, id=author_id, since=since)}
    parts = {id_: _graph_parts(row, reference) for id_, row in found.items() if id_ not in coauthors}
    if depth == 3:
        seen = ring1 | set(found) | {author_id}
        for row in graph.read(NEXT_RING, ids=sorted(set(found) - ring1), since=since):
            if row["id"] not in seen and row["id"] not in coauthors:
                parts[row["id"]] = {"name": row["name"], "hops": 3, "cn": 0, "aa": 0.0, "ra": 0.0, "recency": 0.0}
    profiles = topic_profiles(graph, [author_id, *parts])
    if topic_scope is not None:
        scope = set(topic_scope)
        parts = {id_: part for id_, part in parts.items() if scope & profiles[id_].keys()}
    mine = profiles[author_id]
    candidates = [
        Candidate(id=v, topic=cosine(mine, profiles[v]), shared_topics=tuple(sorted(mine.keys() & profiles[v])), **part)
        for v, part in parts.items()
    ]
    return _combine(candidates)


def rank_candidates(candidates: Iterable[Candidate], method: str = "combined") -> list[Candidate]:
    """Candidates best first by ``method`` (a score part or ``combined``), then combined, name and id.

    Scores are compared to 9 decimals, so candidates whose scores differ only by rounding noise tie.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}")
    return sorted(candidates, key=lambda c: (-round(getattr(c, method), 9), -round(c.combined, 9), c.name or "", c.id))


def _graph_parts(row: dict[str, Any], reference: int | None) -> dict[str, Any]:
    via = row["via"]
    return {
        "name": row["name"],
        "hops": 2,
        "cn": len(via),
        "aa": sum(1 / math.log(w["degree"]) for w in via),
        "ra": sum(1 / w["degree"] for w in via),
        "recency": sum(decay(w["first"], reference) * decay(w["second"], reference) for w in via) / len(via),
        "via": tuple((w["id"], w["name"]) for w in sorted(via, key=lambda w: (w["degree"], w["id"]))),
    }


def _combine(candidates: list[Candidate]) -> list[Candidate]:
    peaks = {part: max((getattr(c, part) for c in candidates), default=0) for part in ("aa", "ra", "cn")}

    def combined(c: Candidate) -> float:
        graph_parts = sum(WEIGHTS[p] * getattr(c, p) / peak for p, peak in peaks.items() if peak)
        return graph_parts + WEIGHTS["topic"] * c.topic + WEIGHTS["recency"] * c.recency

    return [replace(c, combined=combined(c)) for c in candidates]


def _explain(graph: Graph, author_id: str, ranked: list[Candidate], method: str) -> list[Recommendation]:
    """Attach the shared coauthors (with joint papers) and shared topics to the ranked candidates."""
    shown = {c.id: c.via[:MAX_SHARED_SHOWN] for c in ranked}
    pairs = {(author_id, w) for ws in shown.values() for w, _name in ws}
    pairs |= {(w, c) for c, ws in shown.items() for w, _name in ws}
    papers = {pair: found[:MAX_PAPERS_SHOWN] for pair, found in joint_papers(graph, pairs).items()}
    labels = topic_names(graph, {t for c in ranked for t in c.shared_topics})
    return [
        Recommendation(
            id=c.id,
            name=c.name,
            score=getattr(c, method),
            hops=c.hops,
            parts={part: getattr(c, part) for part in (*WEIGHTS, "combined")},
            shared_coauthors=tuple(
                SharedCoauthor(w, name, papers.get((author_id, w), ()), papers.get((w, c.id), ()))
                for w, name in shown[c.id]
            ),
            shared_coauthor_count=c.cn,
            shared_topics=tuple(sorted(labels[t] for t in c.shared_topics)),
        )
        for c in ranked
    ]
