"""Connect to Neo4j, run parameterized Cypher, and translate driver errors into ours once, here."""

from __future__ import annotations

import logging
import random
import socket
import ssl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import urlsplit

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j import exceptions as neo4j_errors

from graph.config import Settings
from graph.errors import (
    AuthenticationFailed,
    CoauthorError,
    DatabaseNotFound,
    GraphUnavailable,
    InvalidRequest,
    ServerTimeout,
    TlsMismatch,
    UntrustedCertificate,
)
from graph.schema import apply_schema

__all__ = ["INT64_MAX", "Graph", "connect"]

T = TypeVar("T")

# The driver logs connection failures to stderr even when we catch them; our one clear line is enough.
logging.getLogger("neo4j").addHandler(logging.NullHandler())
logging.getLogger("neo4j").propagate = False

BOLT_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
START_HINT = "start one with `coauthor db start` (or `docker compose up -d`), or set NEO4J_URI"
HTTP_ANSWER = "(looks like HTTP)"
"""How the driver's ServiceUnavailable message ends when a Bolt handshake is answered with ``HTTP``."""
BOLT_PORT_HINT = "point NEO4J_URI (or --uri) at Neo4j's Bolt port: 7687 unless configured otherwise (7474 is HTTP)"
INT64_MAX = 2**63 - 1
"""Neo4j's largest integer (they are 64-bit): the driver cannot send a larger one as a parameter."""


@contextmanager
def translated_errors(settings: Settings) -> Iterator[None]:
    """Turn the driver's connection, auth and database errors into the project's error types, and a parameter too
    large for Neo4j's 64-bit integers (which the driver refuses with an OverflowError) into a usage error."""
    try:
        yield
    except OverflowError as err:
        raise InvalidRequest(
            f"a number is too large for Neo4j: its integers run from {-INT64_MAX - 1} to {INT64_MAX}"
        ) from err
    except neo4j_errors.AuthError as err:
        raise AuthenticationFailed(
            f"Neo4j at {settings.uri} refused user {settings.username!r}: wrong username or password",
            hint="set NEO4J_USERNAME / NEO4J_PASSWORD (or --username / --password)",
        ) from err
    except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, neo4j_errors.UnsupportedServerProduct) as err:
        raise _unavailable(settings, err) from err
    except neo4j_errors.ClientError as err:
        if err.code and err.code.startswith("Neo.ClientError.Transaction.TransactionTimedOut"):
            raise ServerTimeout(f"Neo4j at {settings.uri} stopped the query: it ran past its time limit") from err
        if err.code == "Neo.ClientError.Database.DatabaseNotFound":
            raise DatabaseNotFound(
                f"database {settings.database!r} does not exist at {settings.uri}",
                hint="set NEO4J_DATABASE (or --database) to an existing database",
            ) from err
        if err.code == "Neo.ClientError.Statement.AccessMode":
            raise CoauthorError("the query writes, and queries run read-only", hint="add --write to allow it") from err
        raise CoauthorError(f"Neo4j refused the query: {err.message}") from err
    except neo4j_errors.ConfigurationError as err:
        raise CoauthorError(f"cannot use NEO4J_URI {settings.uri!r}: {err}") from err


def _unavailable(settings: Settings, err: Exception) -> GraphUnavailable:
    """Why the server could not be reached: an untrusted certificate, encryption mismatch, no answer in time, an answer
    that is not Bolt, or nothing listening (refused, closed or reset: a connection hung up on is not a timeout)."""
    causes = list(_causes(err))
    if untrusted := next((c for c in causes if isinstance(c, ssl.SSLCertVerificationError)), None):
        return UntrustedCertificate(
            f"the certificate of the server at {settings.uri} is not trusted: {untrusted.verify_message}",
            hint="use neo4j+ssc:// or bolt+ssc:// to accept a self-signed certificate, or trust its CA on this machine",
        )
    if any(isinstance(cause, ssl.SSLError) for cause in causes):
        return _tls_mismatch(settings)
    # Only the socket's own timeout counts: the driver's messages name its "deadline" on every handshake failure.
    if any(isinstance(cause, TimeoutError) for cause in causes):
        return ServerTimeout(
            f"Neo4j at {settings.uri} did not answer within {settings.timeout:g} s",
            hint="check the host and port, or wait longer with --timeout / COAUTHOR_TIMEOUT",
        )
    if any(isinstance(cause, neo4j_errors.ServiceUnavailable) and str(cause).endswith(HTTP_ANSWER) for cause in causes):
        return GraphUnavailable(f"the server at {settings.uri} speaks HTTP, not Bolt", hint=BOLT_PORT_HINT)
    if isinstance(err, neo4j_errors.UnsupportedServerProduct):  # its handshake answer names no Bolt version we speak
        return GraphUnavailable(
            f"the server at {settings.uri} does not speak Bolt (it is not Neo4j, or a very old one)",
            hint=BOLT_PORT_HINT,
        )
    if "+s" not in settings.uri.partition("://")[0] and _speaks_tls(settings):
        return _tls_mismatch(settings)  # a server requiring TLS just closes a plain connection: ask it in TLS
    return GraphUnavailable(f"no Neo4j server answers at {settings.uri}", hint=START_HINT)


def _tls_mismatch(settings: Settings) -> TlsMismatch:
    encrypted = "+s" in settings.uri.partition("://")[0]
    return TlsMismatch(
        f"the server at {settings.uri} does not speak TLS"
        if encrypted
        else f"the server at {settings.uri} requires TLS",
        hint="use neo4j:// or bolt:// for a server without TLS"
        if encrypted
        else "use neo4j+s:// (Aura, clusters with certificates) or neo4j+ssc:// (self-signed)",
    )


def _speaks_tls(settings: Settings) -> bool:
    """Whether the URI's host and port complete a TLS handshake (any certificate accepted: nothing is sent)."""
    address = urlsplit(settings.uri)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((address.hostname, address.port or 7687), timeout=settings.timeout) as plain,
            context.wrap_socket(plain, server_hostname=address.hostname),
        ):
            return True
    except (OSError, ValueError):  # refused, closed, not TLS (ssl.SSLError is an OSError), a bad port
        return False


def _causes(err: BaseException) -> Iterator[BaseException]:
    """The error, its causes and contexts, and the members of exception groups, each once."""
    seen: set[int] = set()
    pending = [err]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
        pending.extend(getattr(current, "exceptions", ()))


class Graph:
    """One Neo4j database behind a driver: read and write parameterized Cypher.

    User text always travels as query parameters; no method here formats values into a query string.
    """

    def __init__(self, driver: neo4j.Driver, settings: Settings):
        self.driver = driver
        self.settings = settings

    def read(self, query: str, /, **params: Any) -> list[dict[str, Any]]:
        """Run a read query (routed to a reader on clusters) and return its rows as dicts."""
        return self._run(query, params, RoutingControl.READ)

    def write(self, query: str, /, **params: Any) -> list[dict[str, Any]]:
        """Run a write query in one retried transaction and return its rows as dicts."""
        return self._run(query, params, RoutingControl.WRITE)

    def execute_write(self, work: Callable[..., T], *args: Any, final: frozenset[str] = frozenset()) -> T:
        """Run ``work(tx, *args)`` in a write transaction, retried as the driver's managed transactions are (so it
        must be idempotent), except that an error whose code is in ``final`` is raised at once, whether a statement
        or the commit met it."""
        with translated_errors(self.settings):
            if not final:
                with self.session() as session:
                    return session.execute_write(work, *args)
            return self._write_retried(work, args, final)

    def execute_read(self, work: Callable[..., T], *args: Any) -> T:
        """Run ``work(tx, *args)`` in a managed read transaction; the server refuses writes in it."""
        with translated_errors(self.settings), self.session(read_only=True) as session:
            return session.execute_read(work, *args)

    def session(self, *, read_only: bool = False) -> neo4j.Session:
        mode = neo4j.READ_ACCESS if read_only else neo4j.WRITE_ACCESS
        return self.driver.session(database=self.settings.database, default_access_mode=mode)

    def server_version(self) -> str:
        """The server's product and version, e.g. ``Neo4j/5.26.30``."""
        with translated_errors(self.settings):
            return self.driver.get_server_info().agent

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write_retried(self, work: Callable[..., T], args: tuple[Any, ...], final: frozenset[str]) -> T:
        """The driver's retry loop (``Session.execute_write``) around one explicit transaction per attempt: a
        retryable error is tried again, after growing pauses, until ``max_transaction_retry_time`` has passed since
        the first failure; an error in ``final`` or not retryable is raised at once."""
        config = self.driver._default_workspace_config  # the driver's retry settings: it offers no public getter
        pauses = _retry_pauses(
            config.initial_retry_delay, config.retry_delay_multiplier, config.retry_delay_jitter_factor
        )
        first_failure = None
        while True:
            try:
                return self._write_once(work, args)
            except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as err:
                now = time.monotonic()
                first_failure = now if first_failure is None else first_failure
                if _is_final(err, final) or now - first_failure > config.max_transaction_retry_time:
                    raise
            time.sleep(next(pauses))

    def _write_once(self, work: Callable[..., T], args: tuple[Any, ...]) -> T:
        """``work(tx, *args)`` in one explicit write transaction, committed if it returns, rolled back if it raises."""
        with self.session() as session, session.begin_transaction() as tx:
            result = work(tx, *args)
            tx.commit()
            return result

    def _run(self, query: str, params: dict[str, Any], routing: RoutingControl) -> list[dict[str, Any]]:
        with translated_errors(self.settings):
            records = self.driver.execute_query(
                query, params, database_=self.settings.database, routing_=routing
            ).records
        return [record.data() for record in records]


def _is_final(err: neo4j_errors.Neo4jError | neo4j_errors.DriverError, final: frozenset[str]) -> bool:
    """Whether ``err`` ends the retries: the caller named its code, or the driver would not retry it."""
    return (isinstance(err, neo4j_errors.Neo4jError) and err.code in final) or not err.is_retryable()


def _retry_pauses(initial: float, multiplier: float, jitter: float) -> Iterator[float]:
    """The driver's pauses between attempts: ``initial`` seconds, times ``multiplier`` each time, each moved by up to
    ``jitter`` of itself either way."""
    pause = initial
    while True:
        yield random.uniform(pause * (1 - jitter), pause * (1 + jitter))
        pause *= multiplier


def connect(settings: Settings | None = None, *, ensure_schema: bool = True) -> Graph:
    """Connect and check the server answers (one round trip); apply the schema unless told not to.

    Raises GraphUnavailable (or its kinds TlsMismatch, UntrustedCertificate and ServerTimeout), AuthenticationFailed or
    DatabaseNotFound with a hint, never a driver traceback.
    """
    settings = settings or Settings.from_env()
    scheme = settings.uri.partition("://")[0]
    if scheme not in BOLT_SCHEMES:
        raise CoauthorError(
            f"cannot use NEO4J_URI {settings.uri!r}: the scheme must be one of {', '.join(BOLT_SCHEMES)}"
        )
    with translated_errors(settings):
        driver = GraphDatabase.driver(
            settings.uri,
            auth=(settings.username, settings.password),
            connection_timeout=settings.timeout,
            connection_acquisition_timeout=settings.timeout,
        )
    graph = Graph(driver, settings)
    try:
        with translated_errors(settings):
            driver.verify_connectivity()  # fails at once; a query would retry for 30 s
        graph.read("RETURN 1 AS ok")
        if ensure_schema:
            apply_schema(graph)
    except BaseException:
        graph.close()
        raise
    return graph
