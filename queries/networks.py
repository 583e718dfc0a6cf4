"""Whole networks to hand to other tools: coauthors, the Author-Paper-Topic graph, and topic co-occurrence.

Each network is read in a few paged queries (10,000 authors or papers per round trip, never one per node) into a
networkx graph whose attributes are plain ``str``, ``int`` or ``float`` values of one type per attribute, and
never ``None`` (an unknown value is left out), so every networkx writer accepts it.

Node attributes
---------------
- every node: ``label`` (the name or title) and ``kind`` (``author``, ``paper`` or ``topic``).
- coauthors: ``papers``, ``first_year``, ``last_year`` (of the author's papers), ``degree`` (coauthors),
  ``strength`` (summed tie weights), ``pagerank`` (weighted, damping 0.85), ``community`` (with a stored run).
  The three scores are those of ``coauthor central`` (:func:`queries.centrality.centrality_scores` on the graph of
  the authors with ties, as :func:`queries.projection.project_coauthors` reads it); an author without ties is
  exported with 0 for each.
- papers: authors as above without centrality (``community`` with a run); papers ``year``, ``doi``, ``arxiv_id``,
  ``venue``, ``citations`` and ``papers`` = 1 (so that "size by papers" works for every kind); topics ``papers``;
  ``kind_number`` (1 author, 2 paper, 3 topic). Node keys are prefixed by kind (``author:…``, ``paper:…``,
  ``topic:…``), since the three id spaces may overlap.
- topics: ``papers`` (papers carrying the topic), ``topic_kind`` and ``theme`` (see :mod:`queries.themes`).

Every edge has a float ``weight``: the joint papers of a COAUTHOR tie, the papers two topics share, 1 for an
authorship or a paper's topic (which also carry ``relation``, and ``position`` for an authorship).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from queries.centrality import centrality_scores
from queries.communities import read_run
from queries.projection import Projection
from queries.themes import TOPIC_PAIRS, find_themes

if TYPE_CHECKING:
    import neo4j

    from graph.connection import Graph

__all__ = ["KINDS", "NETWORKS", "Network", "coauthor_network", "paper_network", "read_network", "topic_network"]

NETWORKS = ("coauthors", "papers", "topics")
KINDS = ("author", "paper", "topic")
PAGE_SIZE = 10_000

# A page is one record holding a list per node, the node's id first (the driver decodes one long list many times
# faster than as many records: 118k ties of CA-HepPh in 1.8 s instead of 8 s). Nested lists keep nulls in place.
AUTHOR_PAGE = """
MATCH (a:Author) WHERE a.id > $after
WITH a ORDER BY a.id LIMIT $page
CALL (a) {
  MATCH (a)-[:AUTHORED]->(p:Paper)
  RETURN count(p) AS papers, min(p.year) AS first_year, max(p.year) AS last_year
}
CALL (a) {
  MATCH (a)-[c:COAUTHOR]->(b:Author)
  WHERE $with_ties
  RETURN collect([b.id, c.weight, c.first_year, c.last_year]) AS ties
}
RETURN collect([a.id, coalesce(a.name, a.id), a.orcid, papers, first_year, last_year, ties]) AS rows
"""

PAPER_PAGE = """
MATCH (p:Paper) WHERE p.id > $after
WITH p ORDER BY p.id LIMIT $page
CALL (p) {
  MATCH (a:Author)-[r:AUTHORED]->(p)
  RETURN collect([a.id, r.position]) AS authors
}
CALL (p) {
  MATCH (p)-[:HAS_TOPIC]->(t:Topic)
  RETURN collect(t.id) AS topics
}
RETURN collect([p.id, coalesce(p.title, p.id), p.year, p.doi, p.arxiv_id, p.venue, p.citations, authors, topics])
       AS rows
"""

TOPICS = """
MATCH (:Paper)-[:HAS_TOPIC]->(t:Topic)
RETURN t.id AS id, coalesce(t.name, t.id) AS name, t.kind AS kind, count(*) AS papers
ORDER BY id
"""


@dataclass(frozen=True)
class Network:
    """A network to export: the graph, and which node attribute groups it into clusters (with their names).

    ``cluster`` names an integer node attribute (``community``, ``kind_number`` or ``theme``) or is ``None``;
    ``cluster_labels`` maps a cluster number to a short name where one is known.
    """

    what: str
    graph: nx.Graph
    cluster: str | None = None
    cluster_labels: dict[int, str] = field(default_factory=dict)


def read_network(graph: Graph, what: str, *, run: str | None = None) -> Network:
    """The network ``what`` (one of :data:`NETWORKS`); ``run`` adds the authors' communities of a stored run.

    Raises NotFound for an unknown run, ValueError for an unknown network or a run with ``topics``.
    """
    if what == "topics":
        if run is not None:
            raise ValueError("a community run applies to authors: the coauthors and papers networks")
        return topic_network(graph)
    if what == "coauthors":
        return coauthor_network(graph, run=run)
    if what == "papers":
        return paper_network(graph, run=run)
    raise ValueError(f"unknown network {what!r} (known: {', '.join(NETWORKS)})")


def coauthor_network(graph: Graph, *, run: str | None = None) -> Network:
    """Every author, with centrality scores, and every COAUTHOR tie; ``run`` adds ``community``.

    Raises NotFound when ``run`` names no stored run.
    """
    membership = read_run(graph, run).membership if run is not None else {}
    network = nx.Graph()
    rows = _paged(graph, AUTHOR_PAGE, with_ties=True)
    network.add_nodes_from(_author(row, membership) for row in rows)
    network.add_edges_from(
        (row[0], target, _present(weight=float(weight), first_year=first, last_year=last))
        for row in rows
        for target, weight, first, last in sorted(row[6])
    )
    _add_centrality(network)
    return Network("coauthors", network, "community" if run is not None else None)


def _add_centrality(network: nx.Graph) -> None:
    """Set ``degree``, ``strength`` and ``pagerank`` as ``coauthor central`` computes them; 0 without ties.

    The scores run on the authors with ties only (isolated authors would change every PageRank), numbered and
    sorted as :func:`queries.projection.project_coauthors` does, so that the values are identical, not close.
    """
    ties = Projection.from_edges((a, b, data["weight"]) for a, b, data in network.edges(data=True))
    for measure, kind in (("degree", int), ("strength", float), ("pagerank", float)):
        scores, _method = centrality_scores(ties, measure)
        values = dict.fromkeys(network, kind(0))
        values.update(zip(ties.ids, map(kind, scores.tolist()), strict=True))
        nx.set_node_attributes(network, values, name=measure)


def paper_network(graph: Graph, *, run: str | None = None) -> Network:
    """Authors, papers and topics, linked by AUTHORED and HAS_TOPIC; ``run`` adds the authors' ``community``.

    Only topics that some paper carries are included (the topic hierarchy is left out). The VOSviewer cluster
    is the node kind: 1 authors, 2 papers, 3 topics.
    """
    membership = read_run(graph, run).membership if run is not None else {}
    network = nx.Graph()
    authors = _paged(graph, AUTHOR_PAGE, with_ties=False)
    network.add_nodes_from((f"author:{key}", data) for key, data in (_author(row, membership) for row in authors))
    papers = _paged(graph, PAPER_PAGE)
    network.add_nodes_from(_paper(row) for row in papers)
    network.add_nodes_from(_topics(graph, lambda key: f"topic:{key}"))
    for paper_id, *_fields, authorships, topics in papers:
        paper = f"paper:{paper_id}"
        network.add_edges_from(
            (f"author:{author}", paper, _present(relation="AUTHORED", weight=1.0, position=position))
            for author, position in sorted(authorships)
        )
        network.add_edges_from(
            (paper, f"topic:{topic}", {"relation": "HAS_TOPIC", "weight": 1.0}) for topic in sorted(topics)
        )
    for _key, data in network.nodes(data=True):
        data["kind_number"] = KINDS.index(data["kind"]) + 1
    labels = {number: f"{kind.capitalize()}s" for number, kind in enumerate(KINDS, start=1)}
    return Network("papers", network, "kind_number", labels)


def topic_network(graph: Graph, *, seed: int = 42) -> Network:
    """Topics that papers carry, tied by the number of papers they share; ``theme`` from seeded Leiden.

    The cluster labels name each theme by its three topics with the most papers.
    """
    themes = find_themes(graph, seed=seed)
    network = nx.Graph()
    network.add_nodes_from(_topics(graph, str))
    for key, data in network.nodes(data=True):
        data["theme"] = themes.theme_of[key]
    network.add_edges_from(
        (row["source"], row["target"], {"weight": float(row["papers"])}) for row in graph.read(TOPIC_PAIRS)
    )
    labels = {theme.id: "; ".join(theme.topics[:3]) for theme in themes.themes}
    return Network("topics", network, "theme", labels)


def _paged(graph: Graph, query: str, *, page_size: int = PAGE_SIZE, **params: Any) -> list[list]:
    """Every row of a paged query (a page is one record of rows, each row's first value its id), in id order.

    All pages are read in one read transaction, so the network is one consistent snapshot.
    """

    def work(tx: neo4j.ManagedTransaction) -> list[list]:
        rows: list[list] = []
        after = ""
        while page := tx.run(query, {**params, "after": after, "page": page_size}).single(strict=True)["rows"]:
            rows += page
            after = page[-1][0]
        return rows

    return graph.execute_read(work)


def _present(**values: Any) -> dict[str, Any]:
    """The attributes that are known (writers refuse ``None``)."""
    return {key: value for key, value in values.items() if value is not None}


def _author(row: list, membership: dict[str, int]) -> tuple[str, dict[str, Any]]:
    author_id, label, orcid, papers, first_year, last_year, _ties = row
    data = _present(
        label=label,
        kind="author",
        orcid=orcid,
        papers=papers,
        first_year=first_year,
        last_year=last_year,
        community=membership.get(author_id),
    )
    return author_id, data


def _paper(row: list) -> tuple[str, dict[str, Any]]:
    paper_id, label, year, doi, arxiv_id, venue, citations, _authors, _topics = row
    data = _present(
        label=label, kind="paper", papers=1, year=year, doi=doi, arxiv_id=arxiv_id, venue=venue, citations=citations
    )
    return f"paper:{paper_id}", data


def _topics(graph: Graph, key: Callable[[str], str]) -> Iterable[tuple[str, dict[str, Any]]]:
    """The topics that papers carry, keyed by ``key(topic id)``, with their paper counts and kinds."""
    for row in graph.read(TOPICS):
        data = _present(label=row["name"], kind="topic", topic_kind=row["kind"], papers=row["papers"])
        yield key(row["id"]), data
