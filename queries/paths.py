"""Collaboration distance: the shortest chains of coauthors between two authors, with the papers of each hop.

As in MathSciNet's collaboration distance, a hop is a joint paper. The search runs inside Neo4j (Cypher's
``ALL SHORTEST`` path selector, a bidirectional breadth-first search that starts at the two authors' index seeks),
so it touches only the authors between them. Without ``as_of`` it walks COAUTHOR ties (ties known without papers
included); with ``as_of`` it walks papers of that year or earlier through AUTHORED links, not the COAUTHOR
summary, so ties formed later do not exist yet. Either way a hyperauthored paper is no hop, and no hop shows one
(:data:`queries.collaborators.TIE_PAPER`).

The search is not cut at ``max_hops``: Cypher takes no parameter as a path length bound, and formatting one into
the query text is what we never do. It finds the shortest chain whatever its length (or that there is none), and
a chain longer than ``max_hops`` is refused with its length, which says more than "none found".

Two names of one author (the same name twice, or a name and the author's id) are refused as a usage error
(:class:`~graph.errors.SameAuthor`): a chain from an author to themself has no hop and no paper to show, and asking
for one is almost always a slip, which an answer of "distance 0" would hide.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from graph.connection import Graph
from graph.errors import NoPath, SameAuthor
from queries.authors import AuthorMatch, author_names, find_author
from queries.collaborators import TIE_PAPER, JointPaper, joint_papers

__all__ = ["CollaborationPath", "Hop", "PathResult", "collaboration_paths", "shortest_paths"]

MAX_PAPERS_SHOWN = 5

SHORTEST = """
MATCH (a:Author {id: $source})
USING INDEX a:Author(id)
MATCH (b:Author {id: $target})
USING INDEX b:Author(id)
MATCH p = ALL SHORTEST (a)-[:COAUTHOR]-+(b)
RETURN [n IN nodes(p) | n.id] AS ids
LIMIT $limit
"""

SHORTEST_AS_OF = f"""
MATCH (a:Author {{id: $source}})
USING INDEX a:Author(id)
MATCH (b:Author {{id: $target}})
USING INDEX b:Author(id)
MATCH path = ALL SHORTEST (a)((:Author)-[:AUTHORED]->(p:Paper WHERE p.year <= $as_of AND {TIE_PAPER})
                              <-[:AUTHORED]-(:Author))+(b)
RETURN DISTINCT [n IN nodes(path) WHERE n:Author | n.id] AS ids
LIMIT $limit
"""


@dataclass(frozen=True)
class Hop:
    """One step of a chain: two coauthors and (up to five of) their joint papers, latest first."""

    source: str
    source_name: str
    target: str
    target_name: str
    papers: tuple[JointPaper, ...]
    paper_count: int


@dataclass(frozen=True)
class CollaborationPath:
    """A chain of coauthors from one author to another."""

    hops: tuple[Hop, ...]


@dataclass(frozen=True)
class PathResult:
    """The shortest chains between two authors, ``length`` hops each; ``more``: other chains of that length exist."""

    source: AuthorMatch
    target: AuthorMatch
    length: int
    paths: tuple[CollaborationPath, ...]
    more: bool
    as_of: int | None = None


def collaboration_paths(
    graph: Graph,
    source: str,
    target: str,
    *,
    all_paths: bool = False,
    as_of: int | None = None,
    max_hops: int = 10,
    limit: int = 50,
) -> PathResult:
    """The shortest collaboration chain (``all_paths``: up to ``limit`` of them) between two named authors.

    Raises SameAuthor when both names are one author's, NoPath when the authors are not connected (by papers up
    to ``as_of``), or when the shortest chain is longer than ``max_hops``.
    """
    a, b = find_author(graph, source), find_author(graph, target)
    if a.id == b.id:
        raise SameAuthor(f"{source!r} and {target!r} are the same author ({a.id}): a path needs two authors")
    shown = limit if all_paths else 1
    found = shortest_paths(graph, a.id, b.id, as_of=as_of, limit=shown + 1)
    when = f" by papers up to {as_of}" if as_of is not None else ""
    if not found:
        raise NoPath(f"{a.name} and {b.name} are not connected{when}: no chain of coauthors links them")
    if len(found[0]) - 1 > max_hops:
        raise NoPath(
            f"the shortest collaboration chain between {a.name} and {b.name}{when} has {len(found[0]) - 1} hops, "
            f"more than {max_hops}",
            hint="raise --max-hops to see it",
        )
    chains = found[:shown]
    steps = {step for chain in chains for step in pairwise(chain)}
    papers = joint_papers(graph, steps, until=as_of)
    names = author_names(graph, {author for chain in chains for author in chain})

    def hop(x: str, y: str) -> Hop:
        joint = papers.get((x, y), ())
        return Hop(x, names[x], y, names[y], joint[:MAX_PAPERS_SHOWN], len(joint))

    paths = tuple(CollaborationPath(tuple(hop(x, y) for x, y in pairwise(chain))) for chain in chains)
    return PathResult(a, b, len(chains[0]) - 1, paths, len(found) > shown, as_of)


def shortest_paths(
    graph: Graph, source: str, target: str, *, as_of: int | None = None, limit: int = 1
) -> list[list[str]]:
    """Up to ``limit`` shortest chains between two author ids (lists of ids, in a stable order); [] when the two
    are not connected (by papers up to ``as_of``)."""
    if source == target:
        return [[source]]
    query = SHORTEST if as_of is None else SHORTEST_AS_OF
    rows = graph.read(query, source=source, target=target, as_of=as_of, limit=limit)
    return sorted(row["ids"] for row in rows)
