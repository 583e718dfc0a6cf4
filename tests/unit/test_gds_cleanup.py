"""The GDS engine's clean-up, on a recording fake of the graph: which leftover in-memory graphs are stale, and how a
failed or interrupted run drops its own (on a fresh session, never the broken one, waiting a bounded time).

The same on a real server with GDS: tests/integration/test_gds.py.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from neo4j.exceptions import ServiceUnavailable

import queries.gds as gds
from graph.config import Settings
from graph.errors import InvalidRequest
from queries.gds import STALE_AFTER, detect_communities_gds, drop_leftovers, is_leftover, projection_name

HOST = "lab-3.example.org"  # dashes, as host names have


def gone_pid() -> int:
    """The PID of a process that has ended."""
    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    return int(process.stdout)


@pytest.mark.parametrize(
    ("name", "age", "leftover"),
    [
        (f"coauthor-{HOST}-4242-0f3a", 5, True),  # this host's, its process ended
        (f"coauthor-{HOST}-4242-0f3a", STALE_AFTER + 1, True),
        (f"coauthor-{HOST}-77-0f3a", 5, False),  # this host's, its process runs
        (f"coauthor-{HOST}-77-0f3a", 30 * STALE_AFTER, False),  # however long it runs
        ("coauthor-other-host-4242-0f3a", 5, False),  # another host's: its processes cannot be seen from here
        ("coauthor-other-host-4242-0f3a", STALE_AFTER, False),
        ("coauthor-other-host-4242-0f3a", STALE_AFTER + 1, True),
        ("coauthor-0f3a9bc2d4e54a7f8e3b0c1d2e3f4a5b", 60, False),  # an older version's name: no owner
        ("coauthor-0f3a9bc2d4e54a7f8e3b0c1d2e3f4a5b", STALE_AFTER + 1, True),
        (f"coauthor-{HOST}-x77-0f3a", 5, False),  # no PID where it should be: judged by age
    ],
)
def test_a_graph_is_left_over_when_its_process_ended_or_it_is_old(name: str, age: float, leftover: bool):
    assert is_leftover(name, age, HOST, running=lambda pid: pid == 77) is leftover


def test_a_fresh_name_names_this_host_and_process():
    name = projection_name()
    assert name.startswith(f"coauthor-{socket.gethostname()}-{os.getpid()}-")
    assert name != projection_name()
    assert not is_leftover(name, 0, socket.gethostname(), gds._running)
    assert is_leftover(name, 0, socket.gethostname(), running=lambda pid: False)


def test_running_tells_a_live_process_from_an_ended_one():
    assert gds._running(os.getpid())
    assert gds._running(1)  # init: another user's process still counts
    assert not gds._running(gone_pid())


class FakeResult:
    def __init__(self, rows: list[dict[str, Any]]):
        self.rows = rows

    def single(self, strict: bool = False) -> dict[str, Any]:
        return self.rows[0]

    def data(self) -> list[dict[str, Any]]:
        return self.rows

    def consume(self) -> None:
        return None


class FakeGraph:
    """Sessions numbered from 1 that log ``(session, event, parameters)``; ``answers`` maps the start of a query to
    its rows, or to a function of its parameters that returns them (or raises, or blocks)."""

    settings = Settings()

    def __init__(self, answers: dict[str, list[dict[str, Any]] | Callable[[dict[str, Any]], Any]]):
        self.answers = {"SHOW FUNCTIONS": [{"found": 1}], "RETURN gds.version": [{"version": "2.13.9"}], **answers}
        self.log: list[tuple[int, str, dict[str, Any]]] = []
        self.sessions = 0

    def read(self, query: str, /, **params: Any) -> list[dict[str, Any]]:
        return self.answer(0, query, params).rows

    def session(self) -> FakeSession:
        self.sessions += 1
        return FakeSession(self, self.sessions)

    def answer(self, number: int, query: str, params: dict[str, Any]) -> FakeResult:
        start = next((start for start in self.answers if query.strip().startswith(start)), None)
        assert start is not None, f"the fake has no answer to {query}"
        self.log.append((number, start, params))
        rows = self.answers[start]
        return FakeResult(rows if isinstance(rows, list) else rows(params))

    def events(self, number: int) -> list[str]:
        return [event for session, event, _params in self.log if session == number]


class FakeSession:
    def __init__(self, graph: FakeGraph, number: int):
        self.graph, self.number = graph, number

    def run(self, query: str, parameters: dict[str, Any] | None = None, **params: Any) -> FakeResult:
        return self.graph.answer(self.number, query, {**(parameters or {}), **params})

    def close(self) -> None:
        self.graph.log.append((self.number, "close", {}))

    def _handle_cancellation(self, message: str) -> None:
        self.graph.log.append((self.number, "abandon", {}))

    def __enter__(self) -> FakeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


PROJECT = "MATCH (a:Author)-[c:COAUTHOR]"
LEIDEN = "CALL gds.leiden.mutate"
DROP = "UNWIND $names"
MEMBERSHIP = "CALL gds.graph.nodeProperty"
PROJECTED = {"CALL gds.graph.list": [], PROJECT: [{"nodes": 2, "ties": 1}], DROP: []}


def projected_name(graph: FakeGraph) -> str:
    return next(params["name"] for _session, event, params in graph.log if event == PROJECT)


def interrupted(params: dict[str, Any]) -> None:
    raise KeyboardInterrupt


def test_a_finished_run_drops_its_graph_on_its_own_session():
    graph = FakeGraph(
        {**PROJECTED, LEIDEN: [{"modularity": 0.0}], MEMBERSHIP: [{"ids": ["b", "a"], "communities": [1, 1]}]}
    )
    found = detect_communities_gds(graph)
    assert found.ids == ("a", "b")
    assert graph.events(2) == [PROJECT, LEIDEN, MEMBERSHIP, DROP, "close"]
    assert (2, DROP, {"names": [projected_name(graph)]}) in graph.log
    assert graph.sessions == 2  # 1: leftovers, 2: the run


def test_an_interrupted_run_abandons_its_session_and_drops_its_graph_on_a_fresh_one():
    graph = FakeGraph({**PROJECTED, LEIDEN: interrupted})
    with pytest.raises(KeyboardInterrupt):
        detect_communities_gds(graph)
    assert graph.events(2) == [PROJECT, LEIDEN, "abandon", "close"]  # nothing more on the broken session
    assert graph.events(3) == [DROP, "close"]
    assert (3, DROP, {"names": [projected_name(graph)]}) in graph.log


def test_a_failed_projection_is_dropped_too_and_its_error_kept():
    def overflowing(params: dict[str, Any]) -> None:
        raise OverflowError("int too large to pack")  # the driver's refusal of a parameter beyond 64 bits

    graph = FakeGraph({**PROJECTED, PROJECT: overflowing})
    with pytest.raises(InvalidRequest, match="too large for Neo4j"):  # translated as always
        detect_communities_gds(graph)
    assert graph.events(2) == [PROJECT, "abandon", "close"]
    assert graph.events(3) == [DROP, "close"]


@pytest.mark.parametrize("drop", ["fails", "hangs"])
def test_a_drop_that_fails_or_hangs_neither_masks_the_interrupt_nor_delays_it(
    monkeypatch: pytest.MonkeyPatch, drop: str
):
    released = threading.Event()

    def dropping(params: dict[str, Any]) -> None:
        if drop == "fails":
            raise ServiceUnavailable("no server")
        released.wait(10)

    monkeypatch.setattr(gds, "DROP_WAIT", 0.3)
    graph = FakeGraph({**PROJECTED, LEIDEN: interrupted, DROP: dropping})
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        detect_communities_gds(graph)
    assert time.monotonic() - started < 3
    assert graph.events(3)[0] == DROP
    released.set()


def test_leftovers_are_dropped_before_a_run_and_live_ones_kept():
    host, alive, gone = socket.gethostname(), os.getpid(), gone_pid()
    listed = [
        {"name": f"coauthor-{host}-{alive}-1", "age": 10},
        {"name": f"coauthor-{host}-{gone}-2", "age": 10},
        {"name": f"coauthor-{host}-1-3", "age": 10},  # init's: running
        {"name": "coauthor-elsewhere-7-4", "age": 10},
        {"name": "coauthor-elsewhere-7-5", "age": STALE_AFTER + 60},
        {"name": "coauthor-6f1c", "age": STALE_AFTER + 60},
    ]
    graph = FakeGraph({"CALL gds.graph.list": listed, DROP: []})
    dropped = [f"coauthor-{host}-{gone}-2", "coauthor-elsewhere-7-5", "coauthor-6f1c"]
    assert drop_leftovers(graph) == dropped
    assert graph.log == [
        (1, "CALL gds.graph.list", {"prefix": "coauthor-"}),
        (1, DROP, {"names": dropped}),
        (1, "close", {}),
    ]
