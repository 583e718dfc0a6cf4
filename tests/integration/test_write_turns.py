"""Write turns (graph/turns.py): one holder at a time, a waiting one is told, a lost turn is taken again."""

from __future__ import annotations

import threading

from graph.connection import Graph
from graph.turns import WriteTurn

HELD = (
    "SHOW TRANSACTIONS YIELD transactionId, metaData WHERE metaData.coauthor = 'write turn load' RETURN transactionId"
)


def test_a_second_turn_waits_for_the_first_and_is_told(graph: Graph):
    events: list[str] = []
    second_taken = threading.Event()

    def second() -> None:
        with WriteTurn(graph, on_wait=lambda: events.append("waiting"), patience=0.2):
            events.append("second")
            second_taken.set()

    with WriteTurn(graph):
        events.append("first")
        thread = threading.Thread(target=second)
        thread.start()
        assert not second_taken.wait(1.0)  # the second turn waits while the first is held
        events.append("first done")
    thread.join(timeout=30)
    assert events == ["first", "waiting", "first done", "second"]


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
