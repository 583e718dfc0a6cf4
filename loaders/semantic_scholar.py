"""Read Semantic Scholar Academic Graph API responses (``api.semanticscholar.org/graph/v1``).

Accepted: a paper (``/paper/{id}``, with its ``citations``); a batch (``POST /paper/batch`` or ``/author/batch``:
a list aligned with the requested ids, ``null`` where an id was not found); a search or list page
(``{offset, data: [...]}``, where the ``citingPaper`` / ``citedPaper`` wrappers of the citation endpoints are
unwrapped); an author with ``papers``; and JSON Lines with one paper per line.

Notes
-----
- Records are numbered from 1 in reading order: the paper or author at the top of the file, then its
  ``citations`` or ``papers``; in a list, position + 1; in JSON Lines, the line. ``source_ref`` is
  ``<file name>:<n>`` and a :class:`~loaders.Problem`'s ``line`` is that n; a ``null`` batch element is a
  Problem that also names its 0-based index.
- A paper's ``references`` are not loaded: they are the bibliography of the paper at the top, not records the
  request asked for, and the reference lists seen hold unresolved citation strings without authors.
- A paper without a title, DOI or arXiv id (a ``fields=authors`` batch) is keyed by its ``paperId``
  (``graph.model.paper_key``). An author whose name has no letter or digit (or none) is left out with a
  :class:`~loaders.Note`, and a paper with no author left is noted and not loaded
  (:func:`~loaders.result.screened`); an author record without a name is a Problem.
- Titles and venues lose their inline HTML (``<i>``, ``&amp;``: :func:`~loaders.markup.strip_markup`).
- ``externalIds``: ``DOI`` (lower-cased) and ``ArXiv`` become ``doi`` and ``arxiv_id``; the others
  ``external_ids`` (``dblp``, ``mag``, ``pmid``, ``pmcid``, ``acl``, ``s2_corpus``), with ``paperId`` as ``s2``.
- Authors: ``authorId`` becomes ``ids["s2"]`` (a ``null`` one is left out and the author kept by name);
  ``externalIds.ORCID`` ``ids["orcid"]``, the first ``externalIds.DBLP`` name ``ids["dblp"]``.
- ``fieldsOfStudy`` and ``s2FieldsOfStudy`` categories are Topics of kind ``s2_field``. ``publicationTypes``
  gives ``kind``: the container type when listed (``JournalArticle`` -> ``journal-article``, ``Conference`` ->
  ``proceedings-article``, ``Book``, ``BookSection`` -> ``book-chapter``, ``Dataset``, Crossref's words), else
  the first type, kebab-cased (``Review`` -> ``review``). ``venue``, else the journal's name, is the venue.
- ``publicationDate`` gives a day (``date_precision="day"``), else ``year`` a year.
- Author records (author search, author batch, ``/paper/{id}/authors``, the author of an author-with-papers)
  become :class:`~graph.model.AuthorProfile` s with their ``paperCount``, ``citationCount`` and ``hIndex`` as
  the metrics ``papers``, ``citations`` and ``h_index``.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from graph.errors import InputError
from graph.model import AuthorProfile, AuthorRef, Paper, TopicRef, listed_once
from loaders.crossref import (
    ORCID_ID,
    BadRecord,
    as_dict,
    as_list,
    count,
    normalize_doi,
    partial_date,
    stripped,
    topic,
)
from loaders.jsonio import first_json_value, read_json
from loaders.markup import strip_markup
from loaders.result import LoadResult, has_name, screened

__all__ = ["parse", "sniff"]

SOURCE = "semantic_scholar"
_WRAPPERS = ("citingPaper", "citedPaper")
_EXTERNAL_IDS = {"DBLP": "dblp", "MAG": "mag", "PubMed": "pmid", "PubMedCentral": "pmcid", "CorpusId": "s2_corpus"}
_CONTAINER_KINDS = {
    "JournalArticle": "journal-article",
    "Conference": "proceedings-article",
    "Book": "book",
    "BookSection": "book-chapter",
    "Dataset": "dataset",
}
_METRICS = {"paperCount": "papers", "citationCount": "citations", "hIndex": "h_index"}
_CAMEL_HUMPS = re.compile(r"(?<=[a-z])(?=[A-Z])")


def sniff(text: str) -> bool:
    """Whether the first record (of a list, a ``data`` page, or the document) has a ``paperId`` or ``authorId``."""
    return _is_record(_first_record(first_json_value(text)))


def parse(text: str, path: str, *, as_of: datetime.date) -> LoadResult:
    """Papers and author profiles from one response (``as_of`` is unused: dates carry years).

    Raises
    ------
    InputError
        The text is not JSON, or not a paper, author, batch or list response.
    """
    values, problems = read_json(text, path)
    unreadable_lines = len(problems)
    records = list(enumerate(_records(values[0][1], path), start=1)) if len(values) == 1 else values
    result = LoadResult(path=path, format=SOURCE, papers=[], profiles=[], problems=problems, records_read=0)
    for number, record in records:
        try:
            _add(result, _unwrap(record), path, number)
        except BadRecord as bad:
            problems.append(bad.problem(path, number))
    problems.sort(key=lambda problem: problem.line)
    result.records_read = len(records) + unreadable_lines
    return result


def _first_record(value: Any) -> Any:
    if isinstance(value, dict) and isinstance(value.get("data"), list):
        value = value["data"]
    if isinstance(value, list):
        value = next((item for item in value if item is not None), None)
    return _unwrap(value)


def _is_record(value: Any) -> bool:
    return isinstance(value, dict) and ("paperId" in value or "authorId" in value)


def _unwrap(value: Any) -> Any:
    """The paper inside a ``{"citingPaper": {...}}`` item of the citation endpoints, else the value itself."""
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _WRAPPERS:
        return next(iter(value.values()))
    return value


def _records(document: Any, path: str) -> list[Any]:
    """A document's records in reading order: a list's or page's items, or the top record and its children."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        return document["data"]
    if isinstance(document, dict) and "paperId" in document:
        return [document, *as_list(document.get("citations"))]
    if isinstance(document, dict) and "authorId" in document:
        return [document, *as_list(document.get("papers"))]
    raise InputError("not a Semantic Scholar paper, author, batch or list response", path)


def _add(result: LoadResult, record: Any, path: str, number: int) -> None:
    """Append the record's Paper as screened (:func:`~loaders.result.screened`: Notes for what is left out) or
    AuthorProfile; raises BadRecord for a null or unreadable record."""
    if record is None:
        raise BadRecord(f"null batch element: the requested id was not found (index {number - 1})", record)
    if not _is_record(record):
        raise BadRecord("record has neither a paperId nor an authorId", record)
    source_ref = f"{Path(path).name}:{number}"
    if "paperId" in record:
        result.add(screened(_paper(record, source_ref), path, number))
    else:
        result.profiles.append(_profile(record, source_ref))


def _paper(record: dict[str, Any], source_ref: str) -> Paper:
    ids = as_dict(record.get("externalIds"))
    doi, arxiv_id, title = normalize_doi(ids.get("DOI")), stripped(ids.get("ArXiv")), stripped(record.get("title"))
    year, date, precision = _date(record)
    abstract = stripped(record.get("abstract"))
    return Paper(
        title=strip_markup(title or ""),
        authors=_authors(record),
        source=SOURCE,
        source_ref=source_ref,
        abstract=abstract,
        abstract_text=abstract,
        year=year,
        date=date,
        date_precision=precision,
        doi=doi,
        arxiv_id=arxiv_id,
        external_ids=_external_ids(record),
        venue=_venue(record),
        kind=_kind(record.get("publicationTypes")),
        citations=count(record.get("citationCount")),
        topics=_topics(record),
    )


def _venue(record: dict[str, Any]) -> str | None:
    """``venue``, else the journal's name, as plain text."""
    venue = stripped(record.get("venue")) or stripped(as_dict(record.get("journal")).get("name"))
    return (strip_markup(venue) or None) if venue else None


def _authors(record: dict[str, Any]) -> tuple[AuthorRef, ...]:
    authors = []
    for position, author in enumerate(as_list(record.get("authors")), start=1):
        if not isinstance(author, dict):
            raise BadRecord(f"author[{position - 1}] is not an object", record.get("authors"))
        name = stripped(author.get("name")) or ""
        authors.append(AuthorRef(name=name, position=position, ids=_author_ids(author)))
    return listed_once(authors)


def _author_ids(author: dict[str, Any]) -> dict[str, str]:
    """``s2`` from ``authorId``; ``orcid`` and the first ``dblp`` name from ``externalIds``, when present."""
    external = as_dict(author.get("externalIds"))
    dblp = external.get("DBLP")
    orcid = ORCID_ID.search(str(external.get("ORCID") or ""))
    found = {
        "s2": author.get("authorId"),
        "orcid": orcid[0] if orcid else None,
        "dblp": dblp[0] if isinstance(dblp, list) and dblp else dblp,
    }
    return {key: str(value).strip() for key, value in found.items() if value and str(value).strip()}


def _profile(record: dict[str, Any], source_ref: str) -> AuthorProfile:
    name = stripped(record.get("name"))
    if not has_name(name):
        raise BadRecord("author record without a name with a letter or digit", record)
    metrics = {key: record[field] for field, key in _METRICS.items() if count(record.get(field)) is not None}
    return AuthorProfile(name=name, source=SOURCE, source_ref=source_ref, ids=_author_ids(record), metrics=metrics)


def _external_ids(record: dict[str, Any]) -> dict[str, str]:
    found = {"s2": record.get("paperId")}
    for kind, value in as_dict(record.get("externalIds")).items():
        if kind not in ("DOI", "ArXiv"):
            found[_EXTERNAL_IDS.get(kind, kind.lower())] = value
    return {kind: str(value) for kind, value in found.items() if value not in (None, "")}


def _date(record: dict[str, Any]) -> tuple[int | None, str | None, str | None]:
    day = stripped(record.get("publicationDate"))
    return partial_date(day.split("-") if day else [record.get("year")])


def _kind(types: Any) -> str | None:
    """The container type in Crossref's words when listed, else the first type kebab-cased."""
    names = [name for name in map(stripped, as_list(types)) if name]
    if not names:
        return None
    container = next((_CONTAINER_KINDS[name] for name in names if name in _CONTAINER_KINDS), None)
    return container or _CAMEL_HUMPS.sub("-", names[0]).lower()


def _topics(record: dict[str, Any]) -> tuple[TopicRef, ...]:
    names = as_list(record.get("fieldsOfStudy"))
    names += [field.get("category") for field in as_list(record.get("s2FieldsOfStudy")) if isinstance(field, dict)]
    topics = {found.id: found for found in (topic("s2_field", name) for name in names if stripped(name))}
    return tuple(topics.values())
