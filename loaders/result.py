"""What reading one file yields: records and problems, and what a format module provides."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from graph.model import AuthorProfile, Paper, Tie

__all__ = ["Format", "LoadResult", "Problem"]


@dataclass(frozen=True)
class Problem:
    """A malformed record, reported and skipped: where it is, what is wrong, and the offending text."""

    path: str
    line: int
    message: str
    excerpt: str


@dataclass
class LoadResult:
    """What one file yielded; ``records_read`` counts every record seen, loaded or not.

    ``papers`` is an iterator for a file read as a stream (:mod:`loaders.streaming`): its ``problems`` and
    ``records_read`` fill in as the papers are consumed."""

    path: str
    format: str
    papers: list[Paper] | Iterator[Paper]
    profiles: list[AuthorProfile]
    problems: list[Problem]
    records_read: int
    ties: list[Tie] = field(default_factory=list)


class Format(Protocol):
    """What a format module provides (a module satisfies this protocol by its two functions)."""

    def sniff(self, text: str) -> bool: ...

    def parse(self, text: str, path: str, *, as_of: datetime.date) -> LoadResult: ...
