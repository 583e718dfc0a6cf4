"""Read a Web of Science "Plain text" (field-tagged) export into papers.

The file starts with ``FN`` and ``VR`` lines; each record runs from ``PT`` to ``ER``; the file ends with ``EF``.
A line is a two-character tag, a space and a value; a line starting with three spaces continues the tag above:
for the tags in :data:`loaders.wos.LIST_TAGS` (``AU``, ``AF``, ``C1`` ...) it is the next value, for the others
it continues the same text. The fields mean what they mean in the tab-delimited export
(:func:`loaders.wos.paper_from_tags`).

A record that does not end in ``ER``, or holds a line that is neither a tag nor a continuation, is a
:class:`~loaders.Problem` at its ``PT`` line. ``source_ref`` is ``<file name>:<line of PT>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from functools import partial

from loaders.result import LoadResult, Problem
from loaders.tabular import Record, collect
from loaders.wos import LIST_TAGS, Tags, paper_from_tags

__all__ = ["parse", "sniff"]

SOURCE = "wos_plaintext"
_TAG_LINE = re.compile(r"(?P<tag>[A-Z][A-Z0-9]) (?P<value>.*)")
_CONTINUATION = "   "


class _Reader:
    """Groups lines into records; ``tags`` is the record being read, ``None`` between records."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.start = 0
        self.tags: dict[str, list[str]] | None = None
        self.tag = ""
        self.bad: str | None = None

    def feed(self, number: int, line: str) -> Record[Tags] | None:
        """Take one line; the finished record when ``line`` is ``ER`` and the record is sound."""
        if line.startswith("PT "):
            self._open_record(number)
        if self.tags is None:
            return None
        if line.rstrip() == "ER":
            return self._close_record()
        self._add(number, line)
        return None

    def finish(self) -> None:
        if self.tags is not None:
            self._fail(self.start, "record does not end with ER")

    def _open_record(self, number: int) -> None:
        if self.tags is not None:
            self._fail(self.start, "record does not end with ER")
        self.start, self.tags, self.tag, self.bad = number, {}, "", None

    def _close_record(self) -> Record[Tags] | None:
        tags, self.tags = self.tags, None
        if self.bad is not None:
            self.problems.append(Problem(self.path, self.start, self.bad, self._excerpt(tags)))
            return None
        return Record(self.start, tags, self._excerpt(tags))

    def _add(self, number: int, line: str) -> None:
        match = _TAG_LINE.fullmatch(line)
        if line.startswith(_CONTINUATION) and self.tag:
            values = self.tags[self.tag]
            if self.tag in LIST_TAGS:
                values.append(line.strip())
            else:
                values[-1] = f"{values[-1]} {line.strip()}"
        elif match:
            self.tag = match["tag"]
            self.tags.setdefault(self.tag, []).append(match["value"].strip())
        elif line.strip() and self.bad is None:
            self.bad = f"line {number} is neither a field tag nor a continuation: {line[:60]!r}"

    def _fail(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message, self._excerpt(self.tags or {})))
        self.tags = None

    @staticmethod
    def _excerpt(tags: Tags) -> str:
        return f"PT {tags.get('PT', [''])[0]} TI {tags.get('TI', [''])[0]}"[:120]


def sniff(text: str) -> bool:
    """Whether the text opens like a WoS plain-text export: ``FN ...``, then ``VR ...`` or a ``PT`` record."""
    head = text.removeprefix("\ufeff")[:200].splitlines()
    return len(head) >= 2 and head[0].startswith("FN ") and head[1][:3] in {"VR ", "PT "}


def parse(text: str, path: str, *, as_of: date) -> LoadResult:
    """One paper per ``PT`` ... ``ER`` record (``as_of`` is unused: WoS years are explicit)."""
    reader = _Reader(path)
    records = list(_records(reader, text))
    return collect(path, SOURCE, records, partial(paper_from_tags, source=SOURCE), reader.problems)


def _records(reader: _Reader, text: str) -> Iterator[Record[Tags]]:
    lines = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
    for number, line in enumerate(lines, start=1):
        record = reader.feed(number, line)
        if record is not None:
            yield record
    reader.finish()
