"""Export speed: seconds to read each network out of a private Neo4j, and to write it in every format.

    python -m bench.bench_export [FILE ...]     # paths under ../shared/data; default: a few real files

Prints one row per (file, network, format): nodes, edges, read seconds (the first read, when the server still
plans the queries, and a second one), write seconds and file size.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench.discovery_harness import load, open_graph, private_server, read_real, say
from queries.networks import read_network
from viz.export import FORMATS, write_network

DEFAULT_FILES = (
    "newman_gml/netscience.gml",
    "snap/ca-GrQc.txt.gz",
    "snap/CA-HepPh.noheader.txt.gz",
    "openalex/works_union_602.jsonl.gz",
    "dblp/dblp_soc_papers.xml.gz",
)


def bench_file(graph, name: str, folder: Path) -> None:
    result = read_real(name)
    if result is None:
        return
    load(graph, result)
    networks = ("coauthors",) if not result.papers else ("coauthors", "papers", "topics")
    for what in networks:
        reads = []
        for _attempt in range(2):
            started = time.perf_counter()
            network = read_network(graph, what)
            reads.append(time.perf_counter() - started)
        read = f"{reads[0]:.2f} / {reads[1]:.2f}"
        nodes, edges = network.graph.number_of_nodes(), network.graph.number_of_edges()
        for fmt in FORMATS:
            started = time.perf_counter()
            paths = write_network(network, fmt, folder / f"{what}.{fmt}")
            wrote = time.perf_counter() - started
            size = sum(path.stat().st_size for path in paths) / 1e6
            say(f"| {Path(name).name} | {what} | {fmt} | {nodes:,} | {edges:,} | {read} | {wrote:.2f} | {size:.1f} |")


def main(files: list[str]) -> None:
    with private_server() as server, open_graph(server) as graph, tempfile.TemporaryDirectory() as folder:
        say("| file | network | format | nodes | edges | read s (first / second) | write s | MB |")
        say("|---|---|---|---|---|---|---|---|")
        for name in files or DEFAULT_FILES:
            bench_file(graph, name, Path(folder))


if __name__ == "__main__":
    main(sys.argv[1:])
