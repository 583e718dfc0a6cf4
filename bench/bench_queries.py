"""Latency of coauthors, recommend and path, on the largest real graphs and on a generated graph of 1M authors.

    python bench/bench_queries.py                          # real graphs, then 1,000,000 generated authors
    python bench/bench_queries.py --authors 200000 --samples 300 --real dblp

Each query is the library call the CLI makes (name resolution included), timed over a seeded sample of authors
(pairs for path) after a warm-up, and printed as p50/p95 in milliseconds beside a baseline run in the same
session: the textbook single Cypher statement for the same question (the coauthor list; Adamic-Adar top 10 in one
query; Cypher's ``shortestPath``), and the floor of one round trip (``RETURN 1``). Targets from the issue: coauthors
p50 < 5 ms, recommend p50 < 50 ms, path p50 < 50 ms.

The generated graph is written as CSV and bulk-loaded with ``neo4j-admin database import`` (the same
Author/Paper/Topic model, COAUTHOR weights and years computed from the papers): authors in groups of 40 who write
mostly together (2-5 authors a paper, 8 % of seats filled from anywhere, which makes a small world), each group
active for 12 years between 1990 and 2027 and writing on one of 200 topics under 20 fields.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from discovery_harness import latencies, load, open_graph, private_server, read_real, say

from graph.connection import Graph
from graph.errors import NoPath
from graph.server import LocalServer, find_java, resolve_jars
from queries.collaborators import find_coauthors
from queries.paths import collaboration_paths
from queries.planner import refresh_statistics
from queries.recommend import recommend

REAL = {"dblp": "dblp/dblp_soc_papers.xml.gz", "snap": "snap/ca-AstroPh.undirected-shuffled.txt.gz"}
GROUP, SPREAD, FIELDS, TOPICS_PER_FIELD = 40, 0.08, 20, 10
TEAM_SIZES, TEAM_WEIGHTS = (2, 3, 4, 5), (35, 35, 20, 10)

BASELINES = {
    "coauthors": "MATCH (:Author {id: $a})-[c:COAUTHOR]-(b:Author) RETURN b.id, c.weight ORDER BY c.weight DESC",
    "recommend": """
        MATCH (u:Author {id: $a})-[:COAUTHOR]-(w:Author)-[:COAUTHOR]-(v:Author)
        WHERE v <> u AND NOT EXISTS { (u)-[:COAUTHOR]-(v) }
        WITH v, w, COUNT { (w)-[:COAUTHOR]-() } AS degree
        RETURN v.id AS id, sum(1 / log(degree)) AS aa ORDER BY aa DESC LIMIT 10""",
    "path": """
        MATCH (a:Author {id: $a}), (b:Author {id: $b})
        MATCH p = shortestPath((a)-[:COAUTHOR*..10]-(b))
        RETURN [n IN nodes(p) | n.id] AS ids""",
}


def measure(graph: Graph, label: str, samples: int, seed: int, warmup: float) -> None:
    """Print p50/p95 of each query and its baseline over a seeded sample of authors and author pairs."""
    rng = random.Random(seed)
    count = graph.read("MATCH (a:Author) RETURN count(a) AS n")[0]["n"]
    ids = [
        row["id"] for row in graph.read("MATCH (a:Author) WHERE rand() < $p RETURN a.id AS id", p=4 * samples / count)
    ]
    authors = rng.sample(sorted(ids), min(samples, len(ids)))
    pairs = list(zip(authors, authors[1:] + authors[:1], strict=True))

    def path(pair: tuple[str, str]) -> None:
        with suppress(NoPath):  # a pair in two components is answered too, by the exhausted search
            collaboration_paths(graph, *pair)

    runs: dict[str, tuple[Callable, list]] = {
        "coauthors": (lambda a: find_coauthors(graph, a), authors),
        "recommend": (lambda a: recommend(graph, a, limit=10), authors),
        "path": (path, pairs),
    }
    baselines = {name: lambda x, q=query: graph.read(q, a=_first(x), b=_second(x)) for name, query in BASELINES.items()}
    deadline = time.monotonic() + warmup
    while time.monotonic() < deadline:  # a fresh JVM answers 3x slower until its JIT has seen a few thousand queries
        for name, (run, inputs) in runs.items():
            for item in inputs[:10]:
                run(item)
                baselines[name](item)
    say(f"\n{label}: {count:,} authors; {len(authors)} sampled authors and pairs, after {warmup:.0f} s of warm-up")
    say(f"  {'query':<10}{'p50 ms':>9}{'p95 ms':>9}   {'baseline p50':>12}{'p95':>9}{'ours/baseline p50':>20}")
    floor = latencies(lambda _x: graph.read("RETURN 1 AS one"), authors)
    for name, (run, inputs) in runs.items():
        ours = latencies(run, inputs)
        base = latencies(baselines[name], inputs)
        say(f"  {name:<10}{ours[0]:>9.1f}{ours[1]:>9.1f}   {base[0]:>12.1f}{base[1]:>9.1f}{ours[0] / base[0]:>19.1f}x")
    say(f"  {'RETURN 1':<10}{floor[0]:>9.1f}{floor[1]:>9.1f}   (one round trip: the floor of any query)")


def _first(item: str | tuple[str, str]) -> str:
    return item[0] if isinstance(item, tuple) else item


def _second(item: str | tuple[str, str]) -> str | None:
    return item[1] if isinstance(item, tuple) else None


def generate(folder: Path, authors: int, seed: int) -> dict[str, int]:
    """Write the generated graph as neo4j-admin import CSVs into ``folder``; returns what was written."""
    rng = random.Random(seed)
    groups = max(1, authors // GROUP)
    topics = [f"gen:t{field}.{i}" for field in range(FIELDS) for i in range(TOPICS_PER_FIELD)]
    start = [rng.randrange(1990, 2016) for _ in range(groups)]
    focus = [rng.choice(topics) for _ in range(groups)]
    ties: dict[int, list[int]] = {}
    with (
        _writer(folder, "papers", ["id:ID(Paper)", "title", "year:int", "author_count:int"]) as papers,
        _writer(folder, "authored", [":START_ID(Author)", ":END_ID(Paper)", "position:int"]) as authored,
        _writer(folder, "has_topic", [":START_ID(Paper)", ":END_ID(Topic)"]) as has_topic,
    ):
        for number in range(authors):
            group = rng.randrange(groups)
            size = rng.choices(TEAM_SIZES, TEAM_WEIGHTS)[0]
            team = list(dict.fromkeys(_seat(rng, group, authors) for _ in range(size)))
            year = start[group] + rng.randrange(12)
            papers.writerow([f"gen:p{number}", f"Generated paper {number}", year, len(team)])
            authored.writerows([f"gen:a{a}", f"gen:p{number}", position] for position, a in enumerate(team, 1))
            has_topic.writerow([f"gen:p{number}", focus[group] if rng.random() < 0.8 else rng.choice(topics)])
            for i, a in enumerate(team):
                for b in team[i + 1 :]:
                    _tie(ties, min(a, b) * authors + max(a, b), year)
    _write_rest(folder, authors, topics, ties)
    return {"authors": authors, "papers": authors, "coauthor ties": len(ties)}


def _seat(rng: random.Random, group: int, authors: int) -> int:
    return rng.randrange(authors) if rng.random() < SPREAD else min(authors - 1, group * GROUP + rng.randrange(GROUP))


def _tie(ties: dict[int, list[int]], key: int, year: int) -> None:
    tie = ties.setdefault(key, [0, year, year])
    tie[0] += 1
    tie[1], tie[2] = min(tie[1], year), max(tie[2], year)


def _write_rest(folder: Path, authors: int, topics: list[str], ties: dict[int, list[int]]) -> None:
    with _writer(folder, "authors", ["id:ID(Author)", "name", "name_key"]) as rows:
        rows.writerows([f"gen:a{a}", f"Author {a}", f"author {a}"] for a in range(authors))
    with _writer(folder, "topics", ["id:ID(Topic)", "name", "kind"]) as rows:
        rows.writerows([f"gen:t{f}", f"Field {f}", "generated_field"] for f in range(FIELDS))
        rows.writerows([t, f"Topic {t[5:]}", "generated_topic"] for t in topics)
    with _writer(folder, "subtopic_of", [":START_ID(Topic)", ":END_ID(Topic)"]) as rows:
        rows.writerows([t, t.split(".")[0]] for t in topics)
    header = [":START_ID(Author)", ":END_ID(Author)", "weight:int", "first_year:int", "last_year:int"]
    with _writer(folder, "coauthor", header) as rows:
        rows.writerows([f"gen:a{key // authors}", f"gen:a{key % authors}", *tie] for key, tie in ties.items())


@contextmanager
def _writer(folder: Path, name: str, header: list[str]) -> Iterator[Any]:
    """A csv writer on ``folder/name.csv`` that has written the header."""
    with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as file:
        rows = csv.writer(file)
        rows.writerow(header)
        yield rows


def bulk_import(server: LocalServer, folder: Path) -> None:
    """Replace the server's database with the CSVs in ``folder`` (neo4j-admin, server stopped meanwhile)."""
    server.stop()
    env = {**os.environ, "NEO4J_HOME": str(server.home), "NEO4J_CONF": str(server.home / "conf")}
    nodes = {"Author": "authors", "Paper": "papers", "Topic": "topics"}
    rels = {"AUTHORED": "authored", "COAUTHOR": "coauthor", "HAS_TOPIC": "has_topic", "SUBTOPIC_OF": "subtopic_of"}
    command = [
        find_java(),
        "-Xmx2g",
        "-cp",
        f"{resolve_jars()}/*",
        "org.neo4j.cli.AdminTool",
        "database",
        "import",
        "full",
        "neo4j",
        "--overwrite-destination=true",
        f"--report-file={folder / 'import.report'}",
        *(f"--nodes={label}={folder / f'{name}.csv'}" for label, name in nodes.items()),
        *(f"--relationships={kind}={folder / f'{name}.csv'}" for kind, name in rels.items()),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"neo4j-admin import failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    server.start(timeout=600)


def bench_generated(server: LocalServer, authors: int, samples: int, seed: int, warmup: float) -> None:
    with tempfile.TemporaryDirectory(prefix="coauthor-gen-") as folder:
        started = time.monotonic()
        written = generate(Path(folder), authors, seed)
        generated = time.monotonic() - started
        bulk_import(server, Path(folder))
    imported = time.monotonic() - started - generated
    with open_graph(server) as graph:  # applies the schema: constraints and indexes are built here
        graph.read("CALL db.awaitIndexes(3600)")
        refresh_statistics(graph)
        indexed = time.monotonic() - started - generated - imported
        sizes = ", ".join(f"{n:,} {what}" for what, n in written.items())
        total = generated + imported + indexed
        say(
            f"\ngenerated: {sizes}; CSV written in {generated:.0f} s, imported in {imported:.0f} s, "
            f"indexed in {indexed:.0f} s (load total {total:.0f} s)"
        )
        measure(graph, f"generated ({authors:,} authors)", samples, seed, warmup)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authors", type=int, default=1_000_000, help="Generated authors (0: skip).")
    parser.add_argument("--real", default=",".join(REAL), help=f"Real graphs among {', '.join(REAL)} ('' for none).")
    parser.add_argument("--samples", type=int, default=200, help="Authors (and pairs) timed per query.")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--warmup", type=float, default=60, help="Seconds of untimed queries before timing.")
    args = parser.parse_args()
    with private_server(heap="3g", pagecache="2g") as server:
        for name in filter(None, args.real.split(",")):
            result = read_real(REAL[name])
            if result is None:
                continue
            with open_graph(server) as graph:
                seconds = load(graph, result)
                size = f"{len(result.papers):,} papers, {len(result.ties):,} ties"
                say(f"\nloaded {REAL[name]}: {size} in {seconds:.0f} s")
                measure(graph, f"real: {REAL[name]}", args.samples, args.seed, args.warmup)
        if args.authors:
            bench_generated(server, args.authors, args.samples, args.seed, args.warmup)


if __name__ == "__main__":
    main()
