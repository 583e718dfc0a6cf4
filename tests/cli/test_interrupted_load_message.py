"""A load stopped part-way, by Ctrl-C (exit 130) or by a lost server (exit 3), says how many papers of the input
were written and kept, and that running the same load again completes it; the re-run ends with the graph of an
uninterrupted load."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from neo4j.exceptions import ServiceUnavailable

from coauthor import cli
from graph.config import Settings
from graph.connection import START_HINT, Graph, translated_errors
from graph.writer import delete_everything, write_records
from queries.stats import graph_stats

TAO_REN = Path(__file__).resolve().parents[1] / "fixtures" / "profile_tao_ren.txt"  # 3 papers, nothing malformed
LOAD = ("load", str(TAO_REN), "--as-of", "2026-11-27", "--batch-size", "1")
KEPT = "2 papers of this input written and kept; run the same load again: nothing is written twice"


def load() -> Result:
    return CliRunner().invoke(cli, list(LOAD), catch_exceptions=False)


def stopped_after_two_batches(monkeypatch: pytest.MonkeyPatch, stop: Callable[[], None]) -> None:
    """Make `coauthor load` call ``stop()`` once its second batch is committed."""

    def write(*args, on_batch, **kwargs):
        batches = count(1)

        def after_batch(papers: int) -> None:
            on_batch(papers)
            if next(batches) == 2:
                stop()

        return write_records(*args, on_batch=after_batch, **kwargs)

    monkeypatch.setattr("coauthor.load.write_records", write)


def interrupt() -> None:
    raise KeyboardInterrupt


def test_ctrl_c_says_what_is_kept_and_exits_130(graph: Graph, neo4j_env: dict[str, str], monkeypatch):
    stopped_after_two_batches(monkeypatch, interrupt)
    result = load()
    assert result.exit_code == 130
    assert result.output == f"Error: interrupted while writing\nhint: {KEPT}\n"
    assert graph_stats(graph).papers == 2


def test_a_lost_server_says_what_is_kept_and_exits_3(
    graph: Graph, neo4j_env: dict[str, str], neo4j_settings: Settings, monkeypatch
):
    def lose_connection() -> None:
        with translated_errors(neo4j_settings):  # as Graph.execute_write meets a server gone away
            raise ServiceUnavailable("Failed to read from defunct connection")

    stopped_after_two_batches(monkeypatch, lose_connection)
    result = load()
    assert result.exit_code == 3
    assert result.output == f"Error: no Neo4j server answers at {neo4j_settings.uri}\nhint: {START_HINT}; {KEPT}\n"
    assert graph_stats(graph).papers == 2


def test_running_the_interrupted_load_again_completes_it(graph: Graph, neo4j_env: dict[str, str], monkeypatch):
    assert load().exit_code == 0
    uninterrupted = graph_stats(graph)
    delete_everything(graph)
    with monkeypatch.context() as patched:
        stopped_after_two_batches(patched, interrupt)
        assert load().exit_code == 130
    again = load()
    assert again.exit_code == 0, again.output
    assert again.output.startswith(f"{TAO_REN}: 3 records read (profile), 3 papers written, 2 merged into existing")
    assert graph_stats(graph) == uninterrupted
