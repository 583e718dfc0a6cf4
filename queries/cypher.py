"""Run a user's own Cypher: read-only unless writing is asked for, values made plain for tables and JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import neo4j
from neo4j.graph import Node, Path, Relationship

from graph.connection import Graph

__all__ = ["CypherResult", "run_cypher"]


@dataclass(frozen=True)
class CypherResult:
    """A query's column names and rows of plain values (nodes and relationships become dicts)."""

    columns: list[str]
    rows: list[list[Any]]


def run_cypher(graph: Graph, query: str, params: dict[str, Any] | None = None, *, write: bool = False) -> CypherResult:
    """Run ``query`` with ``params``; in a read transaction (the server refuses writes) unless ``write``."""

    def work(tx: neo4j.ManagedTransaction) -> CypherResult:
        result = tx.run(query, params or {})
        columns = list(result.keys())
        return CypherResult(columns, [[plain(value) for value in record.values()] for record in result])

    return graph.execute_write(work) if write else graph.execute_read(work)


def plain(value: Any) -> Any:
    """A JSON-friendly copy of a driver value: nodes, relationships and paths become dicts and lists."""
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"type": value.type, **{k: plain(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return [plain(node) for node in value.nodes]
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value
