"""Projection speed out of Neo4j and community detection, ours against the libraries, on the same edge lists.

For each SNAP collaboration network (read with our ``snap`` loader from ../shared/data/snap) and a generated
planted-partition graph, in one run: bulk-load the ties into a private Neo4j (a LocalServer on free loopback ports
in a temporary home, or NEO4J_URI if set: that database is emptied), time :func:`project_coauthors` (a first cold
run, then, after 5 s of warm-up, the best of repeated ones, edges/s), then time our default (``detect_communities``:
igraph Leiden, modularity, 2 iterations, seeded, with its renumbering and modularity) and, on the same edge list,
leidenalg, igraph ``community_leiden`` and ``community_multilevel``, networkit PLM with refinement (when networkit
is installed; one thread, seeded, so it repeats) and networkx ``louvain_communities`` (only up to
``--networkx-max-edges``: it is too slow above). Every method runs on its library's graph built beforehand, as
sweeps reuse ours; so that the comparison stays apples to apples, each library's graph build from the projection's
arrays (igraph for ours, leidenalg and igraph; networkit; networkx) is timed too, and the table ranks methods both
without and with it. Modularity is igraph's weighted modularity at resolution 1 for every method; times are the best
of repeated runs (:func:`run_times`), as the machine may be shared. With ``--gds`` the private server runs the Graph
Data Science plugin and the table adds GDS's Leiden inside Neo4j (:func:`queries.gds.detect_communities_gds`: its
own projection into GDS, Leiden on one thread, the membership streamed back), on the same graph.
``--projection-only`` stops after the projection timing. Usage:

    python bench/bench_communities.py [--authors 1000000] [--degree 8] [--skip-snap] [--only ca-GrQc] [--gds]
        [--projection-only]

Loading uses a bench-only bulk ``CREATE`` (bench/bench_load.py measures the real writer); it is not timed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import igraph
import leidenalg
import networkx as nx
import numpy as np

from graph.config import Settings
from graph.connection import Graph, connect
from graph.server import LocalServer, free_port
from graph.writer import delete_everything
from loaders import read_file
from queries.communities import detect_communities, seeded_random
from queries.gds import detect_communities_gds
from queries.projection import Projection, project_coauthors

try:
    import networkit
except ImportError:  # optional: the table then has no PLM row
    networkit = None

SNAP = Path(__file__).resolve().parents[2] / "shared" / "data" / "snap"
NETWORKS = (
    "ca-GrQc.txt.gz",
    "CA-HepTh.noheader.txt.gz",
    "CA-HepPh.noheader.txt.gz",
    "ca-CondMat.noheader.txt.gz",
    "ca-AstroPh.undirected-shuffled.txt.gz",
)
SEED = 42
WARM_UP = 5.0
"""Seconds of projections run before the timed ones, as a server that answers queries all day is warm."""

CREATE_AUTHORS = "UNWIND $ids AS id CREATE (:Author {id: id, name: id})"
CREATE_TIES = """
UNWIND $rows AS row
MATCH (a:Author {id: row[0]}), (b:Author {id: row[1]})
CREATE (a)-[:COAUTHOR {weight: row[2]}]->(b)
"""

EdgeList = tuple[list[str], list[str], list[float]]


def snap_edges(path: Path) -> EdgeList:
    """The ties of a SNAP file as our loader reads them (author ids, weight 1)."""
    ties = read_file(path).ties
    return [t.a.key for t in ties], [t.b.key for t in ties], [t.weight for t in ties]


def planted_edges(authors: int, degree: float, seed: int = SEED, mixing: float = 0.2) -> EdgeList:
    """A planted-partition graph: communities of 5-500 authors, ``mixing`` of ties drawn across the graph."""
    rng = np.random.default_rng(seed)
    sizes = np.minimum(500, 5 + rng.pareto(1.5, authors // 20) * 20).astype(np.int64)
    sizes = sizes[np.cumsum(sizes) <= authors]
    starts = np.repeat(np.cumsum(sizes) - sizes, sizes)
    lengths = np.repeat(sizes, sizes)
    count = len(starts)
    heads = np.repeat(np.arange(count), int(degree // 2))
    inside = starts[heads] + rng.integers(0, lengths[heads])
    tails = np.where(rng.random(len(heads)) < mixing, rng.integers(0, count, len(heads)), inside)
    pairs = np.unique(np.column_stack((np.minimum(heads, tails), np.maximum(heads, tails))), axis=0)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    weights = rng.geometric(0.6, len(pairs)).astype(float).tolist()  # joint papers: 1 mostly, sometimes more
    names = [f"gen:{n}" for n in range(count)]
    return [names[a] for a in pairs[:, 0]], [names[b] for b in pairs[:, 1]], weights


def bulk_load(graph: Graph, edges: EdgeList, batch: int = 20_000) -> None:
    heads, tails, weights = edges
    ids = sorted(set(heads) | set(tails))
    for start in range(0, len(ids), 50_000):
        graph.write(CREATE_AUTHORS, ids=ids[start : start + 50_000])
    rows = [list(row) for row in zip(heads, tails, weights, strict=True)]
    for start in range(0, len(rows), batch):
        graph.write(CREATE_TIES, rows=rows[start : start + batch])


def timed(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def best_run(work: Callable[[], object]) -> tuple[float, object]:
    """The best seconds of repeated runs and the first run's result (see :func:`run_times`)."""
    seconds, result = timed(work)
    return min(run_times(work, seconds)), result


def run_times(work: Callable[[], object], first: float) -> list[float]:
    """``first`` and the seconds of more runs: five runs in all below 1 s (and more, up to 100, until 2 s are
    spent: a few milliseconds are easily lost to another process on a shared machine, the best of many is the
    work's own time, as :mod:`timeit` says), three from 1 s, two from 10 s, one from a minute."""
    times = [first]
    wanted = 5 if first < 1 else 3 if first < 10 else 2 if first < 60 else 1
    while len(times) < wanted or (sum(times) < 2 and len(times) < 100):
        times.append(timed(work)[0])
    return times


def built_graphs(projection: Projection, networkx_max: int) -> dict[str, tuple[float, object]]:
    """Each library's graph of ``projection`` with the best seconds of building it from the projection's arrays."""
    builders: dict[str, Callable[[], object]] = {"igraph": lambda: replace(projection).network}  # as ours builds it
    if networkit is not None:
        builders["networkit"] = lambda: _networkit_graph(projection)
    if projection.edge_count <= networkx_max:
        builders["networkx"] = lambda: _networkx_graph(projection)
    return {library: best_run(build) for library, build in builders.items()}


def contenders(projection: Projection, graphs: dict[str, tuple[float, object]]) -> dict[str, tuple[str, Callable]]:
    """Each method as (the library whose graph it runs on, a call returning a membership) on prebuilt graphs."""
    network = projection.network
    weights = network.es["weight"]

    def seeded(work: Callable[[], igraph.VertexClustering]) -> list[int]:
        with seeded_random(SEED):
            return work().membership

    found = {
        "ours (detect_communities)": (
            "igraph",
            lambda: [n - 1 for n in detect_communities(projection, seed=SEED).membership],
        ),
        "leidenalg": (
            "igraph",
            lambda: (
                leidenalg.find_partition(
                    network, leidenalg.ModularityVertexPartition, weights=weights, seed=SEED
                ).membership
            ),
        ),
        "igraph community_leiden": (
            "igraph",
            lambda: seeded(lambda: network.community_leiden("modularity", weights=weights, n_iterations=2)),
        ),
        "igraph community_multilevel": (
            "igraph",
            lambda: seeded(lambda: network.community_multilevel(weights=weights)),
        ),
    }
    if "networkit" in graphs:
        found["networkit PLM (refine)"] = ("networkit", _networkit_plm(graphs["networkit"][1]))
    if "networkx" in graphs:
        found["networkx louvain"] = ("networkx", _networkx_louvain(graphs["networkx"][1]))
    return found


def _networkit_graph(projection: Projection) -> networkit.Graph:
    """The projection as a weighted networkit graph (an addEdge loop: as fast as ``GraphFromCoo`` here)."""
    graph = networkit.Graph(len(projection.ids), weighted=True)
    for s, t, w in zip(
        projection.sources.tolist(), projection.targets.tolist(), projection.weights.tolist(), strict=True
    ):
        graph.addEdge(s, t, w)
    return graph


def _networkit_plm(graph: networkit.Graph) -> Callable[[], list]:
    networkit.setNumberOfThreads(1)  # FINDINGS.md: PLM repeats only on one thread

    def run() -> list:
        networkit.setSeed(SEED, True)
        return networkit.community.PLM(graph, refine=True).run().getPartition().getVector()

    return run


def _networkx_graph(projection: Projection) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(range(len(projection.ids)))
    graph.add_weighted_edges_from(
        zip(projection.sources.tolist(), projection.targets.tolist(), projection.weights.tolist(), strict=True)
    )
    return graph


def _networkx_louvain(graph: nx.Graph) -> Callable[[], list]:
    def run() -> list:
        membership = [0] * graph.number_of_nodes()
        for number, members in enumerate(nx.community.louvain_communities(graph, weight="weight", seed=SEED)):
            for vertex in members:
                membership[vertex] = number
        return membership

    return run


def gds_leiden(graph: Graph, projection: Projection) -> list[int]:
    """GDS's Leiden inside Neo4j on the whole graph, as a membership of the projection's vertices."""
    found = detect_communities_gds(graph, seed=SEED)
    if found.ids != projection.ids:
        raise RuntimeError("GDS projected other authors than project_coauthors")
    return [n - 1 for n in found.partition.membership]


def bench(graph: Graph, name: str, edges: EdgeList, args: argparse.Namespace) -> None:
    delete_everything(graph)
    load_seconds, _ = timed(lambda: bulk_load(graph, edges))
    cold, projection = timed(lambda: project_coauthors(graph))  # the server plans the queries
    warm_up = time.perf_counter() + WARM_UP
    while time.perf_counter() < warm_up:  # the server's JIT compiles what runs often: 100 ms -> 20 ms on GrQc
        project_coauthors(graph)
    runs = run_times(lambda: project_coauthors(graph), timed(lambda: project_coauthors(graph))[0])
    seconds, median = min(runs), statistics.median(runs)
    print(
        f"\n## {name}: {len(projection.ids):,} authors, {projection.edge_count:,} ties (bulk load {load_seconds:.0f} s)"
    )
    print(
        f"projection out of Neo4j: {seconds:.3f} s = {projection.edge_count / seconds:,.0f} edges/s (best of "
        f"{len(runs)} after a first cold run of {cold:.3f} s and {WARM_UP:.0f} s of warm-up; median {median:.3f} s = "
        f"{projection.edge_count / median:,.0f} edges/s; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores)"
    )
    if args.projection_only:
        return
    network = projection.network
    graphs = built_graphs(projection, args.networkx_max_edges)
    results = {method: (library, *best_run(work)) for method, (library, work) in contenders(projection, graphs).items()}
    if args.gds:
        results["GDS leiden in Neo4j (with its projection)"] = (None, *best_run(lambda: gds_leiden(graph, projection)))
    report(network, graphs, results)
    if "networkx" not in graphs:
        print(f"(networkx louvain skipped: more than {args.networkx_max_edges:,} edges)")


def report(network: igraph.Graph, graphs: dict[str, tuple[float, object]], results: dict[str, tuple]) -> None:
    """The table: each method's time on its prebuilt graph and with that graph's build, ranked both ways."""
    build = {method: graphs[library][0] if library else 0.0 for method, (library, _s, _m) in results.items()}
    quality = {method: network.modularity(m, weights="weight") for method, (_l, _s, m) in results.items()}
    fastest = min(seconds for _l, seconds, _m in results.values())
    fastest_built = min(seconds + build[method] for method, (_l, seconds, _m) in results.items())
    print(
        "| method | seconds | x fastest | with graph build | x fastest | modularity | vs leidenalg | communities |\n"
        "|---|---|---|---|---|---|---|---|"
    )
    for method, (_library, secs, membership) in results.items():
        built = secs + build[method]
        print(
            f"| {method} | {secs:.3f} | {secs / fastest:.2f} | {built:.3f} | {built / fastest_built:.2f} | "
            f"{quality[method]:.4f} | {quality[method] - quality['leidenalg']:+.4f} | {len(set(membership)):,} |"
        )
    builds = ", ".join(f"{library} {seconds:.3f} s" for library, (seconds, _g) in graphs.items())
    print(
        f"(graph builds from the projection: {builds}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )


@contextmanager
def private_graph(gds: bool = False) -> Iterator[Graph]:
    if os.environ.get("NEO4J_URI"):
        with connect(Settings.from_env()) as graph:
            yield graph
        return
    with tempfile.TemporaryDirectory(prefix="bench-communities-") as home:
        ports = [free_port(), free_port()]
        plugins = ("gds",) if gds else ()
        server = LocalServer(Path(home), *ports, password="bench-password", heap="3g", pagecache="2g", plugins=plugins)
        server.start()
        try:
            with connect(Settings(uri=server.uri, password="bench-password")) as graph:
                yield graph
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--authors", type=int, default=1_000_000, help="Authors of the generated graph (0: none).")
    parser.add_argument("--degree", type=float, default=8, help="Mean ties per generated author.")
    parser.add_argument("--skip-snap", action="store_true")
    parser.add_argument("--only", help="Run only the SNAP network whose file name starts with this.")
    parser.add_argument("--networkx-max-edges", type=int, default=250_000)
    parser.add_argument("--gds", action="store_true", help="Also time GDS's Leiden inside Neo4j.")
    parser.add_argument("--projection-only", action="store_true", help="Time the projection only.")
    args = parser.parse_args()
    with private_graph(args.gds) as graph:
        for file in () if args.skip_snap else NETWORKS:
            if args.only is None or file.startswith(args.only):
                bench(graph, file.split(".")[0], snap_edges(SNAP / file), args)
        if args.authors:
            edges = planted_edges(args.authors, args.degree)
            bench(graph, f"generated ({args.authors:,} authors requested)", edges, args)


if __name__ == "__main__":
    main()
