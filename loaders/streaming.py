"""Big files read as a stream: records reach the writer as they are parsed, so memory stays flat on the full 3+ GB
dblp dump or a multi-GB OpenAlex snapshot part instead of holding its text and every record.

A UTF-8 file of more than :data:`STREAM_BYTES` on disk, in a format of :data:`STREAMABLE` and a layout that format
can stream (dblp XML: any; OpenAlex: JSON Lines, not one big document), becomes a :class:`LoadResult` whose ``papers``
is an iterator: ``problems``, ``notes``, ``profiles`` and ``records_read`` fill in as it is consumed, and are then
what a whole-file read gives (author profiles, such as OpenAlex author objects, are therefore written after the file's
papers). Strict mode reads such a file once to check it before anything is written (:func:`check_before_writing`),
then again to write it. Where a whole read refuses the whole file (truncated gzip, a byte that is not UTF-8, dblp's
malformed XML), a stream stops there, after the batches already written.

A streamable format provides ``iter_records(stream, path, *, seen)``: the papers, author profiles, problems and
notes of a byte stream in file order, counting every record read in the ``seen`` counter.
"""

from __future__ import annotations

import codecs
import gzip
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from graph.errors import InputError
from graph.model import AuthorProfile, Paper
from loaders import dblp, openalex
from loaders.result import LoadResult, Note, Problem

__all__ = [
    "GZIP_ERRORS",
    "GZIP_MAGIC",
    "STREAMABLE",
    "STREAM_BYTES",
    "Streamable",
    "check_before_writing",
    "head_text",
    "streamed",
    "wide_encoding",
]

STREAM_BYTES = 64 << 20
"""Files larger than this on disk stream (where their format can)."""
GZIP_MAGIC = b"\x1f\x8b"
GZIP_ERRORS = (EOFError, OSError, zlib.error)
"""What reading a truncated or corrupt gzip stream raises."""
HEAD_BYTES = 1 << 16
_WIDE_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE's, which it starts with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Streamable:
    """How a format reads as a stream: whether a file starting with a given text can (``streams(head)``), and
    its record generator (``iter_records(stream, path, *, seen)``)."""

    streams: Callable[[str], bool]
    iter_records: Callable[..., Iterator[Paper | AuthorProfile | Problem | Note]]


def _any_layout(_head: str) -> bool:
    return True


STREAMABLE: dict[str, Streamable] = {
    dblp.SOURCE: Streamable(_any_layout, dblp.iter_records),
    openalex.SOURCE: Streamable(openalex.streams, openalex.iter_records),
}
"""Format name -> how it streams; a format that is not here is always read whole."""


def wide_encoding(data: bytes) -> str | None:
    """The codec, ``utf-16`` or ``utf-32``, that the byte-order mark ``data`` starts with names, else None.

    >>> [wide_encoding(text.encode(codec)) for text, codec in [("x", "utf-16"), ("x", "utf-32"), ("x", "utf-8-sig")]]
    ['utf-16', 'utf-32', None]
    """
    return next((codec for mark, codec in _WIDE_MARKS if data.startswith(mark)), None)


def head_text(path: str) -> str | None:
    """The first 64 KiB of the file's (unpacked) text, for sniffing; a character cut at the end is dropped. None
    for UTF-16 or UTF-32 text, which never streams (streaming formats read UTF-8)."""
    with _open(path) as stream, _gzip_errors(path):
        head = stream.read(HEAD_BYTES)
    if wide_encoding(head):
        return None
    return head.decode("utf-8", errors="ignore").removeprefix("\ufeff")


def streamed(path: str, format: str) -> LoadResult:
    """A file of ``format`` (a key of :data:`STREAMABLE`) as a stream of papers (see the module notes)."""
    result = LoadResult(path, format, [], [], [], 0)
    result.papers = _papers(result)
    return result


def check_before_writing(result: LoadResult) -> None:
    """Read a streamed file through once, so that its problems are known before anything is written; its papers
    then stream again from the start."""
    for _paper in _papers(result):
        pass
    result.papers = _papers(result)


def _papers(result: LoadResult) -> Iterator[Paper]:
    """The papers of ``result``'s file from the start; its problems, notes and profiles are collected afresh on the
    way."""
    result.problems.clear()
    result.notes.clear()
    result.profiles.clear()
    seen: Counter[str] = Counter()
    with _open(result.path) as stream, _gzip_errors(result.path):
        for item in STREAMABLE[result.format].iter_records(stream, result.path, seen=seen):
            if isinstance(item, Paper):
                yield item
            elif isinstance(item, Problem):
                result.problems.append(item)
            elif isinstance(item, Note):
                result.notes.append(item)
            else:
                result.profiles.append(item)
    result.records_read = seen.total()


@contextmanager
def _gzip_errors(path: str) -> Iterator[None]:
    try:
        yield
    except GZIP_ERRORS as err:
        raise InputError(f"damaged gzip data: {err}", path=path) from err


def _open(path: str) -> BinaryIO:
    with Path(path).open("rb") as probe:
        packed = probe.read(2) == GZIP_MAGIC
    return gzip.open(path, "rb") if packed else Path(path).open("rb")
