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


def test_an_error_the_driver_raises_while_handling_ctrl_c_counts_as_ctrl_c(graph: Graph, neo4j_env, monkeypatch):
    def interrupt_then_fail() -> None:  # as the driver's close of a connection broken mid-message may
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise BufferError("Existing exports of data: object cannot be re-sized") from None

    stopped_after_two_batches(monkeypatch, interrupt_then_fail)
    result = load()
    assert (result.exit_code, result.output) == (130, f"Error: interrupted while writing\nhint: {KEPT}\n")


def test_ctrl_c_while_reading_says_nothing_was_written(graph: Graph, neo4j_env, monkeypatch):
    monkeypatch.setattr("coauthor.load.read_inputs", lambda *args, **kwargs: interrupt())
    result = load()
    assert (result.exit_code, result.output) == (
        130,
        "Error: interrupted while reading the inputs\nhint: nothing was written\n",
    )
    assert graph_stats(graph).papers == 0


def test_any_command_stopped_by_ctrl_c_exits_130(neo4j_env, monkeypatch):
    def interrupt_then_fail(*args, **kwargs) -> None:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise RuntimeError("a driver error while closing") from None

    monkeypatch.setattr("coauthor.ask.graph_stats", interrupt_then_fail)
    result = CliRunner().invoke(cli, ["stats"], catch_exceptions=False)
    assert (result.exit_code, result.output) == (130, "Aborted!\n")
    monkeypatch.setattr("coauthor.ask.graph_stats", lambda *args, **kwargs: interrupt())
    assert CliRunner().invoke(cli, ["stats"], catch_exceptions=False).exit_code == 130
    monkeypatch.setattr("coauthor.ask.graph_stats", lambda *args, **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):  # other errors are not mistaken for an interrupt
        CliRunner().invoke(cli, ["stats"], catch_exceptions=False)
