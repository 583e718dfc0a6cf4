"""The schema: constraints that keep ids unique, applied idempotently."""

from __future__ import annotations

import pytest
from neo4j.exceptions import ConstraintError

from graph.connection import Graph
from graph.schema import SCHEMA, apply_schema


def test_schema_is_complete_and_repeatable(graph: Graph):
    apply_schema(graph)
    apply_schema(graph)
    names = {row["name"] for row in graph.read("SHOW INDEXES YIELD name RETURN name")}
    assert {"author_id", "paper_id", "topic_id", "author_name_key", "paper_text", "author_names"} <= names
    assert len([statement for statement in SCHEMA if "IF NOT EXISTS" in statement]) == len(SCHEMA)


def test_duplicate_author_id_is_refused(graph: Graph):
    graph.write("CREATE (:Author {id: 'x'})")
    with pytest.raises(ConstraintError):
        graph.driver.execute_query("CREATE (:Author {id: 'x'})", database_=graph.settings.database)
