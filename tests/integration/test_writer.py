"""The batched writer: one paper from several sources, merged fields, venues, institutions and paperless ties."""

from __future__ import annotations

import gc
import itertools
from dataclasses import replace

import pytest

from graph.connection import Graph
from graph.model import AuthorRef, Paper, Tie
from graph.writer import write_records
from queries.identity import merge_authors
from queries.stats import graph_stats

ADA, BOB = AuthorRef("Ada Lovelace", 1), AuthorRef("Bob Byron", 2, affiliation="Analytical Society; Royal Society")


def paper(**fields) -> Paper:
    base = {"title": "Notes on the Engine", "authors": (ADA, BOB), "source": "test", "source_ref": "a:1", "year": 1843}
    return Paper(**{**base, **fields})


def papers(graph: Graph) -> list[dict]:
    return [row["p"] for row in graph.read("MATCH (p:Paper) RETURN properties(p) AS p")]


def test_doi_less_record_joins_the_paper_with_a_doi(graph: Graph):
    write_records(graph, [paper(doi="10.1/X", source="crossref", abstract="short")])
    write_records(graph, [paper(title="NOTES ON THE ENGINE.", source="dblp", source_ref="b:7", abstract="much longer")])
    [merged] = papers(graph)
    assert merged["id"] == "doi:10.1/x"
    assert merged["sources"] == ["crossref", "dblp"]
    assert merged["abstract"] == "much longer"
    assert merged["title"] == "Notes on the Engine"


def test_record_with_a_doi_joins_the_paper_first_seen_without(graph: Graph):
    write_records(graph, [paper(source="dblp", authors_truncated=True)])
    write_records(graph, [paper(doi="10.1/X", source="crossref", citations=5)])
    write_records(graph, [paper(arxiv_id="1843.0001v2", source="arxiv", citations=3)])
    [merged] = papers(graph)
    assert merged["sources"] == ["arxiv", "crossref", "dblp"]  # sorted: the same whatever order they came in
    assert (merged["doi"], merged["arxiv_id"], merged["citations"]) == ("10.1/x", "1843.0001", 5)
    assert merged["authors_truncated"] is False


def test_a_paper_keeps_the_best_id_its_records_carry_whatever_their_order(graph: Graph):
    """A DOI, else an arXiv id, else the title digest: not the id of whichever record came first."""
    records = [paper(source="dblp"), paper(arxiv_id="1843.0001v2", source="arxiv"), paper(doi="10.1/X", source="x")]
    for order in itertools.permutations(records):
        for batch_size in (1, 3):
            write_records(graph, list(order), batch_size=batch_size)
            assert [row["id"] for row in papers(graph)] == ["doi:10.1/x"], (order, batch_size)
            again = write_records(graph, list(order), batch_size=batch_size)
            assert (again.nodes_created, again.relationships_created) == (0, 0)
            graph.write("MATCH (n) DETACH DELETE n")


def test_same_title_in_other_years_stays_two_papers(graph: Graph):
    write_records(graph, [paper(title="Editorial", year=2020), paper(title="Editorial", year=2021)])
    assert graph_stats(graph).papers == 2
    weight = graph.read("MATCH ()-[c:COAUTHOR]->() RETURN c.weight AS w")[0]["w"]
    assert weight == 2


def test_venue_and_institution_nodes(graph: Graph):
    write_records(
        graph, [paper(venue="Taylor's Scientific Memoirs"), paper(title="Sketch", venue="TAYLOR'S scientific memoirs.")]
    )
    assert graph.read("MATCH (v:Venue)<-[:PUBLISHED_IN]-(p) RETURN v.name AS name, count(p) AS n") == [
        {"name": "Taylor's Scientific Memoirs", "n": 2}
    ]
    assert graph.read("MATCH (a)-[:AFFILIATED_WITH]->(i:Institution) RETURN a.name AS a, i.name AS i ORDER BY i") == [
        {"a": "Bob Byron", "i": "Analytical Society"},
        {"a": "Bob Byron", "i": "Royal Society"},
    ]


def test_ties_without_papers_are_marked_and_idempotent(graph: Graph):
    one = AuthorRef("1", 0, ids={"node": "ca-GrQc/1"})
    two = AuthorRef("2", 0, ids={"node": "ca-GrQc/2"})
    ties = [Tie(two, one, 2.5, "snap", "ca-GrQc.txt:5")]
    write_records(graph, [], ties=ties)
    write_records(graph, [], ties=ties)
    rows = graph.read("MATCH (a)-[c:COAUTHOR]->(b) RETURN a.id AS a, b.id AS b, properties(c) AS c")
    assert rows == [
        {
            "a": "node:ca-GrQc/1",
            "b": "node:ca-GrQc/2",
            "c": {"weight": 2.5, "without_papers": True, "sources": ["snap"]},
        }
    ]
    assert graph_stats(graph).authors == 2


def test_a_paper_twice_in_one_batch_counts_once(graph: Graph):
    summary = write_records(graph, [paper(), paper(source_ref="a:9"), paper(title="Other")])
    assert summary.merged == 1
    weights = graph.read("MATCH ()-[c:COAUTHOR]->() RETURN c.weight AS w, c.first_year AS y")
    assert weights == [{"w": 2, "y": 1843}]
    flags = graph.read("MATCH ()-[r:AUTHORED]->() WHERE r.new_in_batch IS NOT NULL RETURN count(r) AS n")
    assert flags == [{"n": 0}]


def test_one_paper_twice_in_a_batch_under_different_ids_is_one_node(graph: Graph):
    summary = write_records(graph, [paper(doi="10.1/Y"), paper(source="dblp"), paper(arxiv_id="1843.0001")])
    assert summary.merged == 2
    [merged] = papers(graph)
    assert (merged["id"], merged["sources"]) == ("doi:10.1/y", ["dblp", "test"])
    assert graph.read("MATCH ()-[c:COAUTHOR]->() RETURN c.weight AS w") == [{"w": 1}]


def test_same_title_with_different_dois_stays_two_papers(graph: Graph):
    write_records(graph, [paper(doi="10.1/v1"), paper(doi="10.1/v2"), paper()])
    write_records(graph, [paper(doi="10.1/v3")])
    assert sorted(p["id"] for p in papers(graph)) == ["doi:10.1/v1", "doi:10.1/v2", "doi:10.1/v3"]


def test_merged_fields_do_not_depend_on_order_or_batch(graph: Graph):
    """Two records of one DOI with different titles, abstracts, years and topic names: every order and batch
    size ends with the same paper (longest title and abstract, earliest year, smallest topic name)."""
    from graph_export import full_export

    from graph.model import TopicRef

    first = paper(
        title="NATURE TOURISM IN KWAZULU-NATAL, A LONGER SHOUTED TITLE.",
        doi="10.1/x",
        year=2003,
        abstract="short",
        venue="THE WORLD BANK EBOOKS",
        topics=(TopicRef("openalex:T1", "Old name", "openalex_topic"),),
        source_ref="a.json:1",
    )
    second = paper(
        title="Nature Tourism in KwaZulu-Natal",
        doi="10.1/X",
        year=2002,
        abstract="a longer abstract",
        venue="RePEc: Research Papers in Economics",
        topics=(TopicRef("openalex:T1", "New name", "openalex_topic"),),
        source_ref="b.json:7",
    )
    exports = []
    for order, batch_size in (([first, second], 1), ([second, first], 1), ([first, second], 2), ([second, first], 2)):
        write_records(graph, order, batch_size=batch_size)
        exports.append(full_export(graph))
        graph.write("MATCH (n) DETACH DELETE n")
    for export in exports[1:]:
        assert set(export) ^ set(exports[0]) == set()
    write_records(graph, [second, first], batch_size=2)
    (row,) = papers(graph)
    assert (row["title"], row["abstract"], row["year"]) == (
        "Nature Tourism in KwaZulu-Natal",
        "a longer abstract",
        2002,
    )
    assert graph.read("MATCH (p:Paper) RETURN p.source_refs AS refs")[0]["refs"] == ["a.json:1", "b.json:7"]
    assert graph.read("MATCH (t:Topic) RETURN t.name AS name")[0]["name"] == "New name"
    venues = graph.read("MATCH (v:Venue) RETURN v.name AS name, COUNT { (v)<-[:PUBLISHED_IN]-() } AS papers")
    assert venues == [{"name": "RePEc: Research Papers in Economics", "papers": 1}]  # the other venue went


def test_a_hyperauthored_paper_keeps_every_author_and_adds_no_ties(graph: Graph):
    authors = tuple(AuthorRef(f"Physicist {n:04d}", position=n + 1) for n in range(1000))  # 499,500 ties if drawn
    big = paper(title="Observation of a new particle", doi="10.1/atlas", authors=authors)
    small = paper(title="A two-author note", doi="10.1/note", authors=authors[:2])
    write_records(graph, [big, small])
    rows = graph.read(
        "MATCH (p:Paper) RETURN p.doi AS doi, p.hyperauthored AS hyper, COUNT { (p)<-[:AUTHORED]-() } AS authors "
        "ORDER BY doi"
    )
    assert rows == [
        {"doi": "10.1/atlas", "hyper": True, "authors": 1000},
        {"doi": "10.1/note", "hyper": None, "authors": 2},
    ]
    ties = graph.read("MATCH ()-[c:COAUTHOR]->() RETURN c.weight AS w")
    assert ties == [{"w": 1}]  # only the note's pair


def test_a_paper_that_turns_out_hyperauthored_takes_back_its_ties(graph: Graph):
    authors = tuple(AuthorRef(f"Physicist {n:04d}", position=n + 1) for n in range(150))
    truncated = paper(title="Observation of a new particle", doi="10.1/atlas", authors=authors[:3])
    other = paper(title="A two-author note", doi="10.1/note", authors=authors[:2], year=1850)
    write_records(graph, [truncated, other])
    tie = "MATCH (a)-[c:COAUTHOR]->(b) RETURN a.name AS a, b.name AS b, c.weight AS w, c.first_year AS y ORDER BY a, b"
    assert [row["w"] for row in graph.read(tie)] == [2, 1, 1]
    write_records(graph, [replace(truncated, authors=authors)])
    assert graph.read(tie) == [{"a": "Physicist 0000", "b": "Physicist 0001", "w": 1, "y": 1850}]
    assert graph.read("MATCH (p:Paper {doi: '10.1/atlas'}) RETURN COUNT { (p)<-[:AUTHORED]-() } AS n") == [{"n": 150}]


def test_merging_authors_ties_them_to_no_hyperauthored_paper(graph: Graph):
    authors = tuple(AuthorRef(f"Physicist {n:04d}", position=n + 1) for n in range(150))
    write_records(graph, [paper(title="Observation", doi="10.1/atlas", authors=authors)])
    write_records(graph, [paper(title="Alone", doi="10.1/alone", authors=(AuthorRef("P. 0000 Elsewhere", 1),))])
    assert graph.read("MATCH ()-[c:COAUTHOR]->() RETURN count(c) AS n") == [{"n": 0}]
    [physicist] = graph.read("MATCH (a:Author {name: 'Physicist 0000'}) RETURN a.id AS id")
    [elsewhere] = graph.read("MATCH (a:Author {name: 'P. 0000 Elsewhere'}) RETURN a.id AS id")
    merge_authors(graph, physicist["id"], elsewhere["id"])
    assert graph.read("MATCH ()-[c:COAUTHOR]->() RETURN count(c) AS n") == [{"n": 0}]


def test_the_garbage_collector_is_paused_only_while_a_batch_is_written(graph: Graph):
    during = []
    write_records(graph, [paper()], on_batch=lambda _n: during.append(gc.isenabled()))
    assert during == [False]
    assert gc.isenabled()

    def fail(_n: int) -> None:
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        write_records(graph, [paper(title="Another")], on_batch=fail)
    assert gc.isenabled()
    gc.disable()
    try:
        write_records(graph, [paper(title="A third")])
        assert not gc.isenabled()  # a caller's choice stands
    finally:
        gc.enable()


def test_the_summary_counts_what_the_graph_gained_when_a_venue_is_replaced(graph: Graph):
    """A better-written venue replaces the one an earlier batch linked: "new" counts what is left, not what came."""
    records = [paper(doi="10.1/X", venue="J. Eng."), paper(doi="10.1/X", venue="Journal of Engines", source_ref="a:2")]
    summary = write_records(graph, records, batch_size=1)
    [counts] = graph.read("MATCH (n) RETURN count(n) AS nodes, COUNT { ()-[]->() } AS relationships")
    assert [row["v"] for row in graph.read("MATCH (v:Venue) RETURN v.name AS v")] == ["Journal of Engines"]
    assert (summary.nodes_deleted, summary.relationships_deleted) == (1, 1)  # the first venue and its link
    assert (summary.nodes_new, summary.relationships_new) == (counts["nodes"], counts["relationships"])
