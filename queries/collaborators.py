"""Who an author works with: coauthor lists and the ego network around an author."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EgoEdge", "EgoNetwork", "EgoNode"]


@dataclass(frozen=True)
class EgoNode:
    """An author in an ego network, with what a tooltip shows about them."""

    id: str
    name: str
    papers: int
    top_topics: tuple[str, ...]
    first_year: int | None
    last_year: int | None
    hops: int


@dataclass(frozen=True)
class EgoEdge:
    """A COAUTHOR tie: ``weight`` distinct joint papers."""

    source: str
    target: str
    weight: int


@dataclass(frozen=True)
class EgoNetwork:
    """The authors within ``depth`` hops of ``center`` and the ties among them."""

    center: str
    depth: int
    nodes: tuple[EgoNode, ...]
    edges: tuple[EgoEdge, ...]
