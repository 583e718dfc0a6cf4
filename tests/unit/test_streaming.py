"""Big dblp files stream: the same papers, problems and counts as a whole-file read, in flat memory."""

from __future__ import annotations

import gzip
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

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


def test_only_big_dblp_files_stream(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    small = write_dblp(tmp_path / "small.xml", 5)
    monkeypatch.setattr(streaming, "STREAM_BYTES", small.stat().st_size)
    big = write_dblp(tmp_path / "big.xml", 50)
    other = tmp_path / "works.json"
    other.write_text('{"id": "https://openalex.org/W1", "title": "T", "authorships": []}' + " " * 10_000)
    kinds = {Path(r.path).name: isinstance(r.papers, list) for r in read_inputs([small, big, other])}
    assert kinds == {"small.xml": True, "big.xml": False, "works.json": True}


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
