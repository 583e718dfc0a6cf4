"""Big dblp and OpenAlex JSON Lines files stream: the same papers, problems and counts as a whole-file read, in
flat memory."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.bench_parse import FORMATS as BENCH_FORMATS
from bench.bench_parse import write_corpus
from graph.errors import InputError
from loaders import read_file, read_inputs, streaming

MALFORMED = '<article key="bad/1"><author>Ann Tit</author><year>2001</year></article>\n'  # no title


def write_dblp(path: Path, records: int, *, malformed: bool = False) -> Path:
    """A dblp XML file of ``records`` articles (gzip when the name ends in .gz), one malformed if asked."""
    body = "".join(
        f'<article key="journals/x/{n}"><author>Given{n % 7} Sur{n % 5}</author><author>Other {n % 13}</author>'
        f"<title>A study of thing number {n} and its {'long ' * 20}consequences.</title><year>{1990 + n % 30}</year>"
        f"<journal>J. Things</journal></article>\n"
        for n in range(records)
    )
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n<dblp>\n{body}{MALFORMED if malformed else ""}</dblp>\n'
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


@pytest.fixture
def always_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)


@pytest.mark.usefixtures("always_stream")
def test_a_streamed_file_gives_what_a_whole_read_gives(shared_dir: Path, monkeypatch: pytest.MonkeyPatch):
    path = shared_dir / "data" / "dblp" / "dblp_soc_papers.xml.gz"
    [result] = read_inputs([path])
    assert not isinstance(result.papers, list)
    papers = list(result.papers)
    monkeypatch.setattr(streaming, "STREAM_BYTES", 1 << 40)
    whole = read_file(path)
    assert isinstance(whole.papers, list)
    assert (papers, result.problems, result.records_read) == (whole.papers, whole.problems, whole.records_read)
    assert (result.format, len(papers)) == ("dblp", 4139)
    assert result.notes == whole.notes and len(result.notes) == 79  # the records without authors


@pytest.mark.usefixtures("always_stream")
def test_strict_refuses_a_streamed_file_before_anything_is_written(tmp_path: Path):
    path = write_dblp(tmp_path / "dblp.xml", 50, malformed=True)
    with pytest.raises(InputError) as raised:
        read_inputs([path], strict=True)
    assert raised.value.path == str(path)
    assert "1 malformed record" in raised.value.hint
    [result] = read_inputs([write_dblp(tmp_path / "good.xml", 50)], strict=True)
    assert len(list(result.papers)) == 50  # checked once, then streamed again from the start
    assert (result.problems, result.records_read) == ([], 50)


@pytest.mark.usefixtures("always_stream")
def test_keyphrases_apply_to_streamed_papers_lazily(tmp_path: Path):
    [result] = read_inputs([write_dblp(tmp_path / "dblp.xml.gz", 20)], keyphrases=True)
    assert isinstance(result.papers, Iterator)
    papers = list(result.papers)
    assert len(papers) == 20
    assert all(any(topic.kind == "keyword" for topic in paper.topics) for paper in papers)


@pytest.mark.usefixtures("always_stream")
def test_a_truncated_gzip_stream_is_one_clear_error(tmp_path: Path):
    path = write_dblp(tmp_path / "dblp.xml.gz", 2000)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    [result] = read_inputs([path])
    with pytest.raises(InputError, match="damaged gzip data") as raised:
        list(result.papers)
    assert raised.value.path == str(path)


def test_only_big_files_in_a_layout_that_streams_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    small = write_dblp(tmp_path / "small.xml", 5)
    monkeypatch.setattr(streaming, "STREAM_BYTES", small.stat().st_size)
    big = write_dblp(tmp_path / "big.xml", 50)
    work = {"id": "https://openalex.org/W1", "title": "T", "authorships": [], "abstract": "x" * 10_000}
    lines = tmp_path / "works.jsonl"
    lines.write_text(json.dumps(work) + "\n" + json.dumps(work | {"id": "https://openalex.org/W2"}) + "\n")
    page = tmp_path / "page.json"  # one document over many lines: cannot be read line by line
    page.write_text(json.dumps({"meta": {"count": 2}, "results": [work, work]}, indent=2))
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{a, title={T}, author={Ann Lee}, year={2001}}\n" + "% filler\n" * 2_000)
    kinds = {Path(r.path).name: isinstance(r.papers, list) for r in read_inputs([small, big, lines, page, bib])}
    assert kinds == {"small.xml": True, "big.xml": False, "works.jsonl": False, "page.json": True, "refs.bib": True}
    forced = read_inputs([page], format="openalex")
    assert isinstance(forced[0].papers, list)


def peak_bytes(path: Path) -> int:
    """Python's peak memory while ``read_inputs`` reads ``path`` and its papers are consumed one by one."""
    tracemalloc.start()
    try:
        [result] = read_inputs([path])
        assert sum(1 for _paper in result.papers) > 0
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_as_a_streamed_file_grows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Python memory (names repeat, so the name caches stay small; lxml frees each record as it goes)."""
    small, large = write_dblp(tmp_path / "a.xml", 1_000), write_dblp(tmp_path / "b.xml", 8_000)
    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)
    assert peak_bytes(large) < 1.5 * peak_bytes(small)
    monkeypatch.setattr(streaming, "STREAM_BYTES", 1 << 40)
    assert peak_bytes(large) > 4 * peak_bytes(small)  # what streaming avoids: the text and every paper held


OPENALEX_WORKS = Path("data") / "openalex" / "works_union_602.jsonl.gz"


def damaged_copy(shared_dir: Path, tmp_path: Path) -> Path:
    """The real works with a cut-off line, a line of an author object and a blank line inserted (gzip)."""
    lines = gzip.decompress((shared_dir / OPENALEX_WORKS).read_bytes()).splitlines(keepends=True)
    author = json.loads((shared_dir / "data" / "openalex" / "author_A5023888391.json").read_text(encoding="utf-8"))
    inserted = [lines[100][:200] + b"\n", json.dumps(author).encode() + b"\n", b"\n"]
    path = tmp_path / "damaged.jsonl.gz"
    path.write_bytes(gzip.compress(b"".join(lines[:300] + inserted + lines[300:])))
    return path


@pytest.mark.parametrize("damaged", [False, True], ids=["real", "damaged-line"])
def test_a_streamed_openalex_file_gives_what_a_whole_read_gives(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damaged: bool
):
    path = damaged_copy(shared_dir, tmp_path) if damaged else shared_dir / OPENALEX_WORKS
    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)
    [result] = read_inputs([path])
    assert isinstance(result.papers, Iterator)
    assert (result.problems, result.records_read) == ([], 0)  # nothing is read before the papers are
    papers = list(result.papers)
    monkeypatch.setattr(streaming, "STREAM_BYTES", 1 << 40)
    whole = read_file(path)
    assert isinstance(whole.papers, list)
    assert (papers, result.profiles, result.problems) == (whole.papers, whole.profiles, whole.problems)
    authorless = authorless_works(shared_dir)  # noted, not loaded
    assert result.notes == whole.notes
    assert [note.line for note in result.notes if note.message.startswith("author ")] == [62]  # the author "_ _"
    assert sum(note.message.endswith("has no authors: not a paper to load") for note in result.notes) == authorless
    assert result.records_read == whole.records_read == (604 if damaged else 602)
    assert (result.format, len(papers), len(result.profiles)) == ("openalex", 602 - authorless, 1 if damaged else 0)
    found = [(problem.line, problem.message.split(":")[0]) for problem in result.problems]
    assert found == ([(301, "not valid JSON")] if damaged else [])


def authorless_works(shared_dir: Path) -> int:
    """The real works that list no authorship, counted with gzip and json."""
    lines = gzip.decompress((shared_dir / OPENALEX_WORKS).read_bytes()).splitlines()
    return sum(not json.loads(line)["authorships"] for line in lines if line.strip())


def test_strict_refuses_a_streamed_openalex_file_with_its_bad_line(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = damaged_copy(shared_dir, tmp_path)
    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)
    with pytest.raises(InputError) as raised:
        read_inputs([path], strict=True)
    assert (raised.value.path, raised.value.line) == (str(path), 301)  # the cut line
    assert "1 malformed record(s)" in raised.value.hint


def test_a_truncated_openalex_gzip_is_the_same_clear_error_streamed_or_whole(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = tmp_path / "truncated.jsonl.gz"
    data = (shared_dir / OPENALEX_WORKS).read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="damaged gzip data") as whole:
        read_file(path)
    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)
    [result] = read_inputs([path])
    with pytest.raises(InputError, match="damaged gzip data") as streamed:
        list(result.papers)
    assert (streamed.value.path, streamed.value.reason) == (whole.value.path, whole.value.reason)
    assert whole.value.path == str(path)


def test_a_byte_that_is_not_utf8_is_named_alike_streamed_or_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "works.jsonl"
    work = b'{"id": "https://openalex.org/W1", "title": "T", "authorships": []}\n'
    before_bad = work * 3 + b'{"id": "https://openalex.org/W2", "title": "'
    path.write_bytes(before_bad + b'\xff"}\n' + work)
    with pytest.raises(InputError, match="not valid UTF-8") as whole:
        read_file(path)
    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)
    [result] = read_inputs([path])
    with pytest.raises(InputError) as streamed:
        list(result.papers)
    assert streamed.value.reason == whole.value.reason == f"not valid UTF-8: byte 0xff at byte offset {len(before_bad)}"


def test_memory_stays_flat_as_a_streamed_openalex_file_grows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Python memory, on the bench's synthetic works. The loader caches the chains of the few thousand topics it
    meets (a bounded cache) and Python keeps freed tuples for reuse (bounded free lists): a first read fills both,
    as the first part of a long stream would; what is left grows by a few per cent of what a whole read adds."""
    small, large = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_corpus(small, BENCH_FORMATS["openalex"], 500)
    write_corpus(large, BENCH_FORMATS["openalex"], 4_000)
    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)
    peak_bytes(large)
    streamed = peak_bytes(small), peak_bytes(large)
    monkeypatch.setattr(streaming, "STREAM_BYTES", 1 << 40)
    whole = peak_bytes(small), peak_bytes(large)
    assert whole[1] > 4 * whole[0]  # what streaming avoids: the text and every paper held
    assert streamed[1] - streamed[0] < (whole[1] - whole[0]) / 20
    assert streamed[1] < whole[0]  # 8 times the works streamed take less than the small file held whole
