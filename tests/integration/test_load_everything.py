"""Every real file in ../shared/data loads (error feeds fail with their message; of the SNAP networks, ca-GrQc), and a
second load changes nothing: not a count, not a property, not a COAUTHOR weight."""

from __future__ import annotations

from pathlib import Path

import pytest
from graph_export import full_export

from graph.connection import Graph
from graph.writer import write_records
from loaders import UNREADABLE, UNRECOGNISED, read_inputs

EXPECTED_UNREADABLE = {"arxiv_api_error_400_malformed_id.xml", "error_404_work_not_found.txt"}
BATCH = 2000  # papers per transaction: about twice as fast as the default on these files, and idempotent all the same
IRIDIA_ORDER = ["abbrev.bib", "journals.bib", "authors.bib", "articles.bib", "biblio.bib", "crossref.bib"]


def everything(shared_dir: Path) -> list[Path]:
    data = shared_dir / "data"
    folders = sorted(path for path in data.iterdir() if path.is_dir() and path.name not in ("bibtex", "snap"))
    bibtex = data / "bibtex"
    bib_files = [bibtex / "amrex_joss_paper.bib", bibtex / "mendeley_export_942.bib"]
    # One SNAP network stands for the five: the others hold 430k more ties of the same format (tests/unit parses
    # all five), which would make this test take many minutes.
    snap = [data / "snap" / "ca-GrQc.txt.gz"]
    return [*folders, *bib_files, *(bibtex / "iridia" / name for name in IRIDIA_ORDER), *snap]


@pytest.mark.timeout(1200)
def test_everything_loads_and_a_second_load_changes_nothing(graph: Graph, shared_dir: Path):
    results = read_inputs(everything(shared_dir), keep_going=True)
    unreadable = {Path(result.path).name for result in results if result.format == UNREADABLE}
    assert unreadable == EXPECTED_UNREADABLE
    loaded = [result for result in results if result.format not in (UNREADABLE, UNRECOGNISED)]
    assert {result.format for result in loaded} >= {"bibtex", "dblp", "openalex", "crossref", "snap", "gml", "wos"}
    for result in loaded:
        write_records(graph, result.papers, result.profiles, result.ties, batch_size=BATCH)
    first = full_export(graph)
    assert sum('"labels": ["Paper"]' in line for line in first) > 13_000  # 13,333 when written
    for result in loaded:
        summary = write_records(graph, result.papers, result.profiles, result.ties, batch_size=BATCH)
        assert (summary.nodes_created, summary.relationships_created) == (0, 0), result.path
    second = full_export(graph)
    assert len(second) == len(first)
    assert second == first  # every node, relationship and property, compared line by line
