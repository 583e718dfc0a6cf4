"""The project's error types. Each carries the process exit code the CLI uses for it."""

from __future__ import annotations

__all__ = [
    "AmbiguousName",
    "AuthenticationFailed",
    "CoauthorError",
    "DatabaseNotFound",
    "GraphUnavailable",
    "InputError",
    "InvalidRequest",
    "LoadInterrupted",
    "NoPath",
    "NotFound",
    "SameAuthor",
    "ServerControlError",
    "ServerTimeout",
    "TlsMismatch",
    "UntrustedCertificate",
    "interrupted",
]


class CoauthorError(Exception):
    """Base class of every expected failure; the CLI prints it as one line."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


class GraphUnavailable(CoauthorError):
    """No Neo4j server answers at the configured URI."""

    exit_code = 3


class AuthenticationFailed(CoauthorError):
    """The server refused the configured username or password."""

    exit_code = 4


class DatabaseNotFound(CoauthorError):
    """The configured database does not exist on the server."""

    exit_code = 5


class InputError(CoauthorError):
    """An input file or record cannot be read; names the file, the line and the reason."""

    exit_code = 6

    def __init__(self, message: str, path: str | None = None, line: int | None = None, hint: str | None = None):
        where = ":".join(str(part) for part in (path, line) if part is not None)
        super().__init__(f"{where}: {message}" if where else message, hint)
        self.reason = message
        self.path = path
        self.line = line


class NotFound(CoauthorError):
    """A name or id matches nothing in the graph; carries the closest known names."""

    exit_code = 7

    def __init__(self, message: str, suggestions: list[str] | None = None):
        self.suggestions = suggestions or []
        hint = f"closest known: {', '.join(self.suggestions)}" if self.suggestions else None
        super().__init__(message, hint)


class AmbiguousName(CoauthorError):
    """A name matches several authors; carries the candidates."""

    exit_code = 8

    def __init__(self, message: str, candidates: list[str]):
        self.candidates = candidates
        super().__init__(message, f"candidates: {'; '.join(candidates)}")


class NoPath(CoauthorError):
    """Two authors are not connected by a collaboration chain (within the hops or years asked for)."""

    exit_code = 10


class InvalidRequest(CoauthorError):
    """A request that cannot be carried out as given (a number too large for Neo4j, an output folder that does not
    exist, a split of every paper): a usage error."""

    exit_code = 2


class SameAuthor(InvalidRequest):
    """Two author arguments that must name two people name one (``path X X``, ``authors merge X X``)."""


class ServerControlError(CoauthorError):
    """The local Neo4j server could not be resolved, started or stopped."""

    exit_code = 9


class TlsMismatch(GraphUnavailable):
    """The URI's encryption (``+s``/``+ssc`` or plain) does not match what the server speaks."""

    exit_code = 11


class ServerTimeout(GraphUnavailable):
    """The server accepted the connection or the query but did not answer in time."""

    exit_code = 12


class UntrustedCertificate(GraphUnavailable):
    """The server speaks TLS, but its certificate is not trusted here (self-signed, unknown CA, other host name)."""

    exit_code = 13


class LoadInterrupted(CoauthorError):
    """The user interrupted a write (Ctrl-C, SIGINT): the batches committed before it are kept."""

    exit_code = 130  # 128 + SIGINT, the shells' convention


def interrupted(err: BaseException) -> bool:
    """Whether ``err`` is a Ctrl-C (KeyboardInterrupt) or was raised while handling one: the driver, closing a
    connection an interrupt broke mid-message, may raise an error of its own."""
    seen: BaseException | None = err
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
