"""Load throughput of the batched writer into a real Neo4j, side by side with a one-paper-per-transaction baseline.

Generates a synthetic corpus (papers with 1-8 authors drawn from a pool with a heavy tail, a topic each), writes
it into a private Neo4j (a LocalServer on free loopback ports in a temporary home, or NEO4J_URI if set), and
prints authorships/s for several batch sizes and for the baseline, with ratios. A ceiling is printed beside them: the
same papers written by four bare statements per batch (MERGE papers, authors by name, AUTHORED, COAUTHOR with summed
weights; no identity resolution, no paper matching, no field rules), the least any writer of this graph does, so the
machine's own limit shows next to ours; and two that do even less: papers and AUTHORED created rather than merged
(as if every paper were known to be new), with and then without the COAUTHOR ties. Each load also prints its rate over
the last fifth of the corpus (a graph grown large), and the default batch size runs once more reading every candidate
again in every batch (graph.candidates keeping nothing), the writer before its cache, and once with every author
carrying ids (an OpenAlex id, some an ORCID), as OpenAlex and Semantic Scholar records do. Usage:

    python bench/bench_load.py [--papers 20000] [--baseline-papers 1000] [--batch-sizes 500,2000,5000]
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import combinations
from typing import TYPE_CHECKING
from unittest.mock import patch

from discovery_harness import open_graph, private_server

from graph import candidates
from graph.connection import Graph, connect
from graph.model import AuthorRef, Paper, TopicRef
from graph.writer import BATCH_SIZE, delete_everything, write_records

if TYPE_CHECKING:
    import neo4j

TOPICS = [TopicRef(f"bench:{i}", f"Topic {i}", "bench") for i in range(50)]
GIVEN = [
    "Ana",
    "Andrei",
    "Bo",
    "Bruno",
    "Chen",
    "Chao",
    "Dara",
    "Dev",
    "Eli",
    "Emma",
    "Femi",
    "Fang",
    "Gita",
    "Gil",
    "Hana",
    "Hui",
    "Ivan",
    "Ines",
    "Jun",
    "Jana",
    "Kai",
    "Kofi",
]
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "su",
    "te",
    "vo",
    "ne",
    "shi",
    "an",
    "el",
    "or",
    "ta",
    "ri",
    "po",
    "zu",
    "ba",
    "de",
    "gu",
    "ho",
]
SURNAMES = [f"{a.title()}{b}" for a in SYLLABLES for b in SYLLABLES] + ["Li"]


def person(number: int) -> str:
    """A name for pool member ``number``: 22 given names (two per initial) by 401 surnames, so blocks (surname and
    initial) hold several people and beyond 8,822 members names repeat, as homonyms do."""
    return f"{GIVEN[number % len(GIVEN)]} {SURNAMES[number % len(SURNAMES)]}"


def corpus(papers: int, seed: int = 7, *, with_ids: bool = False) -> list[Paper]:
    """Papers whose authors come from a pool about a third the corpus size, popular authors more often.

    Names only by default, the hardest case for identity (evidence decides every join). ``with_ids`` gives each
    author the pool member's OpenAlex id, and two members in five an ORCID, as OpenAlex records carry them.
    """
    rng = random.Random(seed)
    pool = max(papers // 3, 10)
    out = []
    for index in range(papers):
        count = rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6, 8))
        members = {int(pool * rng.random() ** 2) for _ in range(count)}
        if with_ids:
            listed = [(person(m), member_ids(m)) for m in sorted(members, key=lambda m: (person(m), m))]
        else:
            listed = [(name, {}) for name in sorted({person(m) for m in members})]
        authors = tuple(AuthorRef(name, position, ids) for position, (name, ids) in enumerate(listed, start=1))
        out.append(
            Paper(
                title=f"Synthetic paper {index}",
                authors=authors,
                source="bench",
                source_ref=f"bench:{index}",
                year=1990 + index % 35,
                topics=(rng.choice(TOPICS),),
            )
        )
    return out


def member_ids(number: int) -> dict[str, str]:
    """Pool member ``number``'s author ids: an OpenAlex id, and an ORCID for two in five."""
    ids = {"openalex": f"A{5_000_000_000 + number}"}
    if number % 5 < 2:
        ids["orcid"] = f"0000-0002-{number // 10_000:04d}-{number % 10_000:04d}"
    return ids


@contextmanager
def neo4j_graph() -> Iterator[Graph]:
    """NEO4J_URI if set, else a private server of the bench harness."""
    if os.environ.get("NEO4J_URI"):
        with connect() as graph:
            yield graph
        return
    with private_server() as server, open_graph(server) as graph:
        yield graph


def timed_load(graph: Graph, papers: list[Paper], batch_size: int) -> tuple[float, float]:
    """Seconds to load ``papers`` into an empty graph, and authorships/s over the batches of its last fifth."""
    delete_everything(graph)
    marks = [(0, time.perf_counter())]  # (papers written, when)
    write_records(
        graph, papers, batch_size=batch_size, on_batch=lambda n: marks.append((marks[-1][0] + n, time.perf_counter()))
    )
    done, since = next(mark for mark in reversed(marks) if mark[0] <= len(papers) * 4 // 5)
    return marks[-1][1] - marks[0][1], sum(len(p.authors) for p in papers[done:]) / (marks[-1][1] - since)


BARE_PAPERS = "UNWIND $rows AS r MERGE (p:Paper {id: r.id}) SET p.title = r.title, p.year = r.year"
BARE_AUTHORS = "UNWIND $names AS name MERGE (:Author {id: name})"
BARE_AUTHORED = """
UNWIND $rows AS r MATCH (p:Paper {id: r.id})
UNWIND r.authors AS name MATCH (a:Author {id: name}) MERGE (a)-[:AUTHORED]->(p)
"""
BARE_TIES = """
UNWIND $ties AS tie MATCH (a:Author {id: tie[0]}), (b:Author {id: tie[1]})
MERGE (a)-[c:COAUTHOR]->(b) ON CREATE SET c.weight = tie[2] ON MATCH SET c.weight = c.weight + tie[2]
"""
CREATED_PAPERS = "UNWIND $rows AS r CREATE (p:Paper {id: r.id}) SET p.title = r.title, p.year = r.year"
CREATED_AUTHORED = BARE_AUTHORED.replace("MERGE (a)", "CREATE (a)")

CEILINGS = {
    "bare": (BARE_PAPERS, BARE_AUTHORS, BARE_AUTHORED, BARE_TIES),
    "CREATE": (CREATED_PAPERS, BARE_AUTHORS, CREATED_AUTHORED, BARE_TIES),
    "CREATE, no ties": (CREATED_PAPERS, BARE_AUTHORS, CREATED_AUTHORED),
}
"""Statements per batch of each ceiling: all of them read ``$rows``, ``$names`` or ``$ties``."""


def bare_load(graph: Graph, papers: list[Paper], batch_size: int, statements: tuple[str, ...]) -> float:
    """Seconds to write ``papers`` with bare ``statements``, one transaction per batch (into an empty graph)."""
    delete_everything(graph)
    rows = [
        {"id": p.source_ref, "title": p.title, "year": p.year, "authors": [a.name for a in p.authors]} for p in papers
    ]
    started = time.perf_counter()
    for start in range(0, len(rows), batch_size):
        batch = rows[start : start + batch_size]
        ties = Counter(pair for row in batch for pair in combinations(sorted(row["authors"]), 2))
        params = {
            "rows": batch,
            "names": sorted({name for row in batch for name in row["authors"]}),
            "ties": [[a, b, weight] for (a, b), weight in ties.items()],
        }
        graph.execute_write(_bare_batch, statements, params)
    return time.perf_counter() - started


def _bare_batch(tx: neo4j.ManagedTransaction, statements: tuple[str, ...], params: dict[str, list]) -> None:
    for statement in statements:
        tx.run(statement, {name: value for name, value in params.items() if f"${name}" in statement}).consume()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=20_000)
    parser.add_argument("--baseline-papers", type=int, default=1_000)
    parser.add_argument("--batch-sizes", default="500,2000,5000", help="comma-separated papers per transaction")
    args = parser.parse_args()
    papers = corpus(args.papers)
    authorships = sum(len(paper.authors) for paper in papers)
    print(f"corpus: {len(papers)} papers, {authorships} authorships")
    with neo4j_graph() as graph:
        print(f"server: {graph.server_version()} at {graph.settings.uri}")
        timed_load(graph, papers[:500], 500)  # warm up the server's caches and query plans
        base = papers[: args.baseline_papers]
        base_rate = sum(len(p.authors) for p in base) / timed_load(graph, base, 1)[0]
        print(f"{'writer':<40}{'authorships/s':>15}{'ratio':>8}{'last fifth/s':>14}")
        print(f"{'one paper per transaction':<40}{base_rate:>15,.0f}{1.0:>8.1f}")
        for batch_size in (int(size) for size in args.batch_sizes.split(",")):
            seconds, tail_rate = timed_load(graph, papers, batch_size)
            rate = authorships / seconds
            label = f"batched, {batch_size} per tx"
            print(f"{label:<40}{rate:>15,.0f}{rate / base_rate:>8.1f}{tail_rate:>14,.0f}   ({seconds:.1f} s)")
            again = time.perf_counter()
            write_records(graph, papers, batch_size=batch_size)
            print(f"{'  reload (no changes)':<40}{authorships / (time.perf_counter() - again):>15,.0f}")
        with patch.object(candidates, "KEPT_ROWS", 0):
            seconds, tail_rate = timed_load(graph, papers, BATCH_SIZE)
        rate = authorships / seconds
        label = f"{BATCH_SIZE} per tx, nothing kept"
        print(f"{label:<40}{rate:>15,.0f}{rate / base_rate:>8.1f}{tail_rate:>14,.0f}   ({seconds:.1f} s)")
        seconds, tail_rate = timed_load(graph, corpus(args.papers, with_ids=True), BATCH_SIZE)
        rate = authorships / seconds
        label = f"{BATCH_SIZE} per tx, authors with ids"
        print(f"{label:<40}{rate:>15,.0f}{rate / base_rate:>8.1f}{tail_rate:>14,.0f}   ({seconds:.1f} s)")
        for name, statements in CEILINGS.items():
            for batch_size in (2000, 10_000):
                rate = authorships / bare_load(graph, papers, batch_size, statements)
                print(f"{f'ceiling: {name}, {batch_size} per tx':<40}{rate:>15,.0f}{rate / base_rate:>8.1f}")


if __name__ == "__main__":
    main()
