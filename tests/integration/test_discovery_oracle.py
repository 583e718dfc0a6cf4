"""The discovery queries recomputed independently: the graph exported with one Cypher query per relationship type
into networkx, and every answer computed there with networkx, scipy and plain Python.

Holds no tests: the other test_discovery*.py files import it (pytest puts this folder on sys.path).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import combinations

import networkx as nx
import pytest
from scipy.spatial import distance

from graph.connection import Graph
from graph.model import name_key
from queries.collaborators import find_coauthors
from queries.experts import find_experts
from queries.paths import shortest_paths
from queries.profile import author_profile
from queries.recommend import METHODS, rank_candidates, score_candidates
from queries.similar import similar_authors

HALF_LIFE = 5
WEIGHTS = {"aa": 0.3, "ra": 0.2, "cn": 0.1, "topic": 0.25, "recency": 0.15}  # as documented in queries.recommend


@dataclass
class Export:
    """The graph as networkx sees it."""

    papers: nx.Graph  # authors and papers (bipartite), AUTHORED
    ties: nx.Graph  # COAUTHOR, with last_year
    topics: dict[str, set[str]]  # paper -> topics, HAS_TOPIC
    topic_names: dict[str, str]
    tree: nx.DiGraph  # child -> parent, SUBTOPIC_OF
    reference: int | None  # the latest paper year

    def authors(self) -> list[str]:
        return sorted(n for n, kind in self.papers.nodes(data="kind") if kind == "author")

    def name(self, node: str) -> str:
        return self.papers.nodes[node]["name"] if node in self.papers else node


def export(graph: Graph) -> Export:
    papers = nx.Graph()
    for row in graph.read(
        "MATCH (a:Author)-[:AUTHORED]->(p:Paper) RETURN a.id AS a, a.name AS name, p.id AS p, p.year AS year, "
        "p.title AS title, p.citations AS citations"
    ):
        papers.add_node(row["a"], kind="author", name=row["name"])
        papers.add_node(row["p"], kind="paper", year=row["year"], title=row["title"], citations=row["citations"])
        papers.add_edge(row["a"], row["p"])
    ties = nx.Graph()
    for row in graph.read("MATCH (a:Author)-[c:COAUTHOR]->(b:Author) RETURN a.id AS a, b.id AS b, c.last_year AS y"):
        ties.add_edge(row["a"], row["b"], last_year=row["y"])
    topics: dict[str, set[str]] = {}
    topic_names = {}
    for row in graph.read("MATCH (p:Paper)-[:HAS_TOPIC]->(t:Topic) RETURN p.id AS p, t.id AS t, t.name AS name"):
        topics.setdefault(row["p"], set()).add(row["t"])
        topic_names[row["t"]] = row["name"]
    tree = nx.DiGraph()
    for row in graph.read("MATCH (c:Topic)-[:SUBTOPIC_OF]->(t:Topic) RETURN c.id AS c, t.id AS t"):
        tree.add_edge(row["c"], row["t"])
    years = [year for _node, year in papers.nodes(data="year") if year is not None]
    return Export(papers, ties, topics, topic_names, tree, max(years, default=None))


def decay(year: int | None, reference: int | None) -> float:
    if year is None or reference is None:
        return 1.0
    return 2 ** (-max(0, reference - year) / HALF_LIFE)


def papers_of(exp: Export, author: str, *, since: int | None = None, until: int | None = None) -> set[str]:
    def inside(year: int | None) -> bool:
        if since is None and until is None:
            return True
        return year is not None and (since is None or year >= since) and (until is None or year <= until)

    return {p for p in exp.papers[author] if inside(exp.papers.nodes[p]["year"])}


def projection(exp: Export, *, until: int | None = None) -> nx.Graph:
    """Authors linked when they share a paper (of year <= until)."""
    graph = nx.Graph()
    for node, kind in exp.papers.nodes(data="kind"):
        year = exp.papers.nodes[node].get("year")
        if kind == "paper" and (until is None or (year is not None and year <= until)):
            graph.add_edges_from(combinations(sorted(exp.papers[node]), 2))
    return graph


def topic_profile(exp: Export, author: str) -> Counter:
    return Counter(t for p in exp.papers[author] if p in exp.topics for t in exp.topics[p])


def cosine(a: Counter, b: Counter) -> float:
    keys = sorted(a.keys() | b.keys())
    if not a or not b:
        return 0.0
    return 1 - distance.cosine([a[k] for k in keys], [b[k] for k in keys])


def recommend(exp: Export, u: str, *, depth: int = 2, since: int | None = None) -> dict[str, dict[str, float]]:
    """Candidate -> score parts and combined score, as the module docstring of queries.recommend defines them."""
    if since is None:
        ties = exp.ties
    else:
        kept = [(a, b) for a, b, y in exp.ties.edges(data="last_year") if y is not None and y >= since]
        ties = exp.ties.edge_subgraph(kept)
    if u not in ties:
        return {}
    hops = nx.single_source_shortest_path_length(ties, u, cutoff=depth)
    candidates = [v for v, d in hops.items() if d >= 2 and not exp.ties.has_edge(u, v)]
    pairs = [(u, v) for v in candidates]
    aa = {v: s for _u, v, s in nx.adamic_adar_index(ties, pairs)}
    ra = {v: s for _u, v, s in nx.resource_allocation_index(ties, pairs)}
    mine = topic_profile(exp, u)
    parts = {}
    for v in candidates:
        shared = list(nx.common_neighbors(ties, u, v))
        recency = [
            decay(ties[u][w]["last_year"], exp.reference) * decay(ties[w][v]["last_year"], exp.reference)
            for w in shared
        ]
        parts[v] = {
            "aa": aa[v],
            "ra": ra[v],
            "cn": len(shared),
            "topic": cosine(mine, topic_profile(exp, v)),
            "recency": sum(recency) / len(recency) if recency else 0.0,
        }
    peaks = {part: max((p[part] for p in parts.values()), default=0) for part in ("aa", "ra", "cn")}
    for p in parts.values():
        p["combined"] = sum(WEIGHTS[k] * p[k] / peaks[k] for k in peaks if peaks[k]) + sum(
            WEIGHTS[k] * p[k] for k in ("topic", "recency")
        )
    return parts


def ranked(exp: Export, parts: dict[str, dict[str, float]], method: str) -> list[str]:
    return sorted(parts, key=lambda v: (-parts[v][method], -parts[v]["combined"], exp.name(v), v))


def fractional(exp: Export, u: str, *, since=None, until=None) -> dict[str, tuple[int, float]]:
    """Coauthor -> (joint papers, sum of 1/(n-1)) over u's papers in the window."""
    found: dict[str, list] = {}
    for p in papers_of(exp, u, since=since, until=until):
        others = set(exp.papers[p]) - {u}
        for v in others:
            entry = found.setdefault(v, [0, 0.0])
            entry[0] += 1
            entry[1] += 1 / len(others)
    return {v: (w, f) for v, (w, f) in found.items()}


def experts(exp: Export, topic_ids: set[str]) -> dict[str, tuple[float, int]]:
    """Author -> (recency-weighted papers, papers) in the topics and their descendants."""
    scope = set(topic_ids)
    for topic in topic_ids:
        if topic in exp.tree:
            scope |= nx.ancestors(exp.tree, topic)  # edges point child -> parent
    in_scope = {p for p, ts in exp.topics.items() if ts & scope and p in exp.papers}  # papers with authors
    found: dict[str, tuple[float, int]] = {}
    for p in in_scope:
        for a in exp.papers[p]:
            score, count = found.get(a, (0.0, 0))
            found[a] = (score + decay(exp.papers.nodes[p]["year"], exp.reference), count + 1)
    return found


def papers_with_word(graph: Graph, word: str) -> set[str]:
    """Papers whose title or abstract holds ``word`` as the index's tokenizer cuts words, in any case and with or
    without accents: a letter joined to another by ' . : continues the word ("finance.And" is one word)."""
    folded = re.escape(fold_letters(word))
    pattern = re.compile(rf"(?<!\w)(?<!\w['\u2019.:]){folded}(?!\w)(?!['\u2019.:]\w)", re.IGNORECASE)
    rows = graph.read("MATCH (p:Paper) RETURN p.id AS id, p.title AS title, p.abstract_text AS abstract")
    texts = ((row["id"], fold_letters(row[field] or "")) for row in rows for field in ("title", "abstract"))
    return {paper for paper, text in texts if pattern.search(text)}


def fold_letters(text: str) -> str:
    """Each cased letter of the Basic Multilingual Plane folded as names are (``Ü`` -> ``u``, ``ß`` -> ``ss``),
    everything else kept, so words stay where they were."""
    return "".join(
        name_key(ch) or ch if ch < "\U00010000" and unicodedata.category(ch) in ("Ll", "Lu") else ch for ch in text
    )


def h_index(citations: list[int]) -> int:
    counts = sorted(citations, reverse=True)
    return max((rank for rank in range(1, len(counts) + 1) if counts[rank - 1] >= rank), default=0)


# ---- checks: one query of the project against the oracle above, asserting exact agreement


def check_recommend(graph: Graph, exp: Export, author: str, *, depth: int = 2, since: int | None = None) -> int:
    """Every candidate, every score part and the ranking by every method agree; returns the candidate count."""
    got = {c.id: c for c in score_candidates(graph, author, depth=depth, since=since)}
    want = recommend(exp, author, depth=depth, since=since)
    assert got.keys() == want.keys(), author
    for v, parts in want.items():
        assert {part: getattr(got[v], part) for part in parts} == pytest.approx(parts, abs=1e-9), (author, v)
    for method in METHODS:
        assert [c.id for c in rank_candidates(got.values(), method)] == ranked(exp, want, method), (author, method)
    return len(want)


def check_paths(graph: Graph, exp: Export, a: str, b: str, *, as_of: int | None = None) -> int | None:
    """All shortest paths agree with networkx's; returns the distance (None: no path)."""
    network = exp.ties if as_of is None else projection(exp, until=as_of)
    found = shortest_paths(graph, a, b, as_of=as_of, limit=10**6)
    if a != b and not (a in network and b in network and nx.has_path(network, a, b)):
        assert found == [], (a, b)
        return None
    want = sorted(nx.all_shortest_paths(network, a, b)) if a != b else [[a]]
    assert found == want, (a, b)
    return len(want[0]) - 1


def check_coauthors(graph: Graph, exp: Export, author: str, *, since=None, until=None) -> None:
    got = find_coauthors(graph, author, since=since, until=until, fractional=True)
    want = fractional(exp, author, since=since, until=until)
    assert {c.id: c.weight for c in got} == {v: weight for v, (weight, _f) in want.items()}
    assert {c.id: c.fractional for c in got} == pytest.approx({v: f for v, (_w, f) in want.items()})
    assert [c.fractional for c in got] == sorted((c.fractional for c in got), reverse=True)
    if since is until is None:  # the plain list reads COAUTHOR ties: they must count the same joint papers
        plain = find_coauthors(graph, author)
        assert {c.id: c.weight for c in plain} == {v: weight for v, (weight, _f) in want.items()}
        assert [c.id for c in plain] == sorted(want, key=lambda v: (-want[v][0], exp.name(v), v))


def check_experts(graph: Graph, exp: Export, topic: str) -> None:
    got = find_experts(graph, topic, limit=10**6)
    want = experts(exp, {topic})
    assert {e.id: e.papers for e in got.experts} == {a: papers for a, (_s, papers) in want.items()}
    assert {e.id: e.score for e in got.experts} == pytest.approx({a: score for a, (score, _p) in want.items()})
    order = sorted(want, key=lambda a: (-round(want[a][0], 9), -want[a][1], exp.name(a), a))
    assert [e.id for e in got.experts] == order


def check_similar(graph: Graph, exp: Export, author: str, *, include_coauthors: bool = False) -> None:
    mine = topic_profile(exp, author)
    others = {
        v: cosine(mine, topic_profile(exp, v))
        for v in exp.authors()
        if v != author and (include_coauthors or not exp.ties.has_edge(author, v))
    }
    want = {v: score for v, score in others.items() if topic_profile(exp, v).keys() & mine.keys()}
    got = similar_authors(graph, author, limit=10**6, include_coauthors=include_coauthors)
    assert {s.id: s.similarity for s in got} == pytest.approx(want)
    assert [s.id for s in got] == sorted(want, key=lambda v: (-round(want[v], 9), exp.name(v), v))


def check_profile(graph: Graph, exp: Export, author: str) -> None:
    got = author_profile(graph, author)
    papers = exp.papers[author]
    years = [exp.papers.nodes[p]["year"] for p in papers if exp.papers.nodes[p]["year"] is not None]
    citations = [exp.papers.nodes[p]["citations"] for p in papers if exp.papers.nodes[p]["citations"] is not None]
    names = Counter(exp.topic_names[t] for p in papers for t in exp.topics.get(p, ()))
    assert {p.id for p in got.papers} == set(papers)
    assert (got.paper_count, got.first_year, got.last_year) == (
        len(papers),
        min(years, default=None),
        max(years, default=None),
    )
    assert got.coauthor_count == (exp.ties.degree(author) if author in exp.ties else 0)
    assert list(got.top_topics) == sorted(names.items(), key=lambda item: (-item[1], item[0]))[:5]
    assert got.h_index == (h_index(citations) if citations else None)
