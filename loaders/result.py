"""What reading one file yields: records, problems and notes, and what a format module provides."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Protocol

from graph.model import AuthorProfile, Paper, Tie, name_key

__all__ = [
    "MESSAGE_CHARS",
    "Format",
    "LoadResult",
    "Note",
    "Problem",
    "count_reasons",
    "has_name",
    "screened",
    "shorten",
    "without_nameless",
]

MESSAGE_CHARS = 200
"""The longest message shown for a problem: some quote the input they could not parse, which can be a whole file."""

# Quoted names and standalone numbers (not the 8 of UTF-8 or the 0 of 0xe9) vary from record to record; without
# them, messages group into reasons.
_VARYING = re.compile(r"'[^']*'|\"[^\"]*\"|(?<![\w.])(?<!\w-)(?>\d+(?:[-.:/]\d+)*)(?![\w-])")
_NAME = attrgetter("name")


@dataclass(frozen=True)
class Problem:
    """A malformed record, reported and skipped: where it is, what is wrong, and the offending text."""

    path: str
    line: int
    message: str
    excerpt: str


@dataclass(frozen=True)
class Note:
    """A record, or a part of one, left out by design (not malformed, so no error): where it is and what was left
    out. Its ``line`` is 0 where the format keeps no positions (a GML node)."""

    path: str
    line: int
    message: str


@dataclass
class LoadResult:
    """What one file yielded; ``records_read`` counts every record seen, loaded or not.

    ``papers`` is an iterator for a file read as a stream (:mod:`loaders.streaming`): its ``problems``, ``notes``
    and ``records_read`` fill in as the papers are consumed."""

    path: str
    format: str
    papers: list[Paper] | Iterator[Paper]
    profiles: list[AuthorProfile]
    problems: list[Problem]
    records_read: int
    ties: list[Tie] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def noted(self) -> Counter[str]:
        """How many notes there are per reason (see :func:`count_reasons`)."""
        return count_reasons(self.notes)

    def add(self, items: Iterable[Paper | Note | Problem]) -> None:
        """Append each paper, note or problem (what :func:`screened` gives) to its list (``papers`` is a list)."""
        lists = {Paper: self.papers, Note: self.notes, Problem: self.problems}
        for item in items:
            lists[type(item)].append(item)


class Format(Protocol):
    """What a format module provides (a module satisfies this protocol by its two functions)."""

    def sniff(self, text: str) -> bool: ...

    def parse(self, text: str, path: str, *, as_of: datetime.date) -> LoadResult: ...


def shorten(message: str, limit: int = MESSAGE_CHARS) -> str:
    """``message`` cut to ``limit`` characters, ending in an ellipsis where cut."""
    return message if len(message) <= limit else f"{message[: limit - 1]}…"


def count_reasons(reports: Iterable[Problem | Note]) -> Counter[str]:
    """How many problems or notes there are per reason: the message without what varies from record to record
    (quoted names and standalone numbers become "…"), shortened.

    >>> count_reasons([Note("a", 1, "edge 3-3 is a self-loop"), Note("a", 9, "edge 7-7 is a self-loop")])
    Counter({'edge … is a self-loop': 2})
    """
    return Counter(shorten(_VARYING.sub("…", report.message)) for report in reports)


def has_name(name: str | None) -> bool:
    """Whether ``name`` has a letter or digit. Names without one (``"_ _"``, ``"}"``, ``""``) name nobody: they
    would all fold into the one Author ``name:``, so loaders drop such authors (:func:`without_nameless`).

    >>> has_name("_ _"), has_name("\\u200d}"), has_name("X"), has_name("3")
    (False, False, True, True)
    """
    return bool(name and name_key(name))


def without_nameless(paper: Paper, path: str, line: int) -> tuple[Paper, list[Note]]:
    """``paper`` without the authors whose name has no letter or digit, and a Note for each one dropped. The record
    and its other authors stay, each at the position the source gave it (so a dropped author leaves a gap)."""
    if all(map(name_key, map(_NAME, paper.authors))):  # has_name for each, in C: this runs for every paper
        return paper, []
    notes = [
        Note(path, line, f"author {author.position} {author.name!r} left out: its name has no letter or digit")
        for author in paper.authors
        if not has_name(author.name)
    ]
    named = tuple(author for author in paper.authors if has_name(author.name))
    return dataclasses.replace(paper, authors=named), notes


def screened(paper: Paper, path: str, line: int) -> list[Paper | Note | Problem]:
    """What a loader keeps of a record read as ``paper``: one rule for every source.

    The authors whose name has no letter or digit are left out (a Note each, :func:`without_nameless`). A record
    with no author left is noted instead of loaded: it adds nothing to a coauthorship graph. One without a title
    loads when it has an id (DOI, arXiv id or the source's own, which then keys it: ``graph.model.paper_key``);
    without a title and any id, nothing tells it apart from other records: a Problem.
    """
    paper, notes = without_nameless(paper, path, line)
    if not paper.authors:
        return [*notes, Note(path, line, f"{_label(paper)!r} has no authors: not a paper to load")]
    if not (paper.doi or paper.arxiv_id or paper.external_ids) and not has_name(paper.title):  # ids: the cheap test
        message = "no title and no id (DOI, arXiv id or the source's own): nothing tells this record apart"
        return [*notes, Problem(path, line, message, _untitled_excerpt(paper))]
    return [paper, *notes]


def _label(paper: Paper) -> str:
    """The record's best id, else its title shortened, to name it in a note."""
    ids = (paper.doi, paper.arxiv_id, *paper.external_ids.values())
    return next((value for value in ids if value), shorten(paper.title, 60))


def _untitled_excerpt(paper: Paper) -> str:
    """What a record without title or id still shows: where it is, its first author, year and venue."""
    known = (paper.source_ref, paper.first_author, paper.year, paper.venue)
    return shorten(" ".join(str(value) for value in known if value), 120)
