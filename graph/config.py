"""Connection settings, read the way Neo4j's own tools read them: NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD,
NEO4J_DATABASE."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

__all__ = ["DEFAULT_PASSWORD", "Settings"]

#: The documented password of a local development server (docker compose and `coauthor db start`).
DEFAULT_PASSWORD = "coauthor-graph"


@dataclass(frozen=True)
class Settings:
    """Where the graph lives. ``neo4j://``, ``neo4j+s://``, ``bolt://`` and ``bolt+s://`` URIs all work."""

    uri: str = "neo4j://127.0.0.1:7687"
    username: str = "neo4j"
    password: str = DEFAULT_PASSWORD
    database: str = "neo4j"
    #: Seconds to wait for a connection (TCP, TLS and Bolt handshakes) before giving up with ServerTimeout.
    timeout: float = 15.0

    @classmethod
    def from_env(cls, **overrides: str | float | None) -> Settings:
        """Settings from the environment; non-None ``overrides`` (e.g. CLI options) win."""
        env = {
            "uri": os.environ.get("NEO4J_URI"),
            "username": os.environ.get("NEO4J_USERNAME"),
            "password": os.environ.get("NEO4J_PASSWORD"),
            "database": os.environ.get("NEO4J_DATABASE"),
            "timeout": float(os.environ["COAUTHOR_TIMEOUT"]) if os.environ.get("COAUTHOR_TIMEOUT") else None,
        }
        given = {key: value for key, value in env.items() if value}
        given.update({key: value for key, value in overrides.items() if value})
        return replace(cls(), **given)

    def __repr__(self) -> str:  # never print the password
        return (
            f"Settings(uri={self.uri!r}, username={self.username!r}, database={self.database!r}, "
            f"timeout={self.timeout!r})"
        )
