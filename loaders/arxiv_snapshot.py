"""Read the arXiv metadata snapshot (Kaggle ``arxiv-metadata-oai-snapshot.json``): JSON Lines, one paper a line.

Despite its ``.json`` name the snapshot is JSON Lines; a file holding a single record as one JSON document is
read too. Each record has the keys ``id, submitter, authors, title, comments, journal-ref, doi, report-no,
categories, license, abstract, versions, update_date, authors_parsed``.

Notes
-----
- Authors come from ``authors_parsed`` (``[last, first, suffix]``, in order), never from the free-text
  ``authors`` string: the name is ``first last suffix``; LaTeX accents still left in a part are decoded
  (``G\\"odel`` -> ``Gödel``). A fourth element, when present, is affiliation text (``"Oxford"``) and becomes
  the affiliation, unless it is only footnote markers (``"1 and 2"``).
- ``categories`` is space-separated with the primary first; they become Topics like in
  :func:`loaders.arxiv_atom.category_topics`.
- The first version's ``created`` (RFC 2822) gives ``date`` and ``year`` with ``date_precision="day"``; the
  latest version is kept as ``external_ids["arxiv"]`` (``0704.0001v2``) and ``arxiv_id`` has none.
- ``journal-ref`` is the venue, ``doi`` the DOI (the first, when several are listed).
- A line that is not JSON, or a record without ``id`` or a well-formed ``authors_parsed`` or ``versions``, is a
  :class:`~loaders.Problem` with its line number, and skipped. An author whose name has no letter or digit is
  left out with a :class:`~loaders.Note`; a record with no author left is noted and not loaded, one without a
  ``title`` loads, keyed by its id (:func:`~loaders.result.screened`).
- ``source_ref`` is ``<file name>:<line>``.
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from graph.model import AuthorRef, Paper
from loaders.arxiv_atom import category_topics
from loaders.jsonio import first_json_value, read_json
from loaders.latex import clean_latex, collapse_spaces
from loaders.result import LoadResult, Problem, screened

__all__ = ["parse", "sniff"]

SOURCE = "arxiv_snapshot"
_SNIFF_KEYS = frozenset({"id", "authors_parsed", "categories", "versions"})
_MARKERS_ONLY = re.compile(r"(?:\d+|and|&|,|;|\s)*")
_EXCERPT_CHARS = 120


class _BadRecord(Exception):
    """A record that cannot be read: becomes a Problem at its line."""


def sniff(text: str) -> bool:
    """Whether the first JSON record has the snapshot's ``id``, ``authors_parsed``, ``categories``, ``versions``."""
    first = first_json_value(text)
    return isinstance(first, dict) and first.keys() >= _SNIFF_KEYS


def parse(text: str, path: str, *, as_of: date) -> LoadResult:
    """Parse snapshot lines into one :class:`Paper` each (``as_of`` is unused: version dates carry years).

    Raises
    ------
    InputError
        The text is neither JSON nor JSON Lines.
    """
    values, problems = read_json(text, path)
    unreadable_lines = len(problems)
    file_name = Path(path).name
    result = LoadResult(path, SOURCE, [], [], problems, len(values) + unreadable_lines)
    for line, record in values:
        try:
            paper = _parse_record(record, f"{file_name}:{line}")
        except _BadRecord as bad:
            excerpt = str(record.get("id") if isinstance(record, dict) else record)[:_EXCERPT_CHARS]
            problems.append(Problem(path=path, line=line, message=str(bad), excerpt=excerpt))
            continue
        result.add(screened(paper, path, line))
    problems.sort(key=lambda problem: problem.line)
    return result


def _parse_record(record: Any, source_ref: str) -> Paper:
    """One paper from a snapshot record; raises :class:`_BadRecord` when a required field is missing or odd."""
    if not isinstance(record, dict):
        raise _BadRecord("record is not a JSON object")
    arxiv_id = _collapse(record.get("id"))
    if not arxiv_id:
        raise _BadRecord("record has no id")
    first, latest = _versions(record.get("versions"))
    abstract = _collapse(record.get("abstract")) or None
    return Paper(
        title=_collapse(record.get("title")),
        authors=_authors(record.get("authors_parsed")),
        source=SOURCE,
        source_ref=source_ref,
        abstract=abstract,
        abstract_text=clean_latex(abstract) if abstract else None,
        year=first.year if first else None,
        date=first.isoformat() if first else None,
        date_precision="day" if first else None,
        doi=(_collapse(record.get("doi")).split() or [None])[0],
        arxiv_id=arxiv_id,
        external_ids={"arxiv": f"{arxiv_id}{latest}"} if latest else {},
        venue=_collapse(record.get("journal-ref")) or None,
        topics=category_topics(_collapse(record.get("categories")).split()),
    )


def _authors(parsed: Any) -> tuple[AuthorRef, ...]:
    """``[["Balázs", "C.", ""], ["Mishchenko", "A. S.", "", "1 and 2"]]`` -> C. Balázs, A. S. Mishchenko."""
    if not isinstance(parsed, list):
        raise _BadRecord("authors_parsed is not a list")
    authors = []
    for position, parts in enumerate(parsed, start=1):
        if not isinstance(parts, list) or len(parts) < 2 or not all(isinstance(part, str) for part in parts):
            raise _BadRecord(f"authors_parsed entry {position} is not [last, first, suffix]")
        last, first, suffix = [*parts, ""][:3]
        name = _decode(" ".join(part for part in (first, last, suffix) if part.strip()))
        extra = _collapse(parts[3]) if len(parts) > 3 else ""
        affiliation = None if _MARKERS_ONLY.fullmatch(extra) else _decode(extra)
        authors.append(AuthorRef(name=name, position=position, affiliation=affiliation))
    return tuple(authors)


def _versions(versions: Any) -> tuple[date | None, str | None]:
    """The first version's day and the latest version's label (``v2``); (None, None) when none are listed."""
    if not versions:
        return None, None
    if not isinstance(versions, list) or not all(isinstance(item, dict) for item in versions):
        raise _BadRecord("versions is not a list of {version, created}")
    created = versions[0].get("created")
    try:
        first = parsedate_to_datetime(created if isinstance(created, str) else "").date()
    except (TypeError, ValueError, OverflowError) as err:  # a year of 20 digits overflows
        raise _BadRecord(f"first version date is not an RFC 2822 date: {created!r}") from err
    latest = versions[-1].get("version")
    return first, (latest if isinstance(latest, str) and latest else None)


def _collapse(value: Any) -> str:
    """A string with hard line breaks and runs of spaces collapsed; anything else (``null``) is empty."""
    return collapse_spaces(value) if isinstance(value, str) else ""


def _decode(text: str) -> str:
    """LaTeX accents and braces made plain text; text without LaTeX is only collapsed."""
    return clean_latex(text) if "\\" in text or "{" in text else _collapse(text)
