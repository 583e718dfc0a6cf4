"""Topic experts: the authors with the most papers in a topic and its subtopics, recent papers weighing more.

An author's score is the sum over their distinct papers in the topic's scope of the paper's recency weight
(:mod:`queries.recency`: half-life 5 years before the latest paper year in the graph), so ten papers of the
last year beat ten from a decade ago. The topic is named forgivingly (:func:`queries.topics.find_topic`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from graph.connection import Graph
from queries.recency import decay, latest_year
from queries.topics import TopicMatch, find_topic

__all__ = ["Expert", "Experts", "find_experts"]

# Per author and year, the distinct papers in scope (a paper on two topics of the scope counts once).
PAPERS_IN_SCOPE = """
MATCH (t:Topic)
USING INDEX t:Topic(id)
WHERE t.id IN $scope
MATCH (t)<-[:HAS_TOPIC]-(p:Paper)
WITH DISTINCT p
MATCH (p)<-[:AUTHORED]-(a:Author)
RETURN a.id AS id, a.name AS name, p.year AS year, count(p) AS papers
"""


@dataclass(frozen=True)
class Expert:
    """An author ranked on a topic: recency-weighted ``score``, ``papers`` in scope and their years."""

    id: str
    name: str
    score: float
    papers: int
    first_year: int | None
    last_year: int | None


@dataclass(frozen=True)
class Experts:
    """The topic as matched (with its subtopics) and its experts, best first."""

    topic: TopicMatch
    experts: tuple[Expert, ...]


def find_experts(graph: Graph, topic: str, *, limit: int = 10, reference_year: int | None = None) -> Experts:
    """The ``limit`` authors with the highest recency-weighted paper count in ``topic`` and its subtopics.

    Ties go to more papers, then name and id. Raises NotFound (with suggestions) for an unknown topic.
    """
    match = find_topic(graph, topic)
    reference = reference_year if reference_year is not None else latest_year(graph)
    totals: dict[str, dict] = defaultdict(lambda: {"score": 0.0, "papers": 0, "years": []})
    for row in graph.read(PAPERS_IN_SCOPE, scope=list(match.scope)):
        entry = totals[row["id"]]
        entry["name"] = row["name"]
        entry["score"] += row["papers"] * decay(row["year"], reference)
        entry["papers"] += row["papers"]
        if row["year"] is not None:
            entry["years"].append(row["year"])
    experts = [
        Expert(id_, e["name"], e["score"], e["papers"], min(e["years"], default=None), max(e["years"], default=None))
        for id_, e in totals.items()
    ]
    experts.sort(key=lambda e: (-round(e.score, 9), -e.papers, e.name or "", e.id))
    return Experts(match, tuple(experts[:limit]))
