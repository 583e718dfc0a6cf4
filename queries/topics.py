"""Topics: forgiving lookup with subtopics, and the topic profiles of authors compared by cosine.

An author's *topic profile* counts, for each topic, the distinct papers of the author that carry it (direct
``HAS_TOPIC`` links only, not their ancestors). Two profiles are compared by the cosine of these count vectors.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from graph.connection import Graph
from graph.errors import NotFound
from graph.model import name_key
from graph.words import singular_key

__all__ = ["TopicMatch", "cosine", "find_topic", "topic_names", "topic_profiles"]

ALL_TOPICS = "MATCH (t:Topic) RETURN t.id AS id, t.name AS name ORDER BY id"

SUBTOPICS = """
UNWIND $ids AS id
MATCH (t:Topic {id: id})<-[:SUBTOPIC_OF*0..]-(s:Topic)
USING INDEX t:Topic(id)
RETURN DISTINCT s.id AS id
ORDER BY id
"""

TOPIC_PROFILES = """
UNWIND $ids AS id
MATCH (a:Author {id: id})-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(t:Topic)
USING INDEX a:Author(id)
RETURN id, t.id AS topic, count(*) AS papers
"""

TOPIC_NAMES = """
UNWIND $ids AS id
MATCH (t:Topic {id: id})
USING INDEX t:Topic(id)
RETURN t.id AS id, coalesce(t.name, t.id) AS name
"""


@dataclass(frozen=True)
class TopicMatch:
    """The topics a text named (``ids``, ``names``) and ``scope``: those topics with all their subtopics."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    scope: tuple[str, ...]


def find_topic(graph: Graph, text: str) -> TopicMatch:
    """The topics named by ``text``: its exact id, else every topic whose name, id or bare id (``cs.LG`` for
    ``arxiv:cs.LG``) folds (case, accents, punctuation) to the same key, else to the key of ``text`` with its last
    word singular (keyword topics are singular). Topics sharing a name (arXiv's cs.LG and stat.ML are both "Machine
    Learning") are all taken.

    Raises NotFound with the closest topic names (rapidfuzz) when nothing matches.
    """
    topics = graph.read(ALL_TOPICS)
    key, singular = name_key(text), singular_key(text)  # "graph neural networks" names keyword:graph neural network
    matched = (
        [row for row in topics if row["id"] == text]
        or [row for row in topics if key in _keys(row)]
        or [row for row in topics if singular in _keys(row)]
    )
    if not matched:
        raise NotFound(f"no topic named {text!r}", _suggest(key, topics))
    ids = tuple(row["id"] for row in matched)
    scope = tuple(row["id"] for row in graph.read(SUBTOPICS, ids=list(ids)))
    return TopicMatch(ids, tuple(row["name"] for row in matched), scope)


def topic_profiles(graph: Graph, ids: Iterable[str]) -> dict[str, dict[str, int]]:
    """Author id -> {topic id: distinct papers of the author on that topic}; authors without topics map to {}."""
    ids = list(ids)
    profiles: dict[str, dict[str, int]] = defaultdict(dict)
    for row in graph.read(TOPIC_PROFILES, ids=ids):
        profiles[row["id"]][row["topic"]] = row["papers"]
    return {id_: profiles.get(id_, {}) for id_ in ids}


def topic_names(graph: Graph, ids: Iterable[str]) -> dict[str, str]:
    """Topic id -> name (the id itself when the topic has no name)."""
    return {row["id"]: row["name"] for row in graph.read(TOPIC_NAMES, ids=sorted(ids))}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """The cosine of two sparse vectors; 0.0 when either is empty.

    >>> round(cosine({"x": 1, "y": 1}, {"x": 2}), 4)
    0.7071
    """
    dot = sum(value * b.get(key, 0) for key, value in a.items())
    norms = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norms if norms else 0.0


def _keys(row: dict[str, str]) -> set[str]:
    return {name_key(row["name"] or ""), name_key(row["id"]), name_key(row["id"].partition(":")[2])}


def _suggest(key: str, topics: list[dict[str, str]], limit: int = 5) -> list[str]:
    choices = {f"{row['name']} ({row['id']})": name_key(row["name"] or row["id"]) for row in topics}
    ranked = process.extract(key, choices, scorer=_closeness, limit=limit, score_cutoff=70)
    return [label for _folded, _score, label in ranked]


def _closeness(text: str, choice: str, **_options: object) -> float:
    """WRatio alone ties a misspelled "computer vison" between Computer Science and Computer Vision; the partial
    ratio (best matching substring) breaks such ties towards the name the text misspells."""
    return (fuzz.WRatio(text, choice) + fuzz.partial_ratio(text, choice)) / 2
