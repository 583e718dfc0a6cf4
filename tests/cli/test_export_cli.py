"""`coauthor export` on the command line: files written, the summary line, and exit codes for expected failures."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from coauthor import cli
from coauthor.export import EMPTY_NETWORK, EXPORT_FORMATS, EXPORT_NETWORKS
from graph.connection import Graph
from graph.model import AuthorRef, Paper
from graph.writer import write_records
from queries.networks import NETWORKS
from viz.export import FORMATS


def run(*args: str, code: int = 0):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def loaded(graph: Graph, neo4j_env: dict[str, str], seed_page: Path) -> Graph:
    run("load", str(seed_page), "--as-of", "2026-11-27")
    return graph


def test_choices_match_the_library():
    assert (EXPORT_FORMATS, EXPORT_NETWORKS) == (FORMATS, NETWORKS)


def test_help_names_every_format_and_the_vosviewer_file_names():
    text = run("export", "--help").output
    for word in (*FORMATS, *NETWORKS, "out_map.txt", "out_network.txt", "--run"):
        assert word in text


def test_export_writes_the_file_and_says_what(loaded: Graph, tmp_path: Path):
    target = tmp_path / "coauthors.graphml"
    counts = loaded.read("RETURN COUNT { (:Author) } AS nodes, COUNT { ()-[:COAUTHOR]->() } AS edges")[0]
    output = run("export", "--format", "graphml", "-o", str(target)).output
    assert output == f"wrote {target} ({counts['nodes']} nodes, {counts['edges']} edges)\n"
    read = nx.read_graphml(target)
    assert (read.number_of_nodes(), read.number_of_edges()) == (counts["nodes"], counts["edges"])


def test_vosviewer_writes_map_and_network_files(loaded: Graph, tmp_path: Path):
    output = run("export", "--format", "vosviewer", "--what", "topics", "-o", str(tmp_path / "topics.txt")).output
    assert f"wrote {tmp_path / 'topics_map.txt'}, {tmp_path / 'topics_network.txt'} (" in output
    header = (tmp_path / "topics_map.txt").read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert header[:5] == ["id", "label", "description", "url", "cluster"]


def test_run_adds_communities(loaded: Graph, tmp_path: Path):
    run("communities", "--write", "r1")
    run("export", "--format", "json", "--run", "r1", "-o", str(tmp_path / "c.json"))
    document = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    stored = loaded.read("MATCH (a:Author)-[:MEMBER_OF]->(c:Community {run: 'r1'}) RETURN a.id AS id, c.index AS n")
    assert {node["id"]: node["community"] for node in document["nodes"]} == {row["id"]: row["n"] for row in stored}


def test_unknown_run_exits_7(loaded: Graph, tmp_path: Path):
    result = run("export", "--format", "gexf", "--run", "nope", "-o", str(tmp_path / "x.gexf"), code=7)
    assert "no community run named 'nope'" in result.output
    assert not (tmp_path / "x.gexf").exists()


@pytest.mark.parametrize(("fmt", "what"), [("graphml", "coauthors"), ("vosviewer", "papers"), ("json", "topics")])
def test_an_empty_network_exits_7_and_writes_nothing(
    graph: Graph, neo4j_env: dict[str, str], tmp_path: Path, fmt: str, what: str
):
    result = run("export", "--format", fmt, "--what", what, "-o", str(tmp_path / "out.txt"), code=7)
    assert result.stderr == f"Error: nothing to export: {EMPTY_NETWORK[what]}\n"
    assert list(tmp_path.iterdir()) == []
    if fmt != "vosviewer":
        assert run("export", "--format", fmt, "--what", what, "-o", "-", code=7).stdout == ""


def test_topics_without_any_paper_topic_are_nothing_to_export(graph: Graph, neo4j_env: dict[str, str], tmp_path: Path):
    write_records(graph, [Paper("P", (AuthorRef("Ann", 1),), "test", "p", year=2020)])
    run("export", "--format", "json", "-o", str(tmp_path / "authors.json"))  # the coauthors network has Ann
    topics = run("export", "--format", "json", "--what", "topics", "-o", str(tmp_path / "topics.json"), code=7)
    assert "no paper of the graph has a topic" in topics.stderr
    assert [path.name for path in tmp_path.iterdir()] == ["authors.json"]


def test_unwritable_output_is_a_usage_error_before_reading_the_graph(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")  # nothing listens: the path check must come first
    target = tmp_path / "missing" / "out.txt"
    result = run("export", "--format", "vosviewer", "-o", str(target), code=2)  # as click's for -o <a folder>
    assert (
        f"{tmp_path / 'missing' / 'out_map.txt'}: cannot write the export: its folder does not exist" in result.output
    )


def test_run_with_topics_is_a_usage_error(tmp_path: Path):
    result = run(
        "export", "--format", "json", "--what", "topics", "--run", "r1", "-o", str(tmp_path / "t.json"), code=2
    )
    assert "--run applies to authors" in result.output


def test_format_is_required(tmp_path: Path):
    assert "Missing option '--format'" in run("export", "-o", str(tmp_path / "x"), code=2).output
