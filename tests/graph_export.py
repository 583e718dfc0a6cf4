"""A full, canonical export of a graph: every node and relationship with every property (tests compare these)."""

from __future__ import annotations

import json

from graph.connection import Graph

#: Properties that record when something happened rather than what the data says.
CLOCK_PROPERTIES = {"created"}


def full_export(graph: Graph) -> list[str]:
    """One JSON line per node and per relationship, sorted; relationships name their ends by id."""
    nodes = graph.read("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
    rels = graph.read(
        "MATCH (a)-[r]->(b) RETURN labels(a)[0] + ':' + a.id AS a, type(r) AS type, "
        "labels(b)[0] + ':' + b.id AS b, properties(r) AS props"
    )
    lines = [_line({**row, "labels": sorted(row["labels"])}) for row in nodes]
    lines += [_line(row) for row in rels]
    return sorted(lines)


def _line(row: dict) -> str:
    row = {**row, "props": {k: v for k, v in row["props"].items() if k not in CLOCK_PROPERTIES}}
    return json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)
