"""Notes on what paper-counting options leave out, against a real Neo4j (QA findings A and B).

A: --since, --until and --topic count joint papers, so ties known without papers (SNAP, GML) drop out of
central, communities (and sweep), recommend and viz ego as they do from coauthors: each says how many on standard
error (the view in its caption too), counting only the paperless ties in the command's scope.
B: coauthors --fractional says how many joint papers have author lists cut short ("et al."), whose shares are
upper bounds, and counts them per coauthor.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from graph.connection import Graph
from graph.model import AuthorRef, Paper, TopicRef
from graph.writer import write_records
from tests.cli.cli_support import run, tie

pytestmark = pytest.mark.usefixtures("neo4j_env")

LG = TopicRef("arxiv:cs.LG", "Machine Learning", "arxiv_category")
CV = TopicRef("arxiv:cs.CV", "Computer Vision", "arxiv_category")

SINCE = "--since counts joint papers\n"


def paper(title: str, year: int, topics: tuple[TopicRef, ...], *names: str, truncated: bool = False) -> Paper:
    authors = tuple(AuthorRef(name, position) for position, name in enumerate(names, start=1))
    return Paper(
        title,
        authors,
        source="test",
        source_ref=title,
        year=year,
        topics=topics,
        doi=f"10.1/{title}",
        authors_truncated=truncated,
    )


@pytest.fixture
def mixed(graph: Graph) -> Graph:
    """Ann writes with Bob (2005, 2009, 2020, and 2021 "et al."), Cal (2005, with Bob) and Dan (2021 and 2022,
    both "et al.");
    ties known without papers link Ann to Eve, Eve to Fay and Fay to Gus."""
    papers = [
        paper("a2009", 2009, (CV,), "Ann Alder", "Bob Birch"),
        paper("a2020", 2020, (LG,), "Ann Alder", "Bob Birch"),
        paper("c2005", 2005, (), "Ann Alder", "Bob Birch", "Cal Cedar"),
        paper("t2021", 2021, (LG,), "Ann Alder", "Bob Birch", "Dan Dogwood", truncated=True),
        paper("t2022", 2022, (LG,), "Ann Alder", "Dan Dogwood", truncated=True),
    ]
    write_records(graph, papers, ties=[tie("Eve", "Fay"), tie("Fay", "Gus")])
    graph.write(
        "MATCH (a:Author {name: 'Ann Alder'}), (e:Author {name: 'Eve'})"
        " CREATE (a)-[:COAUTHOR {weight: 1.0, without_papers: true, sources: ['net']}]->(e)"
    )
    return graph


def note(ties: int, flags: str) -> str:
    known = "1 tie known without papers is" if ties == 1 else f"{ties} ties known without papers are"
    return f"note: {known} left out: {flags}"


def test_central_and_communities_count_the_paperless_ties_of_the_whole_graph(mixed: Graph):
    central = run("central", "--since", "2015")
    assert "Ann Alder" in central.stdout  # the ties with papers of 2015 or later are ranked
    assert central.stderr == note(3, SINCE)  # Ann-Eve, Eve-Fay, Fay-Gus; not Ann-Cal, whose paper is older
    both = run("communities", "--since", "2015", "--until", "2030", "--format", "json")
    assert json.loads(both.stdout)["authors"] == 3
    assert both.stderr == note(3, "--since and --until count joint papers\n")
    topic = run("communities", "sweep", "--topic", "Machine Learning", "--resolutions", "1", "--seeds", "2")
    assert topic.stderr == note(3, "--topic counts joint papers\n")
    assert run("central", "--since", "2015", "--min-weight", "2").stderr == ""  # no paperless tie weighs 2
    assert run("central").stderr == "" and run("central", "--min-weight", "1").stderr == ""


def test_around_counts_the_paperless_ties_of_the_neighbourhood_it_would_reach(mixed: Graph):
    def left_out(name: str, hops: str) -> str:
        return run("central", "--since", "2015", "--around", name, "--hops", hops, "--format", "csv").stderr

    assert left_out("Ann Alder", "1") == note(1, SINCE)  # Ann-Eve
    assert left_out("Ann Alder", "2") == note(2, SINCE)  # and Eve-Fay
    assert left_out("Bob Birch", "1") == ""  # Ann-Eve leads out of Bob's first ring
    assert left_out("Bob Birch", "2") == note(1, SINCE)


def test_recommend_and_the_ego_view_count_the_authors_paperless_ties(mixed: Graph, tmp_path: Path):
    assert run("recommend", "Ann Alder", "--since", "2015").stderr == note(1, SINCE)
    assert run("recommend", "Fay", "--since", "2015").stderr == note(2, SINCE)
    assert run("recommend", "Ann Alder").stderr == ""
    output = tmp_path / "ego.html"
    ego = run("viz", "ego", "Ann Alder", "--since", "2015", "-o", str(output))
    assert ego.stdout == f"wrote {output} (3 authors, 3 ties)\n"
    assert ego.stderr == note(1, SINCE)
    caption = (
        "Ann Alder and 2 coauthors within 1 hop (joint papers of 2015 or later); 3 authors, 3 ties; "
        "1 tie known without papers left out (no joint papers to count)"
    )
    assert caption in output.read_text(encoding="utf-8")
    plain = run("viz", "ego", "Ann Alder", "-o", str(output))
    assert plain.stderr == "" and "known without papers left out" not in output.read_text(encoding="utf-8")


def test_fractional_coauthors_count_and_note_the_et_al_papers(mixed: Graph):
    found = run("coauthors", "Ann Alder", "--fractional", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(found.stdout)))
    assert [(r["name"], r["weight"], r["fractional"], r["truncated_papers"]) for r in rows] == [
        ("Bob Birch", "4", "3.0", "1"),  # 1/2 + 1 + 1 + 1/2
        ("Dan Dogwood", "2", "1.5", "2"),  # 1/2 + 1
        ("Cal Cedar", "1", "0.5", "0"),
    ]
    assert found.stderr == (
        note(1, "--fractional counts joint papers\n")
        + 'note: 2 joint papers counted have their author lists cut short ("et al."), so their fractional shares '
        "are upper bounds\n"
    )
    recent = run("coauthors", "Ann Alder", "--fractional", "--since", "2022", "--format", "json")
    assert [(r["name"], r["truncated_papers"]) for r in json.loads(recent.stdout)] == [("Dan Dogwood", 1)]
    assert recent.stderr == (
        note(1, "--since and --fractional count joint papers\n")
        + 'note: 1 joint paper counted has its author list cut short ("et al."), so its fractional share '
        "is an upper bound\n"
    )
    older = run("coauthors", "Ann Alder", "--fractional", "--until", "2020", "--format", "csv")
    assert older.stderr == note(1, "--until and --fractional count joint papers\n")  # no "et al." paper before 2021
    plain = run("coauthors", "Ann Alder", "--since", "2000", "--format", "csv")
    assert plain.stdout.splitlines()[0] == "name,weight,first_year,last_year,id"
    assert plain.stderr == note(1, SINCE)
