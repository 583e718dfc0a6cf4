"""Write turns (graph/turns.py): one holder at a time, a waiting one is told, a lost turn is taken again."""

from __future__ import annotations

import threading
import time

import pytest

from graph import turns
from graph.connection import Graph
from graph.turns import WriteTurn

HELD = (
    "SHOW TRANSACTIONS YIELD transactionId, metaData WHERE metaData.coauthor = 'write turn load' RETURN transactionId"
)


def test_a_second_turn_waits_for_the_first_and_is_told(graph: Graph):
    events: list[str] = []
    told, second_taken = threading.Event(), threading.Event()

    def waiting() -> None:
        events.append("waiting")
        told.set()

    def second() -> None:
        with WriteTurn(graph, on_wait=waiting, patience=0.2):
            events.append("second")
            second_taken.set()

    with WriteTurn(graph):
        events.append("first")
        thread = threading.Thread(target=second)
        thread.start()
        assert told.wait(30)  # told while the first turn is held (the server's first look at it may be slow)
        assert not second_taken.wait(0.5)  # and still waiting
        events.append("first done")
    thread.join(timeout=30)
    assert events == ["first", "waiting", "first done", "second"]


# TAKE, then busy for 1.5 s: as slow as taking the turn was on a freshly started server, with no other holder.
SLOW_TAKE = """
MATCH (t:WriteTurn {id: $id}) SET t.taken = true
WITH datetime.realtime().epochMillis + 1500 AS until
UNWIND range(1, 3000) AS i
UNWIND range(1, 3000) AS j
WITH i, until WHERE datetime.realtime().epochMillis >= until
RETURN i LIMIT 1
"""


def test_a_slow_turn_that_no_one_else_holds_is_not_told_as_waiting(graph: Graph, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(turns, "TAKE", SLOW_TAKE)
    events: list[str] = []
    started = time.monotonic()
    with WriteTurn(graph, on_wait=lambda: events.append("waiting"), patience=0.2):
        assert time.monotonic() - started >= 1.5  # the take outlasted the patience several times over
    assert events == []


def test_a_turn_ended_by_the_server_is_taken_again(graph: Graph):
    taken = threading.Event()

    def other() -> None:
        with WriteTurn(graph):
            taken.set()

    with WriteTurn(graph) as turn:
        assert turn.keep() is True  # held all along
        [before] = graph.read(HELD)
        graph.write("TERMINATE TRANSACTION $id", id=before["transactionId"])
        assert turn.keep() is False  # taken again: another load may have written in between
        [after] = graph.read(HELD)
        assert after != before
        thread = threading.Thread(target=other)
        thread.start()
        assert not taken.wait(1.0)  # held again: the other turn waits
    assert taken.wait(30)
    thread.join()


def test_the_turn_leaves_no_trace_but_its_node(graph: Graph):
    with WriteTurn(graph):
        pass
    assert graph.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props") == [
        {"labels": ["WriteTurn"], "props": {"id": "load"}}
    ]
