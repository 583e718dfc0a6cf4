"""Read OpenAlex works: one work object, a list page (``{"meta": ..., "results": [...]}``), or JSON Lines.

The snapshot layout (``data/works/*/part_*.gz``: one API-identical work a line, gzip is unpacked by
:func:`loaders.read_file`) and API answers read alike. An OpenAlex **author** object (``/authors/A...``) is read
too, into an :class:`~graph.model.AuthorProfile` carrying its counts and h-index, so an author file beside the
works loads instead of being refused.

Notes
-----
- Authors follow ``authorships`` in order (positions from 1; ``author_position`` first/middle/last only
  repeats that order). ``ids["openalex"]`` is the short author id (``A5023888391``; absent when OpenAlex has
  not resolved the author), ``ids["orcid"]`` the bare ORCID (``0000-0001-6187-6610``). The affiliation is the
  institutions' display names joined by ``; ``; ``is_corresponding`` becomes ``corresponding``.
- Topics: ``primary_topic`` then ``topics[]``, each under its subfield, field and domain (``openalex_topic`` <
  ``openalex_subfield`` < ``openalex_field`` < ``openalex_domain``, ids such as ``openalex:T10102`` and
  ``openalex:fields/18``). Legacy ``concepts[]`` are kept only where OpenAlex assigned them (score >= 0.3, its
  documented threshold; lower scores are ancestors filled in) and broad (level <= 1): kind
  ``openalex_concept``, no parent.
- ``abstract_inverted_index`` is turned back into text (:func:`invert_abstract`). The DOI loses its
  ``https://doi.org/`` prefix; an arXiv DOI (``10.48550/arXiv.1810.04805``) also gives the ``arxiv_id``.
  The venue is ``primary_location.source.display_name``, ``cited_by_count`` the citations, ``type`` the kind,
  ``external_ids`` is ``{"openalex": "W..."}``, ``is_authors_truncated`` sets ``authors_truncated``.
- ``source_ref`` is ``<file name>:<line>`` for a work on a line of its own and ``<file name>:<line>:<n>`` for
  the n-th result (from 1) of the list page starting on that line.
- Titles and venues lose their inline HTML (``<i>Anopheles</i>``, ``<sup>2</sup>``, ``&amp;``:
  :func:`~loaders.markup.strip_markup`).
- An authorship whose name has no letter or digit (``"_ _"``, or none at all) is left out with a
  :class:`~loaders.Note`; the work keeps its other authors. A work with no author left is noted and not loaded;
  a work without a title loads, keyed by its DOI, else its OpenAlex id (:func:`~loaders.result.screened`).
- An author object without a name, a malformed date or abstract index, or a record that is neither a work nor
  an author is a :class:`~loaders.Problem` at the line of its document (its position in a page is in the
  excerpt), and skipped.
- JSON Lines also reads from a byte stream, one line held at a time (:func:`iter_records`): a big snapshot part
  file streams into the writer (:mod:`loaders.streaming`).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from itertools import chain, repeat
from pathlib import Path
from typing import Any, BinaryIO

from graph.model import AuthorProfile, AuthorRef, Paper, TopicRef, listed_once
from loaders.jsonio import first_json_value, is_json_lines, iter_json, iter_json_lines
from loaders.latex import collapse_spaces
from loaders.markup import strip_markup
from loaders.result import LoadResult, Note, Problem, has_name, screened

__all__ = ["CONCEPT_MAX_LEVEL", "CONCEPT_MIN_SCORE", "invert_abstract", "iter_records", "parse", "sniff", "streams"]

SOURCE = "openalex"
CONCEPT_MIN_SCORE = 0.3
"""OpenAlex assigns a concept at this score; lower scores are ancestors added to assigned concepts."""
CONCEPT_MAX_LEVEL = 1
"""Concepts deeper than this (level 2 to 5) are left out: the Topics already say what a work is about."""

_OPENALEX_URL = "https://openalex.org/"
_WORK_ID = re.compile(r"(?:https://openalex\.org/)?(W\d+)")
_AUTHOR_ID = re.compile(r"(?:https://openalex\.org/)?(A\d+)")
_DOI_URL = re.compile(r"https?://(?:dx\.)?doi\.org/", re.IGNORECASE)
_ORCID_URL = re.compile(r"https?://orcid\.org/", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(.+)", re.IGNORECASE)
_TOPIC_LEVELS = (("domain", "openalex_domain"), ("field", "openalex_field"), ("subfield", "openalex_subfield"))
_AUTHOR_METRICS = ("works_count", "cited_by_count")
_SUMMARY_METRICS = {"h_index": "h_index", "i10_index": "i10_index", "2yr_mean_citedness": "mean_citedness_2yr"}
_EXCERPT_CHARS = 120
_LIST_TYPE = frozenset({list})
_INT_TYPE = frozenset({int})


class _BadRecord(Exception):
    """A work or author that cannot be read: becomes a Problem at its document's line."""


def sniff(text: str) -> bool:
    """Whether the first JSON value is an OpenAlex work, author, or a list page of them."""
    first = first_json_value(text)
    return _is_record(first) or _is_page(first)


def parse(text: str, path: str, *, as_of: date) -> LoadResult:
    """Parse OpenAlex works into :class:`Paper` records and author objects into :class:`AuthorProfile` records.

    ``as_of`` is unused: OpenAlex dates carry their year.

    Raises
    ------
    InputError
        The text is neither JSON nor JSON Lines.
    """
    seen: Counter[str] = Counter()
    result = LoadResult(path=path, format=SOURCE, papers=[], profiles=[], problems=[], records_read=0)
    kept = {Paper: result.papers, Problem: result.problems, Note: result.notes, AuthorProfile: result.profiles}
    # One value at a time: a JSON Lines file is never held decoded.
    for item in _read_values(iter_json(text, path), path, seen):
        kept[type(item)].append(item)
    result.problems.sort(key=lambda problem: problem.line)
    result.notes.sort(key=lambda note: note.line)
    result.records_read = seen.total()
    return result


def streams(head: str) -> bool:
    """Whether an OpenAlex file starting with ``head`` can be read as a stream: it is JSON Lines (a snapshot part
    file, say), not one document such as a list page."""
    return is_json_lines(head)


def iter_records(
    stream: BinaryIO, path: str = "<stream>", *, seen: Counter[str] | None = None
) -> Iterator[Paper | AuthorProfile | Problem | Note]:
    """The records of an OpenAlex JSON Lines byte stream, in file order, one line held at a time: what
    :func:`parse` returns for the same text, as a stream.

    ``seen``, if given, counts every record read (``seen.total()`` is ``records_read``).

    Raises
    ------
    InputError
        A byte that is not UTF-8 (with its byte offset).
    """
    yield from _read_values(iter_json_lines(stream, path), path, Counter() if seen is None else seen)


def _read_values(
    values: Iterator[tuple[int, Any]], path: str, seen: Counter[str]
) -> Iterator[Paper | AuthorProfile | Problem | Note]:
    """Each record of each ``(line, value)`` (a page holds several), parsed and screened (:func:`screened`: Notes
    for what is left out), or a Problem at its line."""
    file_name = Path(path).name
    for line, value in values:
        if isinstance(value, Problem):
            seen["unreadable line"] += 1
            yield value
            continue
        for ref, record in _records(value, f"{file_name}:{line}"):
            seen["record"] += 1
            try:
                parsed = _parse_record(record, ref)
            except _BadRecord as bad:
                yield Problem(path=path, line=line, message=str(bad), excerpt=_excerpt(record, ref))
                continue
            if isinstance(parsed, Paper):
                yield from screened(parsed, path, line)
            else:
                yield parsed


def invert_abstract(index: Any) -> str | None:
    """The abstract text from OpenAlex's ``{word: [positions]}``; ``None`` for ``null`` or an empty index.

    >>> invert_abstract({"world": [1], "Hello": [0], "again": [3], "hello": [2]})
    'Hello world hello again'

    Raises
    ------
    ValueError
        The index is not a mapping of words to lists of non-negative integer positions.
    """
    if not index:
        return None
    if not isinstance(index, dict):
        raise ValueError("abstract_inverted_index is not an object")
    words = _words_by_position(index)
    return " ".join(map(words.__getitem__, sorted(words)))


def _words_by_position(index: dict[Any, Any]) -> dict[int, str]:
    """``{position: word}``, a later word taking a position an earlier one also claims.

    When every value is a list of non-negative ints (nearly always), this is checked and built by C loops, several
    times faster than word by word; otherwise the words are read one by one, and the first malformed one raises.
    """
    lists = index.values()
    if _LIST_TYPE.issuperset(map(type, lists)):
        positions = list(chain.from_iterable(lists))
        # type() rather than isinstance(): JSON true is a bool, which isinstance() would take for a position.
        if _INT_TYPE.issuperset(map(type, positions)) and min(positions, default=0) >= 0:
            return dict(zip(positions, chain.from_iterable(map(repeat, index, map(len, lists))), strict=True))
    words: dict[int, str] = {}
    for word, positions in index.items():
        if not isinstance(positions, list) or any(type(p) is not int or p < 0 for p in positions):
            raise ValueError(f"abstract_inverted_index[{word!r}] is not a list of positions")
        words.update(dict.fromkeys(positions, word))
    return words


def _is_record(value: Any) -> bool:
    """An OpenAlex work (``W`` id with ``authorships``) or author (``A`` id with ``works_count``)."""
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        return False
    return bool(
        (_WORK_ID.fullmatch(value["id"]) and "authorships" in value)
        or (_AUTHOR_ID.fullmatch(value["id"]) and "works_count" in value)
    )


def _is_page(value: Any) -> bool:
    """A list page: ``meta`` and ``results``, whose first result is a work or an author (or OpenAlex's empty page)."""
    if not isinstance(value, dict) or not isinstance(value.get("meta"), dict):
        return False
    results = value.get("results")
    if not isinstance(results, list):
        return False
    return _is_record(results[0]) if results else "db_response_time_ms" in value["meta"]


def _records(value: Any, ref: str) -> list[tuple[str, Any]]:
    """(source_ref, record) for a page's results (``<ref>:<n>``), or for the value itself."""
    if _is_page(value):
        return [(f"{ref}:{number}", record) for number, record in enumerate(value["results"], start=1)]
    return [(ref, value)]


def _parse_record(record: Any, ref: str) -> Paper | AuthorProfile:
    if not _is_record(record):
        raise _BadRecord("not an OpenAlex work or author object")
    if _WORK_ID.fullmatch(record["id"]):
        return _parse_work(record, ref)
    return _parse_author(record, ref)


def _parse_work(work: dict[str, Any], ref: str) -> Paper:
    title = strip_markup(_text(work.get("title")) or _text(work.get("display_name")))
    try:
        abstract = invert_abstract(work.get("abstract_inverted_index"))
    except ValueError as err:
        raise _BadRecord(str(err)) from err
    year, day = _publication(work)
    doi = _DOI_URL.sub("", _text(work.get("doi"))) or None
    arxiv = _ARXIV_DOI.fullmatch(doi or "")
    source = _dict(_dict(work.get("primary_location")).get("source"))
    return Paper(
        title=title,
        authors=listed_once(_author(item, n) for n, item in enumerate(_list(work.get("authorships")), start=1)),
        source=SOURCE,
        source_ref=ref,
        abstract=abstract,
        abstract_text=abstract,
        year=year,
        date=day.isoformat() if day else None,
        date_precision="day" if day else ("year" if year else None),
        doi=doi,
        arxiv_id=arxiv[1] if arxiv else None,
        external_ids={"openalex": _WORK_ID.fullmatch(work["id"])[1]},
        venue=strip_markup(_text(source.get("display_name"))) or None,
        kind=_text(work.get("type")) or None,
        citations=_int(work.get("cited_by_count")),
        authors_truncated=work.get("is_authors_truncated") is True,
        topics=_topics(work),
    )


def _author(authorship: Any, position: int) -> AuthorRef:
    """One authorship: the resolved author's name (else the name as printed), ids, institutions, corresponding."""
    authorship = _dict(authorship)
    author = _dict(authorship.get("author"))
    name = _text(author.get("display_name")) or _text(authorship.get("raw_author_name"))
    institutions = [_text(_dict(item).get("display_name")) for item in _list(authorship.get("institutions"))]
    corresponding = authorship.get("is_corresponding")
    return AuthorRef(
        name=name,
        position=position,
        ids=_author_ids(author),
        affiliation="; ".join(dict.fromkeys(name for name in institutions if name)) or None,
        corresponding=corresponding if isinstance(corresponding, bool) else None,
    )


def _author_ids(author: dict[str, Any]) -> dict[str, str]:
    """``{"openalex": "A...", "orcid": "0000-..."}`` with the ids OpenAlex knows."""
    ids = {}
    openalex = _AUTHOR_ID.fullmatch(_text(author.get("id")))
    if openalex:
        ids["openalex"] = openalex[1]
    orcid = _ORCID_URL.sub("", _text(author.get("orcid")))
    if orcid:
        ids["orcid"] = orcid
    return ids


def _parse_author(record: dict[str, Any], ref: str) -> AuthorProfile:
    name = _text(record.get("display_name"))
    if not has_name(name):
        raise _BadRecord("author has no display_name with a letter or digit")
    summary = _dict(record.get("summary_stats"))
    reported = {key: record.get(key) for key in _AUTHOR_METRICS}
    reported.update({ours: summary.get(theirs) for theirs, ours in _SUMMARY_METRICS.items()})
    metrics = {key: value for key, value in reported.items() if _is_number(value)}
    topics = [_topic(item) for item in _list(record.get("topics"))]
    return AuthorProfile(
        name=name,
        source=SOURCE,
        source_ref=ref,
        ids=_author_ids(record),
        metrics=metrics,
        primary_topic=next((topic for topic in topics if topic), None),
    )


def _publication(work: dict[str, Any]) -> tuple[int | None, date | None]:
    """``publication_year`` and ``publication_date`` (``YYYY-MM-DD``), either may be missing."""
    text = _text(work.get("publication_date"))
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError as err:
        raise _BadRecord(f"publication_date is not a YYYY-MM-DD date: {text!r}") from err
    year = _int(work.get("publication_year"))
    return (year if year is not None else (day.year if day else None)), day


def _topics(work: dict[str, Any]) -> tuple[TopicRef, ...]:
    """The primary topic, the other topics (each with its ancestors), then the assigned broad concepts."""
    found = [_topic(work.get("primary_topic"))]
    found += [_topic(item) for item in _list(work.get("topics"))]
    found += [_concept(item) for item in _list(work.get("concepts"))]
    unique: dict[str, TopicRef] = {}
    for topic in found:
        if topic is not None:
            unique.setdefault(topic.id, topic)
    return tuple(unique.values())


def _topic(item: Any) -> TopicRef | None:
    """A topic under its subfield < field < domain chain; ``None`` without an id and a name."""
    item = _dict(item)
    levels = [_dict(item.get(key)) for key, _kind in _TOPIC_LEVELS]
    return _topic_chain(tuple(_id_and_name(level) for level in (*levels, item)))


@functools.lru_cache(maxsize=1 << 14)
def _topic_chain(chain: tuple[tuple[str, str], ...]) -> TopicRef | None:
    """The topic of the (id, name) pairs of its domain, field, subfield and itself, each level's parent the one
    above it that has an id and a name. Cached: a few thousand topics recur across millions of works."""
    parent = None
    for (_key, kind), (key, name) in zip(_TOPIC_LEVELS, chain[:-1], strict=True):
        parent = _node(key, name, kind, parent) or parent
    return _node(*chain[-1], "openalex_topic", parent)


def _concept(item: Any) -> TopicRef | None:
    item = _dict(item)
    level, score = item.get("level"), item.get("score")
    if not (_is_number(level) and _is_number(score)) or level > CONCEPT_MAX_LEVEL or score < CONCEPT_MIN_SCORE:
        return None
    return _node(*_id_and_name(item), "openalex_concept")


def _id_and_name(item: dict[str, Any]) -> tuple[str, str]:
    return _text(item.get("id")), _text(item.get("display_name"))


def _node(key: str, name: str, kind: str, parent: TopicRef | None = None) -> TopicRef | None:
    """``("https://openalex.org/fields/18", name)`` -> ``openalex:fields/18``; ``None`` without an id and a name."""
    if not key or not name:
        return None
    return TopicRef(id=f"openalex:{key.removeprefix(_OPENALEX_URL)}", name=name, kind=kind, parent=parent)


def _excerpt(record: Any, ref: str) -> str:
    """Where a bad record is (``file:line:n``) and its id, for the Problem."""
    record_id = _dict(record).get("id")
    return f"{ref} {record_id}"[:_EXCERPT_CHARS] if record_id else ref


def _text(value: Any) -> str:
    """``value`` with its whitespace collapsed, ``""`` if it is not a string."""
    if not isinstance(value, str):
        return ""
    # Printable text has no whitespace but the ASCII space: with no double, leading or trailing one, nothing to
    # collapse. Nearly every id and name passes this test, which costs a quarter of collapse_spaces.
    if value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " ":
        return value
    return collapse_spaces(value)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
