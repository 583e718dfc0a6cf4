"""`coauthor load` on a UTF-16 export, a wrong --format, and BibTeX entries that are not papers: every record read
is written, skipped or noted, and a format that fails on every record is one message, not one line per record."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from coauthor import cli
from graph.connection import Graph
from queries.stats import graph_stats

SUMMARY = re.compile(
    r": (?P<read>\d+) records read \((?P<format>\w+)\), (?P<written>\d+) papers written, \d+ merged into existing "
    r"papers, (?P<skipped>\d+) skipped(?:, (?P<noted>\d+) noted)?;"
)
BIB = """@proceedings{vol, editor = {Ed Itor}, title = {Proc of Things}, year = 2019}
@inproceedings{p1, author = {Ann Oak and Bob Elm}, title = {Paper one}, crossref = {vol}}
@inproceedings{p2, author = {Ann Oak}, title = {Paper two}, crossref = {vol}}
@book{alone, editor = {Ed Itor}, title = {An Edited Book Nobody Cites}, year = 2001}
@misc{software, title = {A Library}}
@article{untitled, author = {Cy Do}}
"""


def load(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["load", *map(str, args)], catch_exceptions=False)


def counts(result: Result) -> dict[str, int | str]:
    found = SUMMARY.search(result.output)
    assert found, result.output
    return {key: value if key == "format" else int(value or 0) for key, value in found.groupdict().items()}


def test_bibtex_entries_without_authors_are_noted_so_every_record_is_counted(
    graph: Graph, neo4j_env: dict[str, str], tmp_path: Path
):
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    result = load(path)
    assert result.exit_code == 6, result.output  # the untitled article is skipped
    said = counts(result)
    assert said == {"read": 6, "format": "bibtex", "written": 2, "skipped": 1, "noted": 3}
    assert said["read"] == said["written"] + said["skipped"] + said["noted"]
    assert "  noted 1: entry … has no authors: not a paper to load (crossref container, referenced by …)\n" in (
        result.output
    )
    assert f"  {path}:1: entry 'vol' has no authors: not a paper to load (crossref container, referenced by 2)\n" in (
        result.output
    )
    assert f"  {path}:4: entry 'alone' has no authors: not a paper to load (editors only)\n" in result.output
    assert f"  {path}:5: entry 'software' has no authors: not a paper to load\n" in result.output
    assert f"  {path}:6: entry 'untitled': no title\n" in result.output
    assert graph_stats(graph).papers == 2


def test_an_editors_only_volume_alone_is_no_error(graph: Graph, neo4j_env: dict[str, str], tmp_path: Path):
    path = tmp_path / "volume.bib"
    path.write_text(BIB.splitlines()[3] + "\n", encoding="utf-8")
    result = load(path, "--strict")
    assert result.exit_code == 0, result.output
    assert counts(result) == {"read": 1, "format": "bibtex", "written": 0, "skipped": 0, "noted": 1}


@pytest.mark.parametrize("strict", [False, True])
def test_a_wrong_format_is_one_message_not_one_line_per_record(
    graph: Graph, neo4j_env: dict[str, str], shared_dir: Path, strict: bool
):
    gml = shared_dir / "data" / "newman_gml" / "netscience.gml"
    lines = sum(1 for line in gml.read_text().splitlines() if line.strip() and not line.startswith("#"))
    result = load("--format", "snap", gml, *(["--strict"] if strict else []))
    assert result.exit_code == 6
    said = (
        f"{gml}: no record could be read as snap: all {lines} failed (is --format right? Leave it out to detect the "
        "format); the first (line 1): not a pair of integer node ids"
    )
    assert result.output.count("not a pair of integer node ids") == (1 if strict else 2)  # summary and detail
    assert (result.output == f"Error: {said}\n") if strict else (f"  {said}\n" in result.output)
    assert graph_stats(graph).papers == 0 and graph_stats(graph).authors == 0


def test_a_utf16_web_of_science_export_loads_as_its_utf8_original(
    graph: Graph, neo4j_env: dict[str, str], shared_dir: Path, tmp_path: Path
):
    original = shared_dir / "data" / "csv_exports" / "wos_tabdelimited_scienceScape_50.txt"
    wide = tmp_path / "wos_utf16.txt"
    wide.write_bytes(original.read_bytes().decode("utf-8").encode("utf-16"))  # what `iconv -t utf-16` writes
    first = load(wide)
    assert first.exit_code == 0, first.output
    assert counts(first) == {"read": 50, "format": "wos", "written": 50, "skipped": 0, "noted": 0}
    loaded = graph_stats(graph)
    again = load(original)  # the same records: every paper merges, nothing new
    assert again.exit_code == 0, again.output
    assert "50 merged into existing papers" in again.output and "0 nodes and 0 relationships new" in again.output
    assert graph_stats(graph) == loaded
