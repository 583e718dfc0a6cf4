"""Loads take turns writing, so loads that overlap in time end with the graph of the same loads run one after another.

A mention known only by its name joins the Author that the evidence already in the graph points to
(graph/identity.py), so the batches of two loads written interleaved would give people that depend on timing. A turn
is an open transaction holding the write lock of one ``(:WriteTurn)`` node: a second load's turn waits for the lock,
and a load that dies drops its connection, which makes the server roll back its transaction and free the lock at once.
Nothing is ever committed by a turn. Reading and parsing overlap; only writing waits.

A waiting load is told so only when its turn's transaction is blocked on that lock, as the server's list of
transactions says: taking the lock is a query like any other, and its first run on a freshly started server took
2.7 s (2 busy cores, no other load), which a plain timer read as another load holding the turn.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from neo4j import exceptions as neo4j_errors

from graph.connection import translated_errors
from graph.errors import CoauthorError, GraphUnavailable

if TYPE_CHECKING:
    import neo4j

    from graph.connection import Graph

__all__ = ["WriteTurn"]

ENSURE = "MERGE (:WriteTurn {id: $id})"
TAKE = "MATCH (t:WriteTurn {id: $id}) SET t.taken = true"  # never committed: the write is only for its lock
CHECK = "MATCH (t:WriteTurn {id: $id}) RETURN t.id AS id"
# Whether the turn's transaction (its metadata's token) waits for a lock; routed as a write, to the server holding it.
BLOCKED = """
SHOW TRANSACTIONS YIELD metaData, status
WHERE metaData.turn = $token AND status STARTS WITH 'Blocked'
RETURN count(*) > 0 AS blocked
"""


class WriteTurn:
    """The exclusive right to write, held from ``with WriteTurn(graph):`` to the end of the block.

    ``on_wait()`` is called once if another writer keeps the turn: when, checked every ``patience`` seconds while
    the turn is being taken, its transaction is blocked on the lock (not merely slow). Call :meth:`keep`
    between transactions: a server restart ends the turn, and ``keep`` takes it again. Taking a turn, first or again,
    retries for up to ``retry_for`` seconds while the server is away.
    """

    def __init__(
        self,
        graph: Graph,
        *,
        on_wait: Callable[[], None] | None = None,
        patience: float = 1.0,
        retry_for: float = 60.0,
        name: str = "load",
    ):
        self.graph = graph
        self.on_wait = on_wait
        self.patience = patience
        self.retry_for = retry_for
        self.name = name
        self._session: neo4j.Session | None = None
        self._tx: neo4j.Transaction | None = None

    def __enter__(self) -> WriteTurn:
        self.keep()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release()

    def keep(self) -> bool:
        """Make sure the turn is still held; take it again (waiting for the server, then for the lock) if not.
        True when it was held all along, False when it had to be taken (another load may have written meanwhile)."""
        if self._tx is not None:
            try:
                self._tx.run(CHECK, id=self.name).consume()
                return True
            except (neo4j_errors.DriverError, neo4j_errors.Neo4jError):
                self._release()
        deadline = time.monotonic() + self.retry_for
        while True:
            try:
                self._take()
                return False
            except (GraphUnavailable, neo4j_errors.TransientError):  # a server stopping or starting says either
                if time.monotonic() > deadline:
                    raise
                time.sleep(1.0)

    def _take(self) -> None:
        self.graph.write(ENSURE, id=self.name)
        token = uuid.uuid4().hex
        with translated_errors(self.graph.settings):
            self._session = self.graph.session()
            try:
                metadata = {"coauthor": f"write turn {self.name}", "turn": token}
                self._tx = self._session.begin_transaction(metadata=metadata)
                with self._telling_when_blocked(token):
                    self._tx.run(TAKE, id=self.name).consume()
            except BaseException:
                self._release()
                raise

    @contextmanager
    def _telling_when_blocked(self, token: str) -> Iterator[None]:
        """While the block runs, check every ``patience`` seconds whether the transaction of ``token`` waits for a
        lock, and call ``on_wait`` the first time it does."""
        if self.on_wait is None:
            yield
            return
        done = threading.Event()

        def watch() -> None:
            while not done.wait(self.patience):
                if self._blocked(token) and not done.is_set():
                    self.on_wait()
                    return

        threading.Thread(target=watch, name=f"write turn {self.name} watch", daemon=True).start()
        try:
            yield
        finally:
            done.set()

    def _blocked(self, token: str) -> bool:
        """Whether the transaction of ``token`` is blocked on a lock; False when the server cannot say."""
        try:
            return self.graph.write(BLOCKED, token=token)[0]["blocked"]
        except (CoauthorError, neo4j_errors.DriverError, neo4j_errors.Neo4jError):
            return False

    def _release(self) -> None:
        """Roll back (the turn never writes) and close; a connection already gone has released the lock itself."""
        for close in (self._tx and self._tx.close, self._session and self._session.close):
            try:
                if close:
                    close()
            except (neo4j_errors.DriverError, neo4j_errors.Neo4jError, OSError):
                pass
        self._tx = self._session = None
