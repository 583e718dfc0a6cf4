"""`coauthor viz` and `export` on a real graph: ties known without papers, theme paper counts, what --max-nodes
and the "wrote" line say, `-o -`, non-ASCII page names, options that do not go together and empty graphs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner, Result

from coauthor import cli
from graph.connection import Graph
from graph.model import AuthorRef, Paper, Tie, TopicRef
from graph.writer import write_records

pytestmark = pytest.mark.usefixtures("neo4j_env")

LG = TopicRef("arxiv:cs.LG", "Machine Learning", "arxiv_category")
CV = TopicRef("arxiv:cs.CV", "Computer Vision", "arxiv_category")
ME = TopicRef("arxiv:stat.ME", "Methodology", "arxiv_category")
TH = TopicRef("arxiv:stat.TH", "Statistics Theory", "arxiv_category")
PAPERLESS = "A tie known without its papers"


def paper(title: str, year: int, topics: tuple[TopicRef, ...], *names: str) -> Paper:
    authors = tuple(AuthorRef(name, position, ids={"s2": name}) for position, name in enumerate(names, start=1))
    return Paper(title, authors, source="test", source_ref=title, year=year, topics=topics)


def tie(a: str, b: str, weight: float) -> Tie:
    return Tie(AuthorRef(a, 1, ids={"s2": a}), AuthorRef(b, 1, ids={"s2": b}), weight, source="net", source_ref=a + b)


@pytest.fixture
def mixed(graph: Graph) -> Graph:
    """Papers among Ann, Bob, Cid, Dan; Hal reaches Kim by two chains; Eve, Fay, Gus have GML-like ties only."""
    papers = [
        paper("P1", 2010, (LG, CV), "Ann", "Bob"),
        paper("P2", 2012, (LG,), "Ann", "Bob", "Cid"),
        paper("P3", 2015, (ME, TH), "Cid", "Dan"),
        paper("P4", 2016, (ME, TH), "Dan"),
        paper("Q1", 2020, (LG,), "Hal", "Ivy"),
        paper("Q2", 2020, (LG,), "Hal", "Jon"),
        paper("Q3", 2021, (CV,), "Ivy", "Kim"),
        paper("Q4", 2021, (CV,), "Jon", "Kim"),
    ]
    write_records(graph, papers, ties=[tie("Eve", "Fay", 0.5), tie("Fay", "Gus", 2.5)])
    return graph


def run(*args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, (result.output, result.exception)
    return result


def embedded(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def draw(tmp_path: Path, *args: str, name: str = "view.html") -> dict:
    run("viz", *args, "-o", str(tmp_path / name))
    return embedded((tmp_path / name).read_text(encoding="utf-8"))


def edge_lines(data: dict) -> dict[frozenset[str], str]:
    labels = {node["id"]: node["label"] for node in data["nodes"]}
    return {frozenset((labels[e["from"]], labels[e["to"]])): e["tooltip"][1] for e in data["edges"]}


def test_papers_of_an_author_known_only_by_ties_is_a_one_line_error(mixed: Graph, tmp_path: Path):
    result = run("viz", "papers", "Eve", "-o", str(tmp_path / "p.html"), code=7)
    assert "Eve has no papers in the graph" in result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "p.html").exists()


def test_every_view_words_ties_known_without_papers_by_their_weight(mixed: Graph, tmp_path: Path):
    ego = draw(tmp_path, "ego", "Fay", name="ego.html")
    assert edge_lines(ego) == {
        frozenset(("Eve", "Fay")): f"{PAPERLESS} (weight 0.5)",
        frozenset(("Fay", "Gus")): f"{PAPERLESS} (weight 2.5)",
    }
    html = (tmp_path / "ego.html").read_text(encoding="utf-8")
    assert "Line width: tie weight (ties known without their papers) (0.5\u20132.5)" in html
    assert "joint paper" not in html
    members = edge_lines(draw(tmp_path, "communities", "--show", "authors"))
    assert members[frozenset(("Eve", "Fay"))] == f"{PAPERLESS} (weight 0.5)"
    assert members[frozenset(("Ann", "Bob"))] == "2 joint papers"
    assert members[frozenset(("Cid", "Dan"))] == "1 joint paper"
    assert set(edge_lines(draw(tmp_path, "path", "Eve", "Gus")).values()) == {PAPERLESS}


def test_themes_count_each_paper_once(mixed: Graph, tmp_path: Path):
    themes = json.loads(run("communities", "themes", "--format", "json").stdout)
    distinct = mixed.read(
        """
        UNWIND $themes AS theme
        MATCH (p:Paper)-[:HAS_TOPIC]->(t:Topic)
        WHERE coalesce(t.name, t.id) IN theme.topics
        RETURN theme.id AS id, count(DISTINCT p) AS papers
        """,
        themes=[{"id": row["id"], "topics": row["topics"]} for row in themes],
    )
    assert {row["id"]: row["papers"] for row in themes} == {row["id"]: row["papers"] for row in distinct}
    assert sorted(row["papers"] for row in themes) == [2, 6]  # P3, P4 on ME+TH; the six others on LG or CV
    run("viz", "topics", "-o", str(tmp_path / "topics.html"))
    legend = (tmp_path / "topics.html").read_text(encoding="utf-8")
    assert "(2 papers)" in legend and "(6 papers)" in legend and "(4 papers)" not in legend


def test_max_nodes_bounds_every_node_and_the_wrote_line_tells_what_was_drawn(mixed: Graph, tmp_path: Path):
    output = tmp_path / "papers.html"
    result = run("viz", "papers", "Ann", "--max-nodes", "3", "-o", str(output))
    data = embedded(html := output.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 3
    assert [node["shape"] for node in data["nodes"]] == ["square", "dot", "diamond"]
    assert result.stdout == f"wrote {output} (1 of 2 papers, 1 author, 1 topic)\n"
    assert "1 of 2 papers of Ann" in html
    result = run("viz", "path", "Hal", "Kim", "--all", "--max-nodes", "3", "-o", str(tmp_path / "path.html"))
    assert "(1 of 2 chains of 2 hops)" in result.stdout
    assert len(embedded((tmp_path / "path.html").read_text(encoding="utf-8"))["nodes"]) == 3


def test_dash_writes_views_and_exports_to_standard_output(mixed: Graph, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    page = run("viz", "ego", "Ann", "-o", "-")
    assert {node["label"] for node in embedded(page.stdout)["nodes"]} == {"Ann", "Bob", "Cid"}
    assert page.stderr == "wrote standard output (3 authors, 3 ties)\n"
    authors = mixed.read("MATCH (a:Author) RETURN count(a) AS n")[0]["n"]
    exported = run("export", "--format", "json", "-o", "-")
    assert len(json.loads(exported.stdout)["nodes"]) == authors
    assert exported.stderr.startswith(f"wrote standard output ({authors} nodes, ")
    graphml = nx.parse_graphml(run("export", "--format", "graphml", "-o", "-").stdout)
    assert graphml.number_of_nodes() == authors
    assert "two files" in run("export", "--format", "vosviewer", "-o", "-", code=2).stderr
    assert "--open" in run("viz", "ego", "Ann", "-o", "-", "--open", code=2).stderr
    assert list(tmp_path.iterdir()) == []


def test_non_ascii_output_names_give_ascii_community_pages(mixed: Graph, tmp_path: Path):
    data = draw(tmp_path, "communities", "--show", "overview", "--pages", "1", name="réseau.html")
    assert data["nodes"][0]["links"] == [["Open community 1", "r_seau-community-1.html"]]
    assert (tmp_path / "r_seau-community-1.html").is_file()


@pytest.mark.parametrize("extra", [("--show", "authors"), ("--community", "1")])
def test_pages_without_the_overview_is_a_usage_error(mixed: Graph, tmp_path: Path, extra: tuple[str, str]):
    result = run("viz", "communities", *extra, "--pages", "2", "-o", str(tmp_path / "c.html"), code=2)
    assert "--pages" in result.stderr and not (tmp_path / "c.html").exists()


@pytest.mark.parametrize(("view", "reason"), [("communities", "coauthor tie"), ("topics", "has a topic")])
def test_an_empty_graph_has_nothing_to_draw(graph: Graph, tmp_path: Path, view: str, reason: str):
    result = run("viz", view, "-o", str(tmp_path / "v.html"), code=7)
    assert "nothing to draw" in result.stderr and reason in result.stderr
    assert not (tmp_path / "v.html").exists()
