"""The long fuzz run: every loader fed generated and mutated inputs; the target is 0 uncaught exceptions.

    python bench/fuzz_loaders.py                          # 10,000 inputs per format, every format
    python bench/fuzz_loaders.py --inputs 500 --formats dblp,gml --jobs 2

The inputs come from ``tests/fuzz/strategies.py`` (the same code the CI fuzz tests draw from): seeds cut from the
real files in ``../shared/data``, byte-level mutations of them, and structure-keeping variations with hostile
values. Half of the inputs are read with their format given (so the parser runs past detection), half with the
format detected from the content. Each input runs under a time limit (an input past it counts as uncaught).

Each format runs in a fresh interpreter, so its peak RSS (``ru_maxrss``) is its own. Per format the table shows:
inputs tried, results (records or problems), own errors (:class:`~graph.errors.InputError` naming the file),
uncaught (any other exception, a malformed record, or a hang), the slowest input, and peak RSS. Every uncaught
input is saved under ``--save`` (with its traceback) to replay with ``tests/fuzz/oracle.run_loader``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fuzz.oracle import run_loader  # noqa: E402 - the repo root must be importable first
from tests.fuzz.strategies import FORMAT_NAMES, fuzz_input, load_seeds  # noqa: E402

SHARED = ROOT.parent / "shared"
COLUMNS = ("format", "inputs", "results", "own_errors", "uncaught", "max_s", "peak_rss_mb")


def fuzz_one_format(name: str, inputs: int, seed: int, limit: float, save: Path) -> dict[str, object]:
    """Fuzz one format in this process; the counts, the slowest input and this process's peak RSS."""
    seeds = load_seeds(SHARED)[name]
    rng = random.Random(f"{seed}:{name}")
    counts = {"result": 0, "own_error": 0, "uncaught": 0}
    slowest = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / f"fuzz_{name}.in"
        for number in range(inputs):
            how, data = fuzz_input(name, seeds, rng)
            format = name if number % 2 == 0 else None
            outcome = run_loader(data, path, format, limit)
            counts[outcome.kind] += 1
            slowest = max(slowest, outcome.seconds)
            if outcome.kind == "uncaught":
                stem = save / f"{name}_{number}"
                stem.with_suffix(".in").write_bytes(data)
                stem.with_suffix(".txt").write_text(f"{how} format={format}\n{outcome.detail}\n")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "format": name,
        "inputs": inputs,
        "results": counts["result"],
        "own_errors": counts["own_error"],
        "uncaught": counts["uncaught"],
        "max_s": round(slowest, 3),
        "peak_rss_mb": round(peak_mb, 1),
    }


def run_in_child(name: str, args: argparse.Namespace) -> dict[str, object]:
    """Fuzz one format in a fresh interpreter (its own peak RSS) and read back its JSON line."""
    command = [sys.executable, __file__, "--one", name, "--inputs", str(args.inputs), "--seed", str(args.seed)]
    command += ["--time-limit", str(args.time_limit), "--save", str(args.save)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{name}: the fuzz child failed ({done.returncode}):\n{done.stderr[-2000:]}")
    row = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(row), file=sys.stderr, flush=True)  # progress: each format as it finishes
    return row


def print_table(rows: list[dict[str, object]]) -> None:
    widths = [max(len(column), *(len(str(row[column])) for row in rows)) for column in COLUMNS]
    print("  ".join(column.ljust(width) for column, width in zip(COLUMNS, widths, strict=True)))
    for row in rows:
        print("  ".join(str(row[column]).ljust(width) for column, width in zip(COLUMNS, widths, strict=True)))
    total = {
        column: sum(int(row[column]) for row in rows) for column in ("inputs", "results", "own_errors", "uncaught")
    }
    print(
        f"total: {total['inputs']} inputs, {total['results']} results, {total['own_errors']} own errors, "
        f"{total['uncaught']} uncaught"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000, help="inputs per format (default 10,000)")
    parser.add_argument("--formats", default=",".join(FORMAT_NAMES), help="comma-separated format names")
    parser.add_argument("--seed", type=int, default=20261127, help="the random seed (same seed, same inputs)")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per input before it is a hang")
    parser.add_argument("--jobs", type=int, default=1, help="formats fuzzed at the same time")
    parser.add_argument("--save", type=Path, default=Path(tempfile.gettempdir()) / "coauthor_fuzz_failures")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # run one format in this process (used by the children)
    args = parser.parse_args()
    args.save.mkdir(parents=True, exist_ok=True)
    if args.one:
        print(json.dumps(fuzz_one_format(args.one, args.inputs, args.seed, args.time_limit, args.save)))
        return
    start = time.perf_counter()
    names = [name.strip() for name in args.formats.split(",") if name.strip()]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        rows = list(pool.map(lambda name: run_in_child(name, args), names))
    print_table(rows)
    print(f"wall time {time.perf_counter() - start:.0f} s; uncaught inputs saved under {args.save}")


if __name__ == "__main__":
    main()
