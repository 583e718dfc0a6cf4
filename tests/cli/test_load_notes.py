"""`coauthor load` reports what it leaves out by design as noted, by reason and with file and line, beside the
skipped records, and a note is no error: the exit code stays 0, and --strict loads the input."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from coauthor import cli
from graph.connection import Graph
from queries.stats import graph_stats

BIB = """@article{good,
  author  = {Ann Lee and {\\_} and Bo Wu},
  title   = {A Paper},
  journal = nosuchjournal,
  year    = 2020
}
"""


def load(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["load", *map(str, args)], catch_exceptions=False)


@pytest.mark.parametrize("strict", [False, True])
def test_dblp_volumes_without_authors_are_noted_not_skipped(
    graph: Graph, neo4j_env: dict[str, str], shared_dir: Path, strict: bool
):
    path = shared_dir / "data" / "dblp" / "dblp_alltags_sample.xml"
    result = load(path, *(["--strict"] if strict else []))
    assert result.exit_code == 0, result.output
    assert (
        f"{path}: 26 records read (dblp), 24 papers written, 0 merged into existing papers, 0 skipped, 2 noted; "
        in (result.output)
    )
    assert "  noted 1: book … has no <author>: not a paper\n" in result.output
    assert "  noted 1: proceedings … has no <author>: not a paper\n" in result.output
    assert "skipped 1" not in result.output and "Error" not in result.output
    assert graph_stats(graph).papers == 24


def test_bibtex_notes_name_file_and_line_and_the_entry_loads(graph: Graph, neo4j_env: dict[str, str], tmp_path: Path):
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    result = load(path)
    assert result.exit_code == 0, result.output
    assert "1 papers written, 0 merged into existing papers, 0 skipped, 2 noted; " in result.output
    assert "  noted 1: author … … left out: its name has no letter or digit\n" in result.output
    assert "  noted 1: entry …: journal left out: undefined macro …\n" in result.output
    assert f"  {path}:1: author 2 '_' left out: its name has no letter or digit\n" in result.output
    assert f"  {path}:1: entry 'good': journal left out: undefined macro 'nosuchjournal'\n" in result.output
    rows = graph.read("MATCH (a:Author)-[r:AUTHORED]->(p:Paper) RETURN a.name AS name, r.position AS position")
    assert sorted((row["name"], row["position"]) for row in rows) == [("Ann Lee", 1), ("Bo Wu", 3)]


def test_a_file_with_nothing_noted_keeps_its_summary(graph: Graph, neo4j_env: dict[str, str], shared_dir: Path):
    result = load(shared_dir / "data" / "dblp" / "dblp_small_acta.xml")
    assert result.exit_code == 0, result.output
    assert "0 skipped; " in result.output and "noted" not in result.output


def test_load_help_describes_notes():
    result = CliRunner().invoke(cli, ["load", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "is reported as noted, by reason, with file and line, and is no error" in text
    assert "an empty directory" in text
