"""The long stress run of loads under faults: overlapping `coauthor load` processes, one killed with SIGKILL and the
server restarted at random moments, the failed loads run again; after each round the graph must hold no duplicate,
lose no paper or authorship, keep every COAUTHOR weight exact, and not change when its inputs are loaded once more.

    python bench/stress_loads.py                      # 8 rounds
    python bench/stress_loads.py --rounds 2 --seed 7

The inputs are slices of the real OpenAlex and Crossref union files (../shared/data) that together cover both
whole files, so every round must end with the papers and authorships of one clean load of the two, made first as
the reference. Uses a private Neo4j on free loopback ports. Prints one line per round, then the totals.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from discovery_harness import PASSWORD, open_graph, private_server, say  # noqa: E402
from graph_export import full_export  # noqa: E402
from load_checks import (  # noqa: E402
    authorships_per_paper,
    duplicates,
    load,
    slices,
    tie_weights_match_joint_papers,
    wrote_everything,
)

from graph.connection import Graph  # noqa: E402
from graph.server import LocalServer  # noqa: E402
from graph.writer import delete_everything  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
FILES = {DATA / "openalex" / "works_union_602.jsonl.gz": 602, DATA / "crossref" / "works_union_1501.jsonl.gz": 1501}
TOTALS = (
    "loads",
    "killed",
    "restarts",
    "failed_in_restart",
    "reruns",
    "duplicates",
    "papers_lost",
    "papers_extra",
    "authorships_wrong",
    "ties_wrong",
    "changed_on_reload",
    "tracebacks",
)


def round_inputs(rng: random.Random, folder: Path, loads: int) -> list[list[Path]]:
    """Inputs of ``loads`` loads: per file, the first load reads a head and the second a tail that overlap (together
    the whole file); any further load reads a random middle."""
    inputs: list[list[Path]] = [[] for _ in range(loads)]
    for source, lines in FILES.items():
        cut, rejoin = sorted(rng.sample(range(50, lines - 50), 2))
        bounds = [
            (0, rejoin),
            (cut, lines),
            *((rng.randrange(0, lines // 2), rng.randrange(lines // 2, lines)) for _ in range(loads - 2)),
        ]
        for index, bound in enumerate(bounds):
            inputs[index] += slices(source, folder, bound)
    for paths in inputs:
        rng.shuffle(paths)
    return inputs


def run_round(rng: random.Random, server: LocalServer, env: dict[str, str], inputs: list[list[Path]]) -> dict[str, int]:
    counts = dict.fromkeys(TOTALS, 0)
    processes: list[tuple[list[Path], int, subprocess.Popen]] = []
    for paths in inputs:
        batch = rng.choice([20, 50, 200])
        processes.append((paths, batch, load(env, *paths, batch_size=batch)))
        time.sleep(rng.uniform(0, 1.5))
    counts["loads"] = len(processes)
    started = time.monotonic()
    kill_at = rng.uniform(1, 15) if rng.random() < 0.7 else None
    restart_at = rng.uniform(2, 20) if rng.random() < 0.4 else None
    while any(process.poll() is None for *_, process in processes):
        elapsed = time.monotonic() - started
        if kill_at is not None and elapsed > kill_at:
            running = [process for *_, process in processes if process.poll() is None]
            rng.choice(running).kill()
            counts["killed"] += 1
            kill_at = None
        if restart_at is not None and elapsed > restart_at:
            server.stop()
            server.start(timeout=300)
            counts["restarts"] += 1
            restart_at = None
        time.sleep(0.1)
    again = []
    for paths, batch, process in processes:
        _out, err = process.communicate()
        counts["tracebacks"] += _traceback(err)
        if process.returncode == 3:
            counts["failed_in_restart"] += 1
        if not wrote_everything(process.returncode, err):
            again.append((paths, batch))
    for paths, batch in again:
        rerun = load(env, *paths, batch_size=batch)
        _out, err = rerun.communicate(timeout=900)
        counts["reruns"] += 1
        counts["tracebacks"] += _traceback(err) or not wrote_everything(rerun.returncode, err)
        if not wrote_everything(rerun.returncode, err):
            say(f"  a re-run failed (exit {rerun.returncode}): {err.strip()[-500:]}")
    return counts


def _traceback(err: str) -> bool:
    """Whether a load ended in a traceback rather than one clear line (shown, so it can be fixed)."""
    if "Traceback" in err:
        say("  traceback: " + err[err.index("Traceback") :][-1500:].replace("\n", "\n    "))
    return "Traceback" in err


def check(
    graph: Graph, reference: dict[str, int], env: dict[str, str], inputs: list[list[Path]], counts: dict[str, int]
) -> None:
    counts["duplicates"] = len(duplicates(graph))
    counts["ties_wrong"] = len(tie_weights_match_joint_papers(graph))
    found = authorships_per_paper(graph)
    lost, extra = sorted(reference.keys() - found.keys()), sorted(found.keys() - reference.keys())
    wrong = sorted(paper for paper, n in reference.items() if paper in found and found[paper] != n)
    counts["papers_lost"], counts["papers_extra"], counts["authorships_wrong"] = len(lost), len(extra), len(wrong)
    for label, papers in (("lost", lost), ("extra", extra), ("wrong authorships", wrong)):
        if papers:
            say(f"  {label}: {', '.join(papers[:5])}")
    before = full_export(graph)
    load(env, *(path for paths in inputs for path in paths), batch_size=500).communicate(timeout=900)
    counts["changed_on_reload"] = len(set(before) ^ set(full_export(graph)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--seed", type=int, default=20261127)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    totals = dict.fromkeys(TOTALS, 0)
    with private_server() as server, open_graph(server) as graph, tempfile.TemporaryDirectory() as folder:
        env = {"NEO4J_URI": server.uri, "NEO4J_PASSWORD": PASSWORD}
        delete_everything(graph)
        first = load(env, *FILES, batch_size=500)
        _out, err = first.communicate(timeout=900)
        assert wrote_everything(first.returncode, err)
        reference = authorships_per_paper(graph)
        say(f"reference: one clean load of both files, {len(reference)} papers")
        say(" ".join(f"{name:>{len(name)}}" for name in ("round", *TOTALS)))
        for number in range(1, args.rounds + 1):
            delete_everything(graph)
            inputs = round_inputs(rng, Path(folder), rng.randint(2, 4))
            counts = run_round(rng, server, env, inputs)
            graph.driver.verify_connectivity()  # a restart dropped the pool's connections; the driver opens new ones
            check(graph, reference, env, inputs, counts)
            say(" ".join(f"{value:>{len(name)}}" for name, value in (("round", number), *counts.items())))
            for name, value in counts.items():
                totals[name] += value
        say(" ".join(f"{value:>{len(name)}}" for name, value in (("round", "all"), *totals.items())))


if __name__ == "__main__":
    main()
