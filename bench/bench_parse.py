"""Throughput and peak memory of the dblp loader, side by side with a bare lxml loop, on real and synthetic XML.

    python bench/bench_parse.py                      # the real files, then 100k and 1M synthetic records
    python bench/bench_parse.py --sizes 10000,100000 --data ../shared/data/dblp

The baseline is the least any streaming reader must do: ``lxml.etree.iterparse`` over the same record tags,
counting them and freeing each one. The loader also rewrites entities, reads every field and builds the
:class:`~graph.model.Paper` records. Each measurement runs in a fresh interpreter, so its peak RSS
(``ru_maxrss``) is its own; flat RSS from 100k to 1M records shows that the stream is not held in memory.
The synthetic corpus is written record by record to a temporary directory and deleted afterwards.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import timeit
from collections import Counter
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from loaders.dblp import RECORD_TAGS, iter_records

__all__ = ["count_baseline", "count_loader", "main", "write_corpus"]

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "dblp"
DEFAULT_SIZES = "100000,1000000"
_SURNAMES = ("M&uuml;ller", "Chen", "Li", "Garc&iacute;a", "Smith", "Nguyen", "Kowalski", "Sch&ouml;n", "Wang")
_GIVEN = ("Wei", "Anna", "Jos&eacute;", "Bing", "Liang", "Maria", "Jan", "S&oslash;ren", "Yuki")


def count_loader(stream: BinaryIO) -> tuple[int, int]:
    """Records read and papers yielded by :func:`loaders.dblp.iter_records`."""
    seen: Counter[str] = Counter()
    papers = sum(1 for _ in iter_records(stream, "bench", seen=seen))
    return sum(seen.values()), papers


def count_baseline(stream: BinaryIO) -> tuple[int, int]:
    """Records counted by a bare ``iterparse`` loop that frees each record (no fields read, no records built)."""
    records = 0
    for _, element in etree.iterparse(stream, tag=RECORD_TAGS, resolve_entities=False, no_network=True):
        records += 1
        element.clear(keep_tail=False)
        while element.getprevious() is not None:
            del element.getparent()[0]
    return records, 0


def write_corpus(path: Path, records: int, seed: int = 42) -> None:
    """Write ``records`` dblp-like records to ``path`` one at a time: mostly papers with 1-6 authors (homonym
    suffixes, ORCIDs, entities, DOIs, markup in titles), plus home pages and proceedings as in the real dump."""
    rng = random.Random(seed)
    with path.open("w", encoding="ascii") as out:
        out.write('<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE dblp SYSTEM "dblp.dtd">\n<dblp>\n')
        for number in range(records):
            out.write(_synthetic_record(rng, number))
        out.write("</dblp>\n")


def _synthetic_record(rng: random.Random, number: int) -> str:
    roll = rng.random()
    if roll < 0.1:
        return f'<www key="homepages/{number}"><author>{_name(rng)}</author><title>Home Page</title></www>\n'
    if roll < 0.12:
        editor = f"<editor>{_name(rng)}</editor>"
        return f'<proceedings key="conf/x/{number}">{editor}<title>Proc. {number}.</title></proceedings>\n'
    tag, venue = ("article", "journal") if roll < 0.5 else ("inproceedings", "booktitle")
    authors = "".join(_author(rng) for _ in range(rng.randint(1, 6)))
    title = f"On <i>graph</i> {number} and H<sub>2</sub> coauthorship." if roll > 0.95 else f"Paper number {number}."
    return (
        f'<{tag} mdate="2020-01-01" key="x/{number}">{authors}<title>{title}</title>'
        f"<year>{1990 + number % 35}</year><{venue}>Venue {number % 97}</{venue}>"
        f"<ee>https://doi.org/10.1000/{number}</ee><url>db/x.html#{number}</url></{tag}>\n"
    )


def _author(rng: random.Random) -> str:
    orcid = f' orcid="0000-0002-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"' if rng.random() < 0.1 else ""
    return f"<author{orcid}>{_name(rng)}</author>"


def _name(rng: random.Random) -> str:
    suffix = f" {rng.randint(1, 40):04d}" if rng.random() < 0.1 else ""
    return f"{rng.choice(_GIVEN)} {rng.choice(_SURNAMES)}{suffix}"


def _measure(kind: str, path: str) -> dict[str, float]:
    """One measurement in this interpreter: records, papers, wall and CPU seconds, peak RSS in MiB (from KiB)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as stream:
        start, cpu = time.perf_counter(), time.process_time()
        records, papers = (count_loader if kind == "loader" else count_baseline)(stream)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"records": records, "papers": papers, "seconds": seconds, "cpu": cpu, "peak_mib": peak}


def _measure_apart(kind: str, path: Path) -> dict[str, float]:
    """:func:`_measure` in a fresh interpreter, so that its peak RSS is not another run's."""
    done = subprocess.run(
        [sys.executable, __file__, "--measure", kind, str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def _report(label: str, path: Path) -> None:
    loader, baseline = _measure_apart("loader", path), _measure_apart("baseline", path)
    if loader["records"] != baseline["records"]:
        raise SystemExit(f"{label}: loader read {loader['records']} records, baseline {baseline['records']}")
    rate, cpu_rate = loader["records"] / loader["seconds"], loader["records"] / loader["cpu"]
    baseline_rate = baseline["records"] / baseline["seconds"]
    print(
        f"{label:<26} {loader['records']:>9,} {path.stat().st_size / 2**20:>7.1f} {loader['papers']:>9,} "
        f"{rate:>10,.0f} {cpu_rate:>10,.0f} {baseline_rate:>10,.0f} {baseline_rate / rate:>6.2f}x "
        f"{loader['peak_mib']:>8.1f} {baseline['peak_mib']:>8.1f}"
    )


def main(argv: list[str] | None = None) -> None:
    """Print one line per input: records, MiB on disk, papers, records/s (loader by wall and CPU time, bare lxml
    by wall time), how many times faster the bare loop is, and both peak RSS."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of real dblp XML files")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="synthetic corpus sizes, comma-separated")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(_measure(*args.measure)))
        return
    calibration = timeit.timeit("sum(range(1000))", number=2000) / 2000 * 1e6
    print(f"this machine now: sum(range(1000)) takes {calibration:.1f} us (about 10 us on an idle modern core)")
    print(
        f"{'input':<26} {'records':>9} {'MiB':>7} {'papers':>9} {'loader r/s':>10} {'(CPU) r/s':>10} "
        f"{'lxml r/s':>10} {'ratio':>7} {'RSS MiB':>8} {'lxml RSS':>8}"
    )
    for path in sorted(args.data.glob("*.xml*")):
        _report(path.name, path)
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(size) for size in args.sizes.split(",")):
            path = Path(folder) / f"synthetic_{size}.xml"
            write_corpus(path, size)
            _report(f"synthetic {size:,}", path)
            path.unlink()


if __name__ == "__main__":
    main()
