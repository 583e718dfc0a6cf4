"""The seed profile page loaded into a real Neo4j: the facts read off the page, and idempotent reloads."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph.connection import Graph
from graph.writer import write_records
from loaders import read_file
from queries.stats import graph_stats

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
AS_OF = date(2026, 11, 27)
OWNER = "name:zishi zhang"


def load(graph: Graph, path: Path, **options) -> None:
    result = read_file(path, as_of=AS_OF)
    write_records(graph, result.papers, result.profiles, **options)


@pytest.fixture
def seeded(graph: Graph, seed_page: Path) -> Graph:
    load(graph, seed_page)
    return graph


def owner_ties(graph: Graph) -> dict[str, int]:
    rows = graph.read("MATCH (:Author {id: $id})-[c:COAUTHOR]-(b) RETURN b.name AS name, c.weight AS w", id=OWNER)
    return {row["name"]: row["w"] for row in rows}


def snapshot(graph: Graph) -> tuple[list, list]:
    """Every node and relationship with all its properties, in a stable order."""
    nodes = graph.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props ORDER BY n.id")
    rels = graph.read(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props ORDER BY a, type, b"
    )
    return nodes, rels


def test_seed_has_seven_papers_and_thirteen_authors(seeded: Graph):
    stats = graph_stats(seeded)
    assert (stats.papers, stats.authors) == (7, 13)


def test_owner_authored_all_papers_two_inferred(seeded: Graph):
    rows = seeded.read(
        "MATCH (:Author {id: $id})-[r:AUTHORED]->(p:Paper) RETURN p.title AS title, r.inferred AS inferred",
        id=OWNER,
    )
    assert len(rows) == 7
    inferred = sorted(row["title"].split(":")[0] for row in rows if row["inferred"])
    assert inferred == ["RiskPO", "SACRED"]


def test_owner_coauthor_weights(seeded: Graph):
    ties = owner_ties(seeded)
    assert ties.pop("Tao Ren") == 3
    assert ties.pop("Jinhui Han") == 2
    assert len(ties) == 10
    assert set(ties.values()) == {1}


def test_four_category_topics_with_archives(seeded: Graph):
    rows = seeded.read(
        "MATCH (:Paper)-[:HAS_TOPIC]->(t:Topic {kind: 'arxiv_category'})-[:SUBTOPIC_OF]->(a:Topic) "
        "RETURN DISTINCT t.id AS id, t.name AS name, a.id AS archive ORDER BY id"
    )
    assert [(row["id"], row["archive"]) for row in rows] == [
        ("arxiv:cs.CL", "arxiv:cs"),
        ("arxiv:cs.CV", "arxiv:cs"),
        ("arxiv:cs.LG", "arxiv:cs"),
        ("arxiv:stat.ME", "arxiv:stat"),
    ]
    assert rows[0]["name"] == "Computation and Language"


def test_one_letter_apart_names_stay_two_authors(seeded: Graph):
    rows = seeded.read("MATCH (a:Author) WHERE a.name IN ['Jingyang Jiang', 'Jinyang Jiang'] RETURN a.id AS id")
    assert len(rows) == 2


def test_profile_metrics_affiliation_and_truncation(seeded: Graph):
    owner = seeded.read("MATCH (a:Author {id: $id}) RETURN properties(a) AS p", id=OWNER)[0]["p"]
    assert (owner["reported_h_index"], owner["reported_citations"], owner["reported_papers"]) == (3, 16, 7)
    assert (owner["reported_novelty"], owner["reported_ai_score"]) == (0.63, 54)
    assert owner["reported_by"] == "000_ee1a281679e517e5.txt:1"
    rows = seeded.read(
        "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) WHERE p.title STARTS WITH 'RiskPO' "
        "RETURN a.name AS name, r.affiliation AS affiliation, r.position AS position, p.authors_truncated AS cut "
        "ORDER BY position"
    )
    assert [(row["name"], row["affiliation"]) for row in rows] == [
        ("Tao Ren", "pku"),
        ("Jinyang Jiang", "pku"),
        ("Hui Yang", "pku"),
        ("Zishi Zhang", None),
    ]
    assert all(row["cut"] for row in rows)


def test_papers_keep_provenance(seeded: Graph):
    rows = seeded.read("MATCH (p:Paper) RETURN p.sources AS sources, p.source_refs AS refs")
    assert all(row["sources"] == ["profile"] for row in rows)
    assert all(len(row["refs"]) == 1 and row["refs"][0].startswith("000_ee1a281679e517e5.txt:") for row in rows)


def test_reload_changes_nothing(seeded: Graph, seed_page: Path):
    before = snapshot(seeded)
    load(seeded, seed_page, batch_size=2)
    assert snapshot(seeded) == before


def test_a_load_a_year_later_finds_the_same_papers(seeded: Graph, seed_page: Path):
    """Year-less dates ("Mar 28") resolve against the day of the load; a later load infers later years for some."""
    papers = "MATCH (p:Paper) RETURN p.id AS id, p.year AS year, p.title AS title ORDER BY id"
    before = seeded.read(papers)
    later = read_file(seed_page, as_of=date(2027, 5, 1))
    assert {paper.year for paper in later.papers} != {paper.year for paper in read_file(seed_page, as_of=AS_OF).papers}
    summary = write_records(seeded, later.papers, later.profiles)
    assert (summary.nodes_new, summary.relationships_new, summary.merged) == (0, 0, 7)
    assert seeded.read(papers) == before  # the same papers, with the years the first load inferred (the earliest)


def test_same_paper_from_two_files_counts_once(seeded: Graph):
    load(seeded, FIXTURES / "profile_tao_ren.txt")
    load(seeded, FIXTURES / "profile_tao_ren.txt")
    assert graph_stats(seeded).papers == 8
    assert owner_ties(seeded)["Tao Ren"] == 3
    risk = seeded.read(
        "MATCH (:Author {id: $id})-[r:AUTHORED]->(p:Paper) WHERE p.title STARTS WITH 'RiskPO' "
        "RETURN r.inferred AS inferred, r.position AS position, p.source_refs AS refs",
        id=OWNER,
    )[0]
    assert (risk["inferred"], risk["position"]) == (False, 4)
    assert len(risk["refs"]) == 2


def test_coauthor_years_span_joint_papers(seeded: Graph):
    row = seeded.read(
        "MATCH (:Author {id: $id})-[c:COAUTHOR]-(:Author {name: 'Tao Ren'}) "
        "RETURN c.first_year AS first, c.last_year AS last",
        id=OWNER,
    )[0]
    assert (row["first"], row["last"]) == (2025, 2026)


def test_ego_network_since_a_year_counts_only_those_joint_papers(seeded: Graph):
    from queries.collaborators import ego_network

    years = seeded.read("MATCH (:Author {id: $id})-[:AUTHORED]->(p) RETURN p.year AS y ORDER BY y", id=OWNER)
    since = sorted({row["y"] for row in years})[-1]  # the latest year: fewer papers than the whole career
    expected = {
        row["name"]: row["n"]
        for row in seeded.read(
            "MATCH (:Author {id: $id})-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b) WHERE p.year >= $since "
            "RETURN b.name AS name, count(p) AS n",
            id=OWNER,
            since=since,
        )
    }
    whole = ego_network(seeded, "Zishi Zhang")
    recent = ego_network(seeded, "Zishi Zhang", since=since)
    names = {node.id: node.name for node in recent.nodes}
    owner_ties = {
        names[edge.target if edge.source == OWNER else edge.source]: edge.weight
        for edge in recent.edges
        if OWNER in (edge.source, edge.target)
    }
    assert owner_ties == expected
    assert 0 < len(recent.nodes) - 1 == len(expected) < len(whole.nodes) - 1
    assert recent.since == since
