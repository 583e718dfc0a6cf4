"""Parse throughput and peak RSS of the dblp and OpenAlex loaders beside bare parsing loops, on real and synthetic data.

    python bench/bench_parse.py                      # the real files, then 100k and 1M synthetic records
    python bench/bench_parse.py --formats openalex --sizes 10000,100000 --data ../shared/data

Baselines are the least any reader of the format must do: for dblp XML, ``lxml.etree.iterparse`` over the same
record tags, counting them and freeing each one; for OpenAlex JSON Lines, ``json.loads`` of every line. The
loaders also read every field and build the :class:`~graph.model.Paper` records (dblp also rewrites entities).

The loaders are measured through :func:`loaders.read_file`, as ``coauthor load`` reads: streamed (every file takes
the streaming path of :mod:`loaders.streaming`, records counted as they come) and, for inputs of at most
``--whole-up-to`` records, whole (the text and every paper held, as for a file under 64 MiB). Each measurement
runs in a fresh interpreter, so its peak RSS (``VmHWM``) is its own: flat streamed RSS from 100k to 1M records
shows that the stream is not held in memory. The synthetic corpora are written record by record to a temporary
directory and deleted afterwards.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import gzip
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from loaders import dblp, read_file, streaming

__all__ = ["FORMATS", "Corpus", "main", "write_corpus"]

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_SIZES = "100000,1000000"
DEFAULT_WHOLE_UP_TO = 100_000
_AS_OF = datetime.date(2026, 11, 27)
_SURNAMES = ("Müller", "Chen", "Li", "García", "Smith", "Nguyen", "Kowalski", "Schön", "Wang")
_GIVEN = ("Wei", "Anna", "José", "Bing", "Liang", "Maria", "Jan", "Søren", "Yuki")
_XML_ENTITIES = str.maketrans({"ü": "&uuml;", "í": "&iacute;", "ö": "&ouml;", "é": "&eacute;", "ø": "&oslash;"})
_SYLLABLES = ("an", "ber", "co", "da", "el", "fi", "gra", "ho", "in", "ka", "lo", "mi", "net", "or", "pa", "ra", "tu")
_WORDS = tuple(a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in _SYLLABLES)
_ZIPF = tuple(accumulate(1 / rank for rank in range(1, len(_WORDS) + 1)))
"""Cumulative weights of :data:`_WORDS` by Zipf's law: a few words recur in every abstract, most are rare."""
_TOPIC_TREE = (  # (domain, field, subfield) ids and names as OpenAlex numbers them
    ((3, "Physical Sciences"), (17, "Computer Science"), (1702, "Artificial Intelligence")),
    ((3, "Physical Sciences"), (17, "Computer Science"), (1705, "Computer Networks and Communications")),
    ((1, "Life Sciences"), (11, "Agricultural and Biological Sciences"), (1107, "Forestry")),
    ((4, "Health Sciences"), (29, "Nursing"), (2916, "Nutrition and Dietetics")),
    ((2, "Social Sciences"), (33, "Social Sciences"), (3312, "Sociology and Political Science")),
)


@dataclass(frozen=True)
class Corpus:
    """How to benchmark one format: its real files, how to write a synthetic record, and the baseline, which reads
    an open byte stream and returns (records read, papers yielded)."""

    real: str
    suffix: str
    head: str
    tail: str
    record: Callable[[random.Random, int], str]
    baseline: Callable[[BinaryIO], tuple[int, int]]


def _read(name: str, path: str, *, streamed: bool) -> tuple[int, int]:
    """Records read and papers yielded by :func:`loaders.read_file`, streamed or whole whatever the file's size."""
    streaming.STREAM_BYTES = 0 if streamed else 1 << 62
    result = read_file(path, name, as_of=_AS_OF)
    papers = sum(1 for _paper in result.papers)
    return result.records_read, papers


def _dblp_baseline(stream: BinaryIO) -> tuple[int, int]:
    """Records counted by a bare ``iterparse`` loop that frees each record (no fields read, no records built)."""
    records = 0
    for _, element in etree.iterparse(stream, tag=dblp.RECORD_TAGS, resolve_entities=False, no_network=True):
        records += 1
        element.clear(keep_tail=False)
        while element.getprevious() is not None:
            del element.getparent()[0]
    return records, 0


def _json_lines_baseline(stream: BinaryIO) -> tuple[int, int]:
    """Lines decoded by ``json.loads``, one at a time (no fields read, no records built)."""
    records = 0
    for line in stream:
        if line.strip():
            json.loads(line)
            records += 1
    return records, 0


def _dblp_record(rng: random.Random, number: int) -> str:
    """Mostly papers with 1-6 authors (homonym suffixes, ORCIDs, entities, DOIs, markup in titles, the fields the
    loader skips), plus home pages and proceedings as in the real dump."""
    roll = rng.random()
    if roll < 0.1:
        return f'<www key="homepages/{number}"><author>{_dblp_name(rng)}</author><title>Home Page</title></www>\n'
    if roll < 0.12:
        editor = f"<editor>{_dblp_name(rng)}</editor>"
        return f'<proceedings key="conf/x/{number}">{editor}<title>Proc. {number}.</title></proceedings>\n'
    tag, venue = ("article", "journal") if roll < 0.5 else ("inproceedings", "booktitle")
    authors = "".join(_dblp_author(rng) for _ in range(rng.randint(1, 6)))
    title = f"On <i>graph</i> {number} and H<sub>2</sub> coauthorship." if roll > 0.95 else f"Paper number {number}."
    return (
        f'<{tag} mdate="2020-01-01" key="x/{number}">{authors}<title>{title}</title><pages>{number % 900}-9</pages>'
        f"<year>{1990 + number % 35}</year><{venue}>Venue {number % 97}</{venue}><crossref>conf/x/{number}</crossref>"
        f"<ee>https://doi.org/10.1000/{number}</ee><ee>https://ieeexplore.ieee.org/document/{number}/</ee>"
        f"<url>db/x.html#{number}</url></{tag}>\n"
    )


def _dblp_author(rng: random.Random) -> str:
    orcid = f' orcid="0000-0002-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"' if rng.random() < 0.1 else ""
    return f"<author{orcid}>{_dblp_name(rng)}</author>"


def _dblp_name(rng: random.Random) -> str:
    suffix = f" {rng.randint(1, 40):04d}" if rng.random() < 0.1 else ""
    return f"{_name(rng)}{suffix}".translate(_XML_ENTITIES)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_GIVEN)} {rng.choice(_SURNAMES)}"


def _openalex_record(rng: random.Random, number: int) -> str:
    """One OpenAlex work as the snapshot writes it (ASCII JSON on one line) with the fields the loader reads:
    1-8 authorships (ids, ORCIDs, institutions), a source, 1-3 topics with their hierarchy, concepts and an
    inverted abstract of 60-250 words."""
    year = 1990 + number % 35
    title = f"Paper number {number} on {rng.choice(_WORDS)}"
    topics = [_openalex_topic(rng) for _ in range(rng.randint(1, 3))]
    authors = rng.randint(1, 8)
    work = {
        "id": f"https://openalex.org/W{number}",
        "doi": f"https://doi.org/10.1000/{number}",
        "title": title,
        "display_name": title,
        "publication_year": year,
        "publication_date": f"{year}-{1 + number % 12:02d}-{1 + number % 28:02d}",
        "type": "article",
        "cited_by_count": rng.randint(0, 500),
        "is_authors_truncated": False,
        "primary_location": {
            "is_oa": False,
            "source": {"id": f"https://openalex.org/S{number % 997}", "display_name": f"Venue {number % 997}"},
        },
        "authorships": [_openalex_authorship(rng, position, authors) for position in range(authors)],
        "primary_topic": topics[0],
        "topics": topics,
        "concepts": [
            {
                "id": f"https://openalex.org/C{level}{number % 50}",
                "display_name": f"Concept {level}{number % 50}",
                "level": level,
                "score": round(rng.random(), 3),
            }
            for level in range(3)
        ],
        "abstract_inverted_index": rng.choice(_abstracts()),
    }
    return json.dumps(work, separators=(",", ":")) + "\n"


@functools.cache
def _abstracts() -> tuple[dict[str, list[int]], ...]:
    """1,000 inverted abstracts of 60-250 words drawn by Zipf's law, for works to share (a third less writing time)."""
    rng, abstracts = random.Random(0), []
    for _ in range(1000):
        index: dict[str, list[int]] = {}
        for position, word in enumerate(rng.choices(_WORDS, cum_weights=_ZIPF, k=rng.randint(60, 250))):
            index.setdefault(word, []).append(position)
        abstracts.append(index)
    return tuple(abstracts)


def _openalex_authorship(rng: random.Random, position: int, authors: int) -> dict[str, object]:
    name, author = _name(rng), rng.randint(1, 10**9)
    institutions = [
        {"id": f"https://openalex.org/I{place}", "display_name": f"University {place}", "country_code": "DE"}
        for place in rng.sample(range(500), rng.randint(0, 2))
    ]
    return {
        "author_position": "first" if position == 0 else ("last" if position == authors - 1 else "middle"),
        "author": {
            "id": f"https://openalex.org/A{author}",
            "display_name": name,
            "orcid": f"https://orcid.org/0000-0002-{author % 9000 + 1000}-{author % 8999 + 1000}"
            if rng.random() < 0.4
            else None,
        },
        "institutions": institutions,
        "is_corresponding": position == 0,
        "raw_author_name": name,
        "raw_affiliation_strings": [item["display_name"] for item in institutions],
    }


def _openalex_topic(rng: random.Random) -> dict[str, object]:
    topic = rng.randint(10000, 14500)  # OpenAlex has about 4,500 topics, each in one subfield
    levels = _TOPIC_TREE[topic % len(_TOPIC_TREE)]
    item: dict[str, object] = {"id": f"https://openalex.org/T{topic}", "display_name": f"Topic {topic}"}
    for (key, number), (level, name) in zip(
        (("domain", "domains"), ("field", "fields"), ("subfield", "subfields")), levels, strict=True
    ):
        item[key] = {"id": f"https://openalex.org/{number}/{level}", "display_name": name}
    return item


FORMATS = {
    "dblp": Corpus(
        "dblp/*.xml*",
        ".xml",
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE dblp SYSTEM "dblp.dtd">\n<dblp>\n',
        "</dblp>\n",
        _dblp_record,
        _dblp_baseline,
    ),
    "openalex": Corpus("openalex/*.jsonl*", ".jsonl", "", "", _openalex_record, _json_lines_baseline),
}
"""The formats the bench measures, by loader name."""


def write_corpus(path: Path, corpus: Corpus, records: int, seed: int = 42) -> None:
    """Write ``records`` synthetic records of ``corpus`` to ``path`` one at a time (ASCII)."""
    rng = random.Random(seed)
    with path.open("w", encoding="ascii") as out:
        out.write(corpus.head)
        out.writelines(corpus.record(rng, number) for number in range(records))
        out.write(corpus.tail)


def _measure(name: str, kind: str, path: str) -> dict[str, float]:
    """One measurement in this interpreter of ``kind`` (``streamed``, ``whole`` or ``baseline``): records, papers,
    wall and CPU seconds, peak RSS in MiB (from KiB)."""
    start, cpu = time.perf_counter(), time.process_time()
    if kind == "baseline":
        with (gzip.open if path.endswith(".gz") else open)(path, "rb") as stream:
            records, papers = FORMATS[name].baseline(stream)
    else:
        records, papers = _read(name, path, streamed=kind == "streamed")
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"records": records, "papers": papers, "seconds": seconds, "cpu": cpu, "peak_mib": _peak_rss_mib()}


def _peak_rss_mib() -> float:
    """This process's peak RSS: Linux's ``VmHWM``, else ``ru_maxrss``. On Linux, ``ru_maxrss`` keeps the parent's
    peak across fork and exec, so every child of the bench, which holds a synthetic corpus's caches, would report
    at least the bench's own RSS."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kib) / 1024


def _measure_apart(name: str, kind: str, path: Path) -> dict[str, float]:
    """:func:`_measure` in a fresh interpreter, so that its peak RSS is not another run's."""
    command = [sys.executable, __file__, "--measure", name, kind, str(path)]
    return json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def _report(name: str, label: str, path: Path, whole_up_to: int) -> None:
    streamed, baseline = _measure_apart(name, "streamed", path), _measure_apart(name, "baseline", path)
    if streamed["records"] != baseline["records"]:
        raise SystemExit(f"{label}: loader read {streamed['records']} records, baseline {baseline['records']}")
    whole = _measure_apart(name, "whole", path) if streamed["records"] <= whole_up_to else None
    if whole is not None and (whole["records"], whole["papers"]) != (streamed["records"], streamed["papers"]):
        raise SystemExit(f"{label}: a whole read gave {whole['records']} records, the stream {streamed['records']}")
    rate, cpu_rate = streamed["records"] / streamed["seconds"], streamed["records"] / streamed["cpu"]
    baseline_rate = baseline["records"] / baseline["seconds"]
    whole_rate = f"{whole['records'] / whole['seconds']:>10,.0f}" if whole else f"{'-':>10}"
    whole_peak = f"{whole['peak_mib']:>9.1f}" if whole else f"{'-':>9}"
    print(
        f"{name:<9} {label:<28} {streamed['records']:>9,} {path.stat().st_size / 2**20:>7.1f} "
        f"{streamed['papers']:>9,} {rate:>10,.0f} {cpu_rate:>10,.0f} {baseline_rate:>10,.0f} "
        f"{baseline_rate / rate:>6.2f}x {streamed['peak_mib']:>8.1f} {baseline['peak_mib']:>8.1f} "
        f"{whole_rate} {whole_peak}",
        flush=True,
    )


def _inputs(data: Path, names: list[str], sizes: list[int], folder: Path) -> Iterator[tuple[str, str, Path]]:
    """(format, label, path) for each real file, then each synthetic corpus (written just before it is yielded
    and deleted once measured)."""
    for name in names:
        yield from ((name, path.name, path) for path in sorted(data.glob(FORMATS[name].real)))
    for size in sizes:
        for name in names:
            path = folder / f"synthetic_{size}{FORMATS[name].suffix}"
            write_corpus(path, FORMATS[name], size)
            yield name, f"synthetic {size:,}", path
            path.unlink()


def main(argv: list[str] | None = None) -> None:
    """Print one line per input: format, records, MiB on disk, papers, records/s (streamed loader by wall and CPU
    time, the bare loop by wall time), how many times faster the bare loop is, both peak RSS, then the whole read's
    records/s and peak RSS (``-`` where the input has more than ``--whole-up-to`` records)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with dblp/ and openalex/ real files")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="synthetic corpus sizes, comma-separated")
    parser.add_argument("--formats", default=",".join(FORMATS), help="formats to measure, comma-separated")
    parser.add_argument(
        "--whole-up-to",
        type=int,
        default=DEFAULT_WHOLE_UP_TO,
        help="also read inputs of at most this many records whole (OpenAlex needs about 1.2 GiB per 50k works)",
    )
    parser.add_argument("--measure", nargs=3, metavar=("FORMAT", "KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(_measure(*args.measure)))
        return
    names = args.formats.split(",")
    if unknown := set(names) - set(FORMATS):
        parser.error(f"unknown format(s) {', '.join(sorted(unknown))} (known: {', '.join(FORMATS)})")
    calibration = timeit.timeit("sum(range(1000))", number=2000) / 2000 * 1e6
    print(f"this machine now: sum(range(1000)) takes {calibration:.1f} us (about 10 us on an idle modern core)")
    print(
        f"{'format':<9} {'input':<28} {'records':>9} {'MiB':>7} {'papers':>9} {'stream r/s':>10} {'(CPU) r/s':>10} "
        f"{'bare r/s':>10} {'ratio':>7} {'RSS MiB':>8} {'bare RSS':>8} {'whole r/s':>10} {'whole RSS':>9}"
    )
    with tempfile.TemporaryDirectory() as folder:
        sizes = [int(size) for size in args.sizes.split(",") if size]
        for name, label, path in _inputs(args.data, names, sizes, Path(folder)):
            _report(name, label, path, args.whole_up_to)


if __name__ == "__main__":
    main()
