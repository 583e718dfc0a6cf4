"""Constraints and indexes of the graph, applied idempotently (every statement is IF NOT EXISTS)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.connection import Graph

__all__ = ["SCHEMA", "apply_schema"]

SCHEMA = (
    "CREATE CONSTRAINT author_id IF NOT EXISTS FOR (a:Author) REQUIRE a.id IS UNIQUE",
    "CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (p:Paper) REQUIRE p.id IS UNIQUE",
    "CREATE CONSTRAINT topic_id IF NOT EXISTS FOR (t:Topic) REQUIRE t.id IS UNIQUE",
    "CREATE CONSTRAINT venue_id IF NOT EXISTS FOR (v:Venue) REQUIRE v.id IS UNIQUE",
    "CREATE CONSTRAINT institution_id IF NOT EXISTS FOR (i:Institution) REQUIRE i.id IS UNIQUE",
    "CREATE INDEX author_name_key IF NOT EXISTS FOR (a:Author) ON (a.name_key)",
    "CREATE CONSTRAINT author_strong_id IF NOT EXISTS FOR (k:AuthorId) REQUIRE k.id IS UNIQUE",
    "CREATE INDEX author_block_key IF NOT EXISTS FOR (a:Author) ON (a.block_key)",
    "CREATE INDEX paper_doi IF NOT EXISTS FOR (p:Paper) ON (p.doi)",
    "CREATE INDEX paper_arxiv_id IF NOT EXISTS FOR (p:Paper) ON (p.arxiv_id)",
    "CREATE INDEX paper_match_key IF NOT EXISTS FOR (p:Paper) ON (p.match_key)",
    "CREATE INDEX paper_year IF NOT EXISTS FOR (p:Paper) ON (p.year)",
    "CREATE INDEX topic_name IF NOT EXISTS FOR (t:Topic) ON (t.name)",
    "CREATE FULLTEXT INDEX paper_text IF NOT EXISTS FOR (p:Paper) ON EACH [p.title, p.abstract_text]",
    "CREATE FULLTEXT INDEX author_names IF NOT EXISTS FOR (a:Author) ON EACH [a.name]",
    "CREATE CONSTRAINT community_run_name IF NOT EXISTS FOR (r:CommunityRun) REQUIRE r.name IS UNIQUE",
    "CREATE CONSTRAINT community_id IF NOT EXISTS FOR (c:Community) REQUIRE c.id IS UNIQUE",
    "CREATE CONSTRAINT write_turn_id IF NOT EXISTS FOR (t:WriteTurn) REQUIRE t.id IS UNIQUE",
)


def apply_schema(graph: Graph) -> None:
    """Create every constraint and index that is missing; safe to repeat on each connect."""
    existing = {row["name"] for row in graph.read("SHOW CONSTRAINTS YIELD name RETURN name")}
    existing |= {row["name"] for row in graph.read("SHOW INDEXES YIELD name RETURN name")}
    for statement in SCHEMA:
        if _name(statement) not in existing:
            graph.write(statement)


def _name(statement: str) -> str:
    return re.search(r"(?:CONSTRAINT|INDEX) (\w+) IF NOT EXISTS", statement).group(1)
