"""Big dblp files read as a stream: records reach the writer as they are parsed, so memory stays flat on the full
3+ GB dump instead of holding its text and every record.

A file of more than :data:`STREAM_BYTES` on disk whose head is dblp XML becomes a :class:`LoadResult` whose
``papers`` is an iterator: ``problems`` and ``records_read`` fill in as it is consumed. Strict mode reads such a
file once to check it before anything is written (:func:`check_before_writing`), then again to write it.
"""

from __future__ import annotations

import gzip
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from graph.errors import InputError
from graph.model import Paper
from loaders import dblp
from loaders.result import LoadResult

__all__ = ["GZIP_ERRORS", "GZIP_MAGIC", "STREAM_BYTES", "check_before_writing", "head_text", "streamed"]

STREAM_BYTES = 64 << 20
"""Files larger than this on disk stream (where their format can)."""
GZIP_MAGIC = b"\x1f\x8b"
GZIP_ERRORS = (EOFError, OSError, zlib.error)
"""What reading a truncated or corrupt gzip stream raises."""


def head_text(path: str) -> str:
    """The first 64 KiB of the file's (unpacked) text, for sniffing; a character cut at the end is dropped."""
    with _open(path) as stream, _gzip_errors(path):
        head = stream.read(dblp.HEAD_BYTES)
    return head.decode("utf-8", errors="ignore").removeprefix("\ufeff")


def streamed(path: str) -> LoadResult:
    """A dblp file as a stream of papers (see the module notes)."""
    result = LoadResult(path, dblp.SOURCE, [], [], [], 0)
    result.papers = _papers(result)
    return result


def check_before_writing(result: LoadResult) -> None:
    """Read a streamed file through once, so that its problems are known before anything is written; its papers
    then stream again from the start."""
    for _paper in _papers(result):
        pass
    result.papers = _papers(result)


def _papers(result: LoadResult) -> Iterator[Paper]:
    result.problems.clear()
    seen: Counter[str] = Counter()
    with _open(result.path) as stream, _gzip_errors(result.path):
        for item in dblp.iter_records(stream, result.path, seen=seen):
            if isinstance(item, Paper):
                yield item
            else:
                result.problems.append(item)
    result.records_read = sum(seen.values())


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
