"""Helpers the bibliographic-export loaders share: reading CSV/TSV rows with their line numbers, turning rows into
papers with a :class:`~loaders.Problem` per bad row (and a :class:`~loaders.Note` per author left out for a name
without a letter or digit, and per record without authors), and cleaning values (DOIs, arXiv ids, years, names, kinds).

BibTeX uses the value helpers too (:func:`clean_doi`, :func:`clean_arxiv_id`, :func:`year_from`).
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from graph.errors import InputError
from graph.model import AuthorRef, Paper
from loaders.result import LoadResult, Problem, screened

__all__ = [
    "BadRecord",
    "Record",
    "authors_from",
    "clean_arxiv_id",
    "clean_doi",
    "collect",
    "count_from",
    "first_name_first",
    "header_of",
    "is_placeholder",
    "kind_from",
    "read_table",
    "split_list",
    "year_from",
]

Fields = TypeVar("Fields")

_DOI = re.compile(r"10\.\d{4,9}/\S+")
_ARXIV = re.compile(r"(?:arxiv:)?\s*(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)", re.IGNORECASE)
_YEAR = re.compile(r"\b(\d{4})\b")
_COUNT = re.compile(r"[0-9]{1,18}")
_PLACEHOLDERS = frozenset({"[no author name available]", "[anonymous]", "anon", "anonymous"})
_KINDS = {
    "article": "article",
    "journal article": "article",
    "data paper": "article",
    "conference paper": "inproceedings",
    "proceedings paper": "inproceedings",
    "book chapter": "incollection",
    "chapter": "incollection",
    "book": "book",
    "review": "review",
    "short survey": "review",
    "editorial": "editorial",
    "editorial material": "editorial",
    "note": "note",
    "letter": "letter",
    "erratum": "erratum",
}
_EXCERPT = 120


class BadRecord(Exception):
    """A record that cannot become a paper: reported as a Problem at its line and skipped."""


@dataclass(frozen=True)
class Record(Generic[Fields]):
    """One record of an export: the line it starts on, its fields, and its first line for problem excerpts."""

    line: int
    fields: Fields
    excerpt: str


def header_of(text: str, delimiter: str = ",") -> list[str]:
    """The column names on the first line (a byte-order mark dropped), or ``[]`` when it is not CSV."""
    first = text.removeprefix("\ufeff").split("\n", 1)[0].rstrip("\r")
    try:
        return [name.strip() for name in next(csv.reader([first], delimiter=delimiter), [])]
    except csv.Error:
        return []


def read_table(
    text: str,
    path: str,
    *,
    delimiter: str = ",",
    quoting: int = csv.QUOTE_MINIMAL,
    required: Iterable[str] = (),
) -> tuple[list[Record[dict[str, str]]], list[Problem]]:
    """Rows as ``{column: value}`` with the line each starts on, and a Problem per row that ``csv`` refuses or
    whose field count differs from the header's (one extra empty trailing field, as Web of Science writes, is
    dropped). Cells may be as long as the text: Scopus' ``References`` exceed csv's default limit.

    Raises
    ------
    InputError
        The header (line 1) lacks one of the ``required`` columns, or ``csv`` cannot read it.
    """
    csv.field_size_limit(sys.maxsize)
    text = text.removeprefix("\ufeff")
    lines = re.split(r"\r\n|\r|\n", text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting)
    header = _header(reader, path, required)
    rows: list[Record[dict[str, str]]] = []
    problems: list[Problem] = []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(Problem(path, start, f"unreadable row: {err}", lines[start - 1][:_EXCERPT]))
            continue
        if len(row) == len(header) + 1 and row[-1] == "":
            row = row[:-1]
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            message = f"row has {len(row)} fields, the header has {len(header)}"
            problems.append(Problem(path, start, message, lines[start - 1][:_EXCERPT]))
            continue
        rows.append(Record(start, dict(zip(header, row, strict=True)), lines[start - 1][:_EXCERPT]))
    return rows, problems


def _header(reader: Iterator[list[str]], path: str, required: Iterable[str]) -> list[str]:
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as err:
        raise InputError(f"unreadable header: {err}", path=path, line=1) from err
    missing = [name for name in required if name not in header]
    if missing:
        raise InputError(f"the header lacks the column(s) {', '.join(sorted(missing))}", path=path, line=1)
    return header


def collect(
    path: str,
    source: str,
    records: Iterable[Record[Fields]],
    to_paper: Callable[[Fields, str], Paper],
    problems: Iterable[Problem] = (),
) -> LoadResult:
    """Papers from ``to_paper(fields, source_ref)`` per record, as screened (:func:`~loaders.result.screened`:
    without the authors whose name has no letter or digit, a record without authors noted); a :class:`BadRecord`
    becomes a Problem."""
    result = LoadResult(path, source, [], [], list(problems), 0)
    result.records_read = len(result.problems)
    name = Path(path).name
    for record in records:
        result.records_read += 1
        try:
            paper = to_paper(record.fields, f"{name}:{record.line}")
        except BadRecord as bad:
            result.problems.append(Problem(path, record.line, str(bad), record.excerpt))
            continue
        result.add(screened(paper, path, record.line))
    result.problems.sort(key=lambda problem: problem.line)
    return result


def authors_from(
    names: Iterable[str],
    ids: Iterable[dict[str, str]] | None = None,
    affiliations: Iterable[str | None] | None = None,
) -> tuple[AuthorRef, ...]:
    """AuthorRefs at their positions in the list (from 1), placeholders (``[Anonymous]``) dropped; names without a
    letter or digit are kept for :func:`collect` to leave out and note (none left: the record is noted)."""
    names = list(names)
    ids = list(ids) if ids is not None else [{} for _ in names]
    affiliations = list(affiliations) if affiliations is not None else [None] * len(names)
    return tuple(
        AuthorRef(name=name.strip(), position=position, ids=author_ids, affiliation=affiliation or None)
        for position, (name, author_ids, affiliation) in enumerate(zip(names, ids, affiliations, strict=True), 1)
        if not is_placeholder(name)
    )


def is_placeholder(name: str) -> bool:
    """Whether an author cell says there is no author (``[No author name available]``, ``Anon``)."""
    return name.strip().casefold() in _PLACEHOLDERS


def split_list(text: str, separator: str = ";") -> list[str]:
    """``"a; b;; c "`` -> ``["a", "b", "c"]``."""
    return [item.strip() for item in text.split(separator) if item.strip()]


def first_name_first(name: str) -> str:
    """``"Sun, Zhiwei"`` -> ``"Zhiwei Sun"``; ``"Smith, Jr, John"`` -> ``"John Smith Jr"``; others unchanged."""
    parts = [part.strip() for part in name.split(",")]
    if len(parts) == 2 and all(parts):
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and all(parts):
        return f"{parts[2]} {parts[0]} {parts[1]}"
    return name.strip()


def clean_doi(text: str) -> str | None:
    """The DOI in ``text`` (``https://doi.org/10.1/x``, ``doi:10.1/x``, ``10.1/x``), or ``None``."""
    match = _DOI.search(text.strip())
    return match[0].rstrip(".,;") if match else None


def clean_arxiv_id(text: str) -> str | None:
    """``"arXiv:1402.6711v2"`` -> ``"1402.6711v2"``; ``"hep-th/9901001"`` stays; anything else -> ``None``."""
    match = _ARXIV.fullmatch(text.strip())
    return match[1] if match else None


def year_from(text: str) -> int | None:
    """The first four-digit number in ``text`` (``"2018"``, ``"JAN 2020"``), or ``None``."""
    match = _YEAR.search(text)
    return int(match[1]) if match else None


def count_from(text: str) -> int | None:
    """A count cell (``"51"``) as an int; empty, non-numeric or longer than a 64-bit integer -> ``None``."""
    text = text.strip()
    return int(text) if _COUNT.fullmatch(text) else None


def kind_from(label: str) -> str | None:
    """A vendor's document type in BibTeX's words where one fits (``Conference paper`` -> ``inproceedings``),
    else lower-cased with underscores; the first of several (``Article; Proceedings Paper``)."""
    first = label.split(";")[0].strip().casefold()
    return _KINDS.get(first, first.replace(" ", "_")) if first else None
