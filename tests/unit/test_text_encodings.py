"""Text encodings: UTF-16 and UTF-32 exports with a byte-order mark (Web of Science's "Tab-delimited (Win/Mac)",
Excel's "Unicode Text") load exactly as their UTF-8 originals, plain, gzipped or on standard input; binary data is
still refused."""

from __future__ import annotations

import codecs
import dataclasses
import gzip
import io
import random
import sys
from pathlib import Path

import pytest

from graph.errors import InputError
from loaders import LoadResult, read_file, read_inputs, streaming

EXPORTS = ("wos_tabdelimited_scienceScape_50.txt", "scopus_litstudy_88.csv")
# The UTF-8 text (a UTF-8 byte-order mark kept as U+FEFF, as iconv keeps it) in each wide encoding, mark first.
ENCODINGS = {
    "utf-16-le": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "utf-32-le": lambda text: codecs.BOM_UTF32_LE + text.encode("utf-32-le"),
    "utf-32-be": lambda text: codecs.BOM_UTF32_BE + text.encode("utf-32-be"),
}


@pytest.fixture(params=EXPORTS)
def export(request: pytest.FixtureRequest, shared_dir: Path) -> Path:
    return shared_dir / "data" / "csv_exports" / request.param


def same_records(result: LoadResult, original: LoadResult, *, source_ref: bool = True) -> None:
    """``result`` has ``original``'s format, count, papers (with their ``source_ref``, unless told), problems and
    notes (by line and message)."""
    papers = [paper if source_ref else dataclasses.replace(paper, source_ref="") for paper in result.papers]
    expected = [paper if source_ref else dataclasses.replace(paper, source_ref="") for paper in original.papers]
    assert (result.format, result.records_read, papers) == (original.format, original.records_read, expected)
    for kind in ("problems", "notes"):
        found = [(item.line, item.message) for item in getattr(result, kind)]
        assert found == [(item.line, item.message) for item in getattr(original, kind)]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_wide_export_with_a_byte_order_mark_loads_as_its_utf8_original(export: Path, encoding: str, tmp_path: Path):
    wide = tmp_path / export.name  # the same name: source_ref names the file
    wide.write_bytes(ENCODINGS[encoding](export.read_bytes().decode("utf-8")))
    original = read_file(export)
    assert original.records_read == len(original.papers) > 0
    same_records(read_file(wide), original)


def test_a_gzipped_utf16_export_loads_as_its_utf8_original(export: Path, tmp_path: Path):
    packed = tmp_path / f"{export.name}.gz"
    packed.write_bytes(gzip.compress(export.read_text(encoding="utf-8").encode("utf-16")))
    same_records(read_file(packed), read_file(export), source_ref=False)


def test_a_utf16_export_on_standard_input_loads_as_its_utf8_original(export: Path, monkeypatch: pytest.MonkeyPatch):
    data = export.read_text(encoding="utf-8").encode("utf-16")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    [result] = read_inputs(["-"])
    same_records(result, read_file(export), source_ref=False)


def test_a_big_utf16_file_of_a_streaming_format_is_read_whole(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    works = gzip.decompress((shared_dir / "data" / "openalex" / "works_union_602.jsonl.gz").read_bytes())
    (tmp_path / "utf8").mkdir()
    (tmp_path / "utf16").mkdir()
    (tmp_path / "utf8" / "works.jsonl").write_bytes(works)
    (tmp_path / "utf16" / "works.jsonl").write_bytes(works.decode("utf-8").encode("utf-16"))
    original = read_file(tmp_path / "utf8" / "works.jsonl")
    monkeypatch.setattr(streaming, "STREAM_BYTES", 0)  # every file is big: a UTF-8 one would stream
    wide = read_file(tmp_path / "utf16" / "works.jsonl")
    assert isinstance(wide.papers, list)
    same_records(wide, original)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01\x02PK\x03\x04" * 20, r"binary data, not a text export \(NUL bytes near the start\)"),
        ("no mark".encode("utf-16-le"), r"binary data"),  # without a byte-order mark, UTF-16 is not guessed
        (codecs.BOM_UTF16_LE + b"\x00\xd8ab", r"not valid UTF-16: illegal UTF-16 surrogate at byte offset 2"),
        (codecs.BOM_UTF16_LE + b"ab\x00", r"not valid UTF-16: truncated data at byte offset 4"),
        (
            codecs.BOM_UTF32_LE + b"\x00\x00\x11\x00",
            r"not valid UTF-32: code point not in range\(0x110000\) at byte offset 4",
        ),
        ("\ufeffA\0B".encode("utf-16"), r"binary data"),  # a NUL character in the text
        (
            codecs.BOM_UTF16_LE + random.Random(7).randbytes(3000),
            r"not valid UTF-16: illegal encoding at byte offset 102",  # a lone surrogate, at the 51st character
        ),
    ],
    ids=[
        "nul-bytes",
        "utf-16-without-mark",
        "lone-surrogate",
        "odd-length",
        "utf-32-out-of-range",
        "nul-char",
        "mark-then-noise",
    ],
)
def test_binary_data_and_broken_wide_text_are_refused_naming_the_file(data: bytes, message: str, tmp_path: Path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(data)
    with pytest.raises(InputError, match=message) as refused:
        read_file(junk)
    assert refused.value.path == str(junk)
