"""Read Crossref REST API works: ``/works/{doi}``, ``/works?...`` lists, and JSON Lines of work objects.

Accepted layouts: the API envelope ``{"status", "message-type": "work" | "work-list", "message"}`` (one work, or
``message.items``), a bare ``{"items": [...]}`` chunk or list of works, and JSON Lines with one work per line
(gzip is unpacked by :func:`loaders.read_file`). The API's plain-text 404 body ``Resource not found.`` and
envelopes of other message types (``member-list``...) are an :class:`~graph.errors.InputError`.

Notes
-----
- Authors keep the byline order of ``author`` (positions from 1), except that the one marked
  ``sequence: "first"`` comes first. The name is ``given family suffix``; an organisation author (only
  ``name``) is one author with that name. An entry whose name has no letter or digit (or no name at all) is
  left out with a :class:`~loaders.Note`; the work keeps its other authors and is marked ``authors_truncated``.
  ``editor`` lists are not authors: a work with no author left (a PLOS figure's component DOI) is noted and not
  loaded; one without a title loads, keyed by its DOI (:func:`~loaders.result.screened`).
- ``ORCID`` (``http(s)://orcid.org/...``) becomes ``ids["orcid"]`` as the bare iD; affiliation names are joined
  with ``"; "``.
- ``abstract`` keeps Crossref's JATS XML; ``abstract_text`` is its text (:func:`loaders.markup.strip_markup`).
  Titles and venues lose their inline markup (``<i>``, ``<scp>``, MathML) the same way.
- The date is the first of ``issued``, ``published-print``, ``published-online``, ``published`` that has a
  year (``[[null]]`` does not), with ``date_precision`` ``"year"``, ``"month"`` or ``"day"``.
- ``type`` is the ``kind``, ``is-referenced-by-count`` the citations, ``subject`` the Topics
  (kind ``crossref_subject``), the first ``container-title`` the venue; DOIs are lower-cased.
- ``source_ref`` is ``<file name>:<n>``: the line for JSON Lines, else the work's 1-based position in the list.

Optional fields of an unexpected JSON type read as absent. The helpers :func:`as_dict`, :func:`as_list`,
:func:`normalize_doi`, :func:`partial_date`, :func:`stripped`, :func:`topic` and :class:`BadRecord` are
shared with the Semantic Scholar and ORCID loaders.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graph.errors import InputError
from graph.model import AuthorRef, Paper, TopicRef, name_key
from loaders.jsonio import first_json_value, read_json
from loaders.markup import strip_markup
from loaders.result import LoadResult, Problem, has_name, screened

__all__ = [
    "ORCID_ID",
    "BadRecord",
    "as_dict",
    "as_list",
    "count",
    "normalize_doi",
    "parse",
    "partial_date",
    "sniff",
    "stripped",
    "topic",
]

SOURCE = "crossref"
NOT_FOUND = "Resource not found."
ORCID_ID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")
_WORK_TYPES = ("work", "work-list")
_WORK_KEYS = ("is-referenced-by-count", "reference-count")
_DATE_FIELDS = ("issued", "published-print", "published-online", "published")
_PRECISIONS = ("year", "month", "day")
_DATE_PART = re.compile(r"[0-9]{1,4}")
_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?\s*(10\.\S+)$", re.IGNORECASE)
_EXCERPT_CHARS = 120


class BadRecord(Exception):
    """A record that cannot be read: becomes a :class:`~loaders.Problem` at its number, with an excerpt."""

    def __init__(self, message: str, record: Any):
        super().__init__(message)
        self.excerpt = json.dumps(record, ensure_ascii=False)[:_EXCERPT_CHARS]

    def problem(self, path: str, number: int) -> Problem:
        return Problem(path=path, line=number, message=str(self), excerpt=self.excerpt)


def sniff(text: str) -> bool:
    """A Crossref envelope, a work (``DOI`` and ``is-referenced-by-count``), a list of works, or the 404 body."""
    if text.strip() == NOT_FOUND:
        return True
    first = first_json_value(text)
    if isinstance(first, list):
        first = first[0] if first else None
    if not isinstance(first, dict):
        return False
    return ("message-type" in first and "message" in first) or _is_work(first)


def parse(text: str, path: str, *, as_of: datetime.date) -> LoadResult:
    """One :class:`Paper` per work (``as_of`` is unused: Crossref dates carry years).

    Raises
    ------
    InputError
        The text is Crossref's 404 body, an envelope that holds no works, or neither JSON nor JSON Lines.
    """
    if text.strip() == NOT_FOUND:
        hint = "the file is an error body saved from a failed request; fetch the work again with a valid DOI"
        raise InputError("Crossref answered 'Resource not found.' (HTTP 404): no work to read", path, hint=hint)
    values, problems = read_json(text, path)
    unreadable_lines = len(problems)
    works = list(enumerate(_works_in(values[0][1], path), start=1)) if len(values) == 1 else values
    result = LoadResult(path, SOURCE, [], [], problems, len(works) + unreadable_lines)
    file_name = Path(path).name
    for number, work in works:
        try:
            paper = _paper(work, f"{file_name}:{number}")
        except BadRecord as bad:
            problems.append(bad.problem(path, number))
            continue
        result.add(screened(paper, path, number))
    problems.sort(key=lambda problem: problem.line)
    return result


def _is_work(value: Any) -> bool:
    return isinstance(value, dict) and "DOI" in value and any(key in value for key in _WORK_KEYS)


def _works_in(document: Any, path: str) -> list[Any]:
    """The works in one JSON document: an envelope's message or items, an ``items`` chunk, a list, or a work."""
    if isinstance(document, dict) and "message-type" in document:
        kind = document["message-type"]
        if kind not in _WORK_TYPES:
            raise InputError(f"a Crossref {kind!r} response holds no works (expected 'work' or 'work-list')", path)
        message = as_dict(document.get("message"))
        return [message] if kind == "work" else _list(message.get("items"), "message.items", path)
    if isinstance(document, dict) and "items" in document:
        return _list(document["items"], "items", path)
    return document if isinstance(document, list) else [document]


def _list(value: Any, where: str, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise InputError(f"{where} is not a list of works", path)
    return value


def _paper(work: Any, source_ref: str) -> Paper:
    """One paper from a work, nameless authors included (marking it truncated); raises BadRecord for a bad work."""
    if not isinstance(work, dict):
        raise BadRecord("work is not a JSON object", work)
    doi = normalize_doi(work.get("DOI"))
    if doi is None:
        raise BadRecord(f"work without a DOI: {str(work.get('DOI'))[:60]!r}", work)
    year, date, precision = _issued(work)
    authors = _authors(work.get("author"), work)
    abstract = stripped(work.get("abstract"))
    return Paper(
        title=strip_markup(_first(work.get("title")) or ""),
        authors=authors,
        source=SOURCE,
        source_ref=source_ref,
        abstract=abstract,
        abstract_text=strip_markup(abstract) if abstract else None,
        year=year,
        date=date,
        date_precision=precision,
        doi=doi,
        venue=strip_markup(_first(work.get("container-title")) or "") or None,
        kind=stripped(work.get("type")),
        citations=count(work.get("is-referenced-by-count")),
        authors_truncated=not all(has_name(author.name) for author in authors),
        topics=tuple(
            topic("crossref_subject", subject) for subject in as_list(work.get("subject")) if stripped(subject)
        ),
    )


def _authors(entries: Any, work: dict[str, Any]) -> tuple[AuthorRef, ...]:
    """Authors in byline order (the ``sequence: "first"`` one first); an entry that names nobody is named ``""``."""
    if entries is None:
        return ()
    if not isinstance(entries, list):
        raise BadRecord("author is not a list", work)
    ordered = sorted(entries, key=lambda entry: not _is_first(entry))
    return tuple(
        AuthorRef(name=_author_name(entry), position=position, ids=_orcid(entry), affiliation=_affiliation(entry))
        if isinstance(entry, dict)
        else AuthorRef(name="", position=position)
        for position, entry in enumerate(ordered, start=1)
    )


def _is_first(entry: Any) -> bool:
    return isinstance(entry, dict) and entry.get("sequence") == "first"


def _author_name(entry: dict[str, Any]) -> str:
    """``given family suffix``, or an organisation's ``name``; ``""`` when the entry has neither."""
    parts = (entry.get("given"), entry.get("family"), entry.get("suffix"))
    return " ".join(text for text in map(stripped, parts) if text) or stripped(entry.get("name")) or ""


def _orcid(entry: dict[str, Any]) -> dict[str, str]:
    match = ORCID_ID.search(str(entry.get("ORCID") or ""))
    return {"orcid": match[0]} if match else {}


def _affiliation(entry: dict[str, Any]) -> str | None:
    names = [stripped(item.get("name")) for item in as_list(entry.get("affiliation")) if isinstance(item, dict)]
    return "; ".join(name for name in names if name) or None


def _issued(work: dict[str, Any]) -> tuple[int | None, str | None, str | None]:
    """Year, date and precision from the first date field that has a year."""
    for field in _DATE_FIELDS:
        value = work.get(field)
        parts = value.get("date-parts") if isinstance(value, dict) else None
        if isinstance(parts, list) and parts and isinstance(parts[0], list):
            found = partial_date(parts[0])
            if found[0] is not None:
                return found
    return None, None, None


def _first(value: Any) -> str | None:
    """The first non-blank string of a Crossref list field (or the field itself when it is a string)."""
    items = value if isinstance(value, list) else [value]
    return next((text for text in map(stripped, items) if text), None)


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one: a field of an unexpected type reads as absent."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """``value`` when it is a JSON array, else an empty one: a field of an unexpected type reads as absent."""
    return value if isinstance(value, list) else []


def stripped(value: Any) -> str | None:
    """A string without surrounding space; None for a blank string or a non-string."""
    return value.strip() or None if isinstance(value, str) else None


def count(value: Any) -> int | None:
    """A JSON count: an int (not a bool), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def normalize_doi(value: Any) -> str | None:
    """A bare, lower-cased DOI from ``10.x/y``, ``doi:10.x/y`` or a ``doi.org`` URL; None when it is not a DOI.

    >>> normalize_doi("https://doi.org/10.1093/MIND/LIX.236.433")
    '10.1093/mind/lix.236.433'
    """
    match = _DOI.match(value.strip()) if isinstance(value, str) else None
    return match[1].lower() if match else None


def partial_date(parts: Sequence[Any]) -> tuple[int | None, str | None, str | None]:
    """``(year, date, precision)`` from year, month, day parts (ints or digit strings; missing parts may be None).

    Parts after the first missing or impossible one are dropped.

    >>> partial_date([2012, 3, 21]), partial_date(["2014", "07", None]), partial_date([None])
    ((2012, '2012-03-21', 'day'), (2014, '2014-07', 'month'), (None, None, None))
    """
    numbers: list[int] = []
    for part in list(parts)[:3]:
        if isinstance(part, bool) or not isinstance(part, int | str) or not _DATE_PART.fullmatch(str(part).strip()):
            break
        numbers.append(int(part))
    while numbers and not _valid_day(numbers):
        numbers.pop()
    if not numbers:
        return None, None, None
    date = "-".join([f"{numbers[0]:04d}", *(f"{number:02d}" for number in numbers[1:])])
    return numbers[0], date, _PRECISIONS[len(numbers) - 1]


def _valid_day(numbers: list[int]) -> bool:
    try:
        datetime.date(*numbers, *[1] * (3 - len(numbers)))
    except ValueError:
        return False
    return True


def topic(kind: str, name: str) -> TopicRef:
    """The Topic ``<kind>:<folded-name>`` for a source's subject or field name.

    >>> topic("crossref_subject", "General Medicine").id
    'crossref_subject:general-medicine'
    """
    name = name.strip()
    return TopicRef(id=f"{kind}:{'-'.join(name_key(name).split())}", name=name, kind=kind)
