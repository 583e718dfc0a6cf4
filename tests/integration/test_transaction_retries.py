"""Graph.execute_write with final codes: retries what the driver retries, as long, but no error it is told not to."""

from __future__ import annotations

from collections.abc import Callable

import neo4j
import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError, TransientError

from graph.config import Settings
from graph.connection import Graph
from graph.errors import CoauthorError

DEADLOCK = "Neo.TransientError.Transaction.DeadlockDetected"
OUT_OF_MEMORY = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"
FINAL = frozenset({OUT_OF_MEMORY})


def server_error(code: str) -> Neo4jError:
    """The error the driver raises when the server answers a FAILURE with ``code`` (a TransientError for these)."""
    return Neo4jError._hydrate_neo4j(code=code, message=f"the server says {code}")


def probe_writer(fails_with: Callable[[int], Exception | None]) -> tuple[Callable, list[int]]:
    """Work that writes a Probe node for its attempt, then raises ``fails_with(attempt)`` unless that is None."""
    attempts: list[int] = []

    def work(tx: neo4j.Transaction) -> int:
        attempts.append(len(attempts) + 1)
        tx.run("CREATE (:Probe {attempt: $attempt})", attempt=attempts[-1]).consume()
        if error := fails_with(attempts[-1]):
            raise error
        return attempts[-1]

    return work, attempts


def probes(graph: Graph) -> list[int]:
    return [row["attempt"] for row in graph.read("MATCH (p:Probe) RETURN p.attempt AS attempt ORDER BY attempt")]


def test_a_transient_error_is_retried_and_the_failed_attempt_rolled_back(graph: Graph):
    work, attempts = probe_writer(lambda attempt: server_error(DEADLOCK) if attempt == 1 else None)
    assert graph.execute_write(work, final=FINAL) == 2
    assert (attempts, probes(graph)) == ([1, 2], [2])


def test_an_error_with_a_final_code_is_raised_after_one_attempt(graph: Graph):
    work, attempts = probe_writer(lambda attempt: server_error(OUT_OF_MEMORY))
    with pytest.raises(TransientError) as raised:
        graph.execute_write(work, final=FINAL)
    assert (raised.value.code, attempts, probes(graph)) == (OUT_OF_MEMORY, [1], [])


def test_a_refused_query_is_not_retried_and_is_our_error(graph: Graph):
    attempts: list[int] = []

    def work(tx: neo4j.Transaction) -> None:
        attempts.append(1)
        tx.run("CREATE (:Probe {attempt: $attempt}) RETURN nonsense").consume()

    with pytest.raises(CoauthorError, match="Neo4j refused the query"):
        graph.execute_write(work, final=FINAL)
    assert (attempts, probes(graph)) == ([1], [])


def test_retries_end_after_the_drivers_max_retry_time(graph: Graph, neo4j_settings: Settings):
    settings = neo4j_settings
    driver = GraphDatabase.driver(
        settings.uri, auth=(settings.username, settings.password), max_transaction_retry_time=0.5
    )
    work, attempts = probe_writer(lambda attempt: server_error(DEADLOCK))
    with Graph(driver, settings) as impatient, pytest.raises(TransientError, match="DeadlockDetected"):
        impatient.execute_write(work, final=FINAL)
    assert (attempts, probes(graph)) == ([1, 2], [])  # the second attempt starts a second (about 1 s) after the first
