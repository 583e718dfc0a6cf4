"""The `coauthor` command line against a real Neo4j: exact output, JSON shapes and exit codes."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from coauthor import cli
from graph.connection import Graph
from graph.server import free_port
from graph.writer import delete_everything
from loaders import streaming
from queries.stats import graph_stats

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def loaded(graph: Graph, neo4j_env: dict[str, str], seed_page: Path) -> Graph:
    result = run("load", str(seed_page), "--as-of", "2026-11-27")
    assert result.exit_code == 0, result.output
    return graph


def test_load_reports_and_reload_changes_nothing(loaded: Graph, seed_page: Path):
    again = run("load", str(seed_page), "--as-of", "2026-11-27")
    assert again.exit_code == 0
    assert "7 records read (profile), 7 papers written, 7 merged into existing papers, 0 skipped; " in again.output
    assert "0 nodes and 0 relationships new" in again.output


def test_load_takes_directories_globs_and_stdin(graph: Graph, neo4j_env: dict[str, str], seed_page: Path):
    profiles = Path(__file__).resolve().parents[2] / "examples" / "profiles"
    by_dir = run("load", str(profiles), "--as-of", "2026-11-27")
    assert by_dir.output.count("records read (profile)") == 3
    stats = graph_stats(graph)
    assert (stats.papers, stats.authors) == (8, 8)
    by_glob = run("load", str(profiles / "*.txt"), "--as-of", "2026-11-27")
    assert by_glob.output.count("0 nodes and 0 relationships new") == 3
    piped = CliRunner().invoke(cli, ["load", "-", "--as-of", "2026-11-27"], input=seed_page.read_bytes())
    assert piped.exit_code == 0
    assert piped.output.startswith("-: 7 records read (profile), 7 papers written")
    assert graph_stats(graph).papers == 15


def test_an_unreadable_file_is_reported_and_the_rest_still_loads(
    graph: Graph, neo4j_env: dict[str, str], seed_page: Path, tmp_path: Path
):
    broken = tmp_path / "broken.txt.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00 truncated")
    result = CliRunner().invoke(cli, ["load", str(broken), str(seed_page), "--as-of", "2026-11-27"])
    assert result.exit_code == 6
    assert f"{broken}: damaged gzip data" in result.output
    assert "1 of 2 inputs could not be read (the others were loaded)" in result.output
    assert graph_stats(graph).papers == 7
    strict = CliRunner().invoke(cli, ["load", str(seed_page), str(broken), "--strict"])
    assert strict.exit_code == 6


def openalex_counts(path: Path) -> dict[str, int]:
    """The works of a JSON Lines file that list an authorship (loaded) and that list none (noted), by hand."""
    works = [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines() if line.strip()]
    authored = sum(bool(work["authorships"]) for work in works)
    return {"authored": authored, "authorless": len(works) - authored}


@pytest.mark.parametrize(
    ("file", "options", "said", "counts_of", "exit_code"),
    [
        (
            "dblp/dblp_small_acta.xml",
            ["--strict"],
            ["170 records read (dblp), 170 papers written, 0 merged into existing papers, 0 skipped"],
            None,
            0,
        ),
        (
            "openalex/works_union_602.jsonl.gz",
            ["--strict"],  # the work without a title (line 12) has a DOI and loads
            [
                "602 records read (openalex), {authored} papers written, ",
                "noted {authorless}: … has no authors: not a paper to load",
                "noted 1: author … … left out: its name has no letter or digit",  # "_ _", line 62
            ],
            openalex_counts,
            0,
        ),
    ],
    ids=["dblp", "openalex"],
)
def test_a_big_file_streams_into_the_same_graph(
    file: str,
    options: list[str],
    said: list[str],
    counts_of: Callable[[Path], dict[str, int]] | None,
    exit_code: int,
    graph: Graph,
    neo4j_env: dict[str, str],
    shared_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    path = shared_dir / "data" / file
    counts = counts_of(path) if counts_of else {}
    assert run("load", str(path)).exit_code == exit_code
    whole = graph_stats(graph)
    delete_everything(graph)
    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)
    streamed = run("load", str(path), *options)
    assert streamed.exit_code == exit_code, streamed.output
    assert all(line.format(**counts) in streamed.output for line in said), streamed.output
    assert graph_stats(graph) == whole


def test_author_objects_in_a_streamed_openalex_file_are_written(
    graph: Graph, neo4j_env: dict[str, str], shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Author profiles met while a file streams reach the writer after its papers, as a whole read's do."""
    openalex = shared_dir / "data" / "openalex"
    works = gzip.decompress((openalex / "works_union_602.jsonl.gz").read_bytes()).splitlines(keepends=True)[:25]
    author = json.loads((openalex / "author_A5023888391.json").read_text(encoding="utf-8"))
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(b"".join(works) + json.dumps(author).encode() + b"\n")
    counts = "MATCH (n) RETURN labels(n) AS labels, count(*) AS n ORDER BY labels"
    profile = "MATCH (a:Author) WHERE a.reported_h_index IS NOT NULL RETURN a.name AS name, a.reported_h_index AS h"
    assert run("load", str(mixed)).exit_code == 0  # work 12 has no title but a DOI: it loads
    whole = graph_stats(graph), graph.read(counts), graph.read(profile)
    delete_everything(graph)
    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)
    assert run("load", str(mixed)).exit_code == 0
    assert (graph_stats(graph), graph.read(counts), graph.read(profile)) == whole
    assert [row["name"] for row in whole[2]] == ["Jason Priem"]


def test_load_names_a_missing_input(graph: Graph, neo4j_env: dict[str, str], tmp_path: Path):
    result = CliRunner().invoke(cli, ["load", str(tmp_path / "nothing*.bib")])
    assert result.exit_code == 6
    assert "no such file, directory or matching pattern" in result.output
    bracketed = CliRunner().invoke(cli, ["load", str(tmp_path / "[draft]x.bib")])  # not read as terminal markup
    assert bracketed.exit_code == 6 and "[draft]x.bib" in bracketed.output


def test_stats_json_keys(loaded: Graph):
    result = run("stats", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "authors": 13,
        "papers": 7,
        "topics": 6,
        "authored": 22,
        "coauthor_pairs": 22,
    }


def test_coauthors_json_sorted_by_weight(loaded: Graph):
    result = run("coauthors", "Zishi Zhang", "--format", "json", "--limit", "3")
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert [(row["name"], row["weight"]) for row in rows] == [
        ("Tao Ren", 3),
        ("Jinhui Han", 2),
        ("Donghao Li", 1),
    ]
    assert {"name", "weight", "first_year", "last_year"} <= rows[0].keys()


def test_coauthors_csv(loaded: Graph):
    result = run("coauthors", "tao ren", "--format", "csv")
    lines = result.output.splitlines()
    assert lines[0] == "name,weight,first_year,last_year,id"
    assert lines[1] == "Zishi Zhang,3,2025,2026,name:zishi zhang"


def test_unknown_name_suggests_closest(loaded: Graph):
    result = CliRunner().invoke(cli, ["coauthors", "Zishi Zang"])
    assert result.exit_code == 7
    assert "no author named 'Zishi Zang'" in result.output
    assert "closest known: Zishi Zhang" in result.output
    assert "Traceback" not in result.output


def test_ambiguous_name_lists_candidates(graph: Graph, neo4j_env: dict[str, str]):
    graph.write(
        "CREATE (:Author {id: 'orcid:1', name: 'Li Wei', name_key: 'li wei'}),"
        " (:Author {id: 'orcid:2', name: 'Li Wei', name_key: 'li wei'})"
    )
    result = CliRunner().invoke(cli, ["coauthors", "Li Wei"])
    assert result.exit_code == 8
    assert "orcid:1" in result.output and "orcid:2" in result.output


def test_cypher_is_read_only_unless_write(graph: Graph, neo4j_env: dict[str, str]):
    refused = CliRunner().invoke(cli, ["cypher", "CREATE (:Topic {id: $id})", "--param", "id=t1"])
    assert refused.exit_code == 1
    assert "add --write" in refused.output
    assert graph_stats(graph).topics == 0
    allowed = run(
        "cypher",
        "CREATE (t:Topic {id: $id, n: $n}) RETURN t.id AS id, t.n AS n",
        "--param",
        "id=t1",
        "--param",
        "n=3",
        "--write",
        "--format",
        "json",
    )
    assert json.loads(allowed.output) == [{"id": "t1", "n": 3}]


def test_cypher_keeps_hostile_text_as_data(graph: Graph, neo4j_env: dict[str, str]):
    text = "x'}) DETACH DELETE n // `"
    result = run("cypher", "RETURN $text AS text", "--param", f"text={text}", "--format", "json")
    assert json.loads(result.output) == [{"text": text}]


def test_load_strict_refuses_malformed_file_before_writing(graph: Graph, neo4j_env: dict[str, str]):
    result = CliRunner().invoke(cli, ["load", str(FIXTURES / "profile_malformed.txt"), "--strict"])
    assert result.exit_code == 6
    assert "profile_malformed.txt:19" in result.output
    assert graph_stats(graph).papers == 0


def test_load_skips_malformed_block_keeps_the_rest_and_exits_6(graph: Graph, neo4j_env: dict[str, str]):
    result = run("load", str(FIXTURES / "profile_malformed.txt"), "--as-of", "2026-11-27")
    assert result.exit_code == 6
    assert "skipped 1: paper block header does not match" in result.output
    assert "profile_malformed.txt:19" in result.output
    assert result.output.endswith("Error: 1 record skipped in 1 input (see above)\n")
    assert graph_stats(graph).papers == 2


def test_clear_needs_yes(loaded: Graph):
    refused = CliRunner().invoke(cli, ["db", "clear"])
    assert refused.exit_code == 2
    assert graph_stats(loaded).papers == 7
    assert run("db", "clear", "--yes").exit_code == 0
    assert graph_stats(loaded).papers == 0


def test_viz_ego_writes_view(loaded: Graph, tmp_path: Path):
    output = tmp_path / "ego.html"
    result = run("viz", "ego", "Zishi Zhang", "-o", str(output))
    assert result.exit_code == 0
    assert "13 authors" in result.output
    assert "Zishi Zhang" in output.read_text(encoding="utf-8")


def test_status_names_server_and_counts(loaded: Graph, neo4j_env: dict[str, str], tmp_path: Path):
    result = run("db", "status", "--home", str(tmp_path))
    assert result.exit_code == 0
    assert "server:       Neo4j/5.26" in result.output
    assert "13 authors, 7 papers, 6 topics" in result.output


def test_server_down_is_one_clear_line(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NEO4J_URI", f"neo4j://127.0.0.1:{free_port()}")
    result = CliRunner().invoke(cli, ["stats"])
    assert result.exit_code == 3
    assert result.output.startswith("Error: no Neo4j server answers at neo4j://127.0.0.1:")
    assert "coauthor db start" in result.output
    assert "Traceback" not in result.output


def test_wrong_password_and_unknown_database(neo4j_env: dict[str, str]):
    wrong = CliRunner().invoke(cli, ["--password", "not-the-password", "stats"])
    assert wrong.exit_code == 4
    assert "not-the-password" not in wrong.output
    missing = CliRunner().invoke(cli, ["--database", "nosuchdb", "stats"])
    assert missing.exit_code == 5
    assert "database 'nosuchdb' does not exist" in missing.output
