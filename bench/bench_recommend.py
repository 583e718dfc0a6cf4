"""How good are the recommendations? A back-test on real networks split by time.

    python bench/bench_recommend.py                        # DBLP, OpenAlex, Crossref, S2 (whatever is registered)
    python bench/bench_recommend.py --datasets dblp --authors 500 --train-share 0.8

For each real file with years: papers up to year T (the year by which ``--train-share`` of the papers appeared)
are loaded into a private Neo4j; papers after T are the test. The truth for an author *u* of the train graph is
the set of train authors *u* first wrote with after T. For a seeded sample of such authors (with at least one
train coauthor), every method ranks *u*'s candidates (``score_candidates`` with reference year T), and the bench
prints precision@k, recall@k and MRR (reciprocal rank of the first true new coauthor in the whole ranking, 0 when
none is there), next to two random baselines in the same run: the same two-hop candidates in random order, and
random authors of the whole train graph; and ``combined, 3 hops`` (``depth=3``). ``reach`` is the share of true
new ties that are two hops away in the train graph: the recall no two-hop method can exceed.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

from discovery_harness import REAL_WITH_YEARS, load, open_graph, private_server, read_real, say

from graph.connection import Graph
from graph.model import Paper
from graph.server import LocalServer
from queries.recommend import METHODS, rank_candidates, score_candidates

KS = (5, 10)
MIN_EVALUATED = 20
TRAIN_TIES = "UNWIND $ids AS id MATCH (a:Author {id: id})-[:COAUTHOR]-(b:Author) RETURN id, collect(b.id) AS ties"


def split_year(papers: list[Paper], share: float) -> int:
    """The year T by which ``share`` of the papers with a year had appeared."""
    years = sorted(paper.year for paper in papers if paper.year is not None)
    return years[min(len(years) - 1, int(share * len(years)))]


def new_ties(train: list[Paper], test: list[Paper]) -> dict[str, set[str]]:
    """Train author -> train authors they first wrote with in the test papers."""
    authors = {author.key for paper in train for author in paper.authors}
    known = {pair for paper in train for pair in combinations(sorted({a.key for a in paper.authors}), 2)}
    truth: dict[str, set[str]] = defaultdict(set)
    for paper in test:
        for u, v in combinations(sorted({a.key for a in paper.authors} & authors), 2):
            if (u, v) not in known:
                truth[u].add(v)
                truth[v].add(u)
    return truth


def scores(ranking: list[str], truth: set[str]) -> dict[str, float]:
    """precision@k and recall@k for each k in KS, and the reciprocal rank of the first hit."""
    found = {f"P@{k}": len(truth & set(ranking[:k])) / k for k in KS}
    found |= {f"R@{k}": len(truth & set(ranking[:k])) / len(truth) for k in KS}
    first = next((rank for rank, id_ in enumerate(ranking, start=1) if id_ in truth), None)
    return found | {"MRR": 1 / first if first else 0.0}


def evaluate(
    graph: Graph, truth: dict[str, set[str]], year: int, authors: int, seed: int
) -> tuple[dict[str, list[dict]], list[float]]:
    """Method -> the scores of each evaluated author; and each author's 2-hop reach."""
    rng = random.Random(seed)
    ties = {row["id"]: set(row["ties"]) for row in graph.read(TRAIN_TIES, ids=sorted(truth))}
    sample = rng.sample(sorted(u for u in truth if ties.get(u)), min(authors, sum(1 for u in truth if ties.get(u))))
    everyone = sorted(row["id"] for row in graph.read("MATCH (a:Author) RETURN a.id AS id"))
    results: dict[str, list[dict]] = defaultdict(list)
    reach = []
    for u in sample:
        candidates = score_candidates(graph, u, reference_year=year)
        reach.append(len(truth[u] & {c.id for c in candidates}) / len(truth[u]))
        for method in METHODS:
            results[method].append(scores([c.id for c in rank_candidates(candidates, method)], truth[u]))
        farther = score_candidates(graph, u, depth=3, reference_year=year)
        results["combined, 3 hops"].append(scores([c.id for c in rank_candidates(farther)], truth[u]))
        shuffled = sorted(c.id for c in candidates)
        rng.shuffle(shuffled)
        results["random (2 hops)"].append(scores(shuffled, truth[u]))
        strangers = [v for v in rng.sample(everyone, len(everyone)) if v != u and v not in ties[u]]
        results["random (anyone)"].append(scores(strangers, truth[u]))
    return results, reach


def table(results: dict[str, list[dict]]) -> Iterable[str]:
    columns = [*(f"P@{k}" for k in KS), *(f"R@{k}" for k in KS), "MRR"]
    mean = {m: {c: statistics.fmean(r[c] for r in rows) for c in columns} for m, rows in results.items()}
    base = mean["random (2 hops)"]
    yield f"  {'method':<16}" + "".join(f"{c:>8}" for c in columns) + f"{'MRR / random 2-hop':>21}"
    for method, values in mean.items():
        ratio = f"{values['MRR'] / base['MRR']:.2f}x" if base["MRR"] else "n/a"
        yield f"  {method:<16}" + "".join(f"{values[c]:>8.3f}" for c in columns) + f"{ratio:>21}"


def bench(name: str, share: float, authors: int, seed: int, server: LocalServer) -> None:
    """Split one real file by time, load the train part, evaluate, print the table."""
    result = read_real(name)
    if result is None:
        return
    year = split_year(result.papers, share)
    train = [p for p in result.papers if p.year is not None and p.year <= year]
    test = [p for p in result.papers if p.year is not None and p.year > year]
    truth = new_ties(train, test)
    with open_graph(server) as graph:
        seconds = load(graph, result, train)
        started = time.monotonic()
        results, reach = evaluate(graph, truth, year, authors, seed)
    say(
        f"\n{name} ({REAL_WITH_YEARS[name]}): train = {len(train)} papers up to {year} (loaded in {seconds:.0f} s), "
        f"test = {len(test)} later papers; {sum(map(len, truth.values())) // 2} new ties among train authors; "
        f"{len(reach)} authors evaluated in {time.monotonic() - started:.0f} s; "
        f"2-hop reach {statistics.fmean(reach) if reach else 0:.3f}"
    )
    if len(reach) < MIN_EVALUATED:
        say(f"  too few authors with a new tie to evaluate (fewer than {MIN_EVALUATED}): no table")
        return
    for line in table(results):
        say(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=",".join(REAL_WITH_YEARS), help="Comma-separated format names.")
    parser.add_argument("--train-share", type=float, default=0.8, help="Share of papers in the train years.")
    parser.add_argument("--authors", type=int, default=300, help="Authors evaluated per dataset (a sample).")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with private_server() as server:
        for name in args.datasets.split(","):
            bench(name, args.train_share, args.authors, args.seed, server)


if __name__ == "__main__":
    main()
