"""Read ORCID Public API v3.0 JSON (``pub.orcid.org/v3.0``): works, records, single works, persons, searches.

Accepted responses:

- ``/{orcid}/works``: ``{group: [{work-summary: [...]}], path: "/{orcid}/works"}``; every group is one work.
- ``/{orcid}`` (the full record): its ``activities-summary.works`` read like a works list, plus the owner's
  :class:`~graph.model.AuthorProfile` from ``person``.
- ``/{orcid}/work/{put-code}``: one full work, with its ``contributors``.
- ``/{orcid}/person``: the owner's AuthorProfile (name and iD), no papers.
- ``/search``: only ORCID iDs, nothing to load: no records, and one :class:`~loaders.Problem` that says so.

Notes
-----
- The owner's iD comes from ``path`` (``/0000-0003-1444-9135/works``) or ``orcid-identifier.path``.
- Work summaries list no coauthors. Each work becomes a Paper whose only author is the owner (position 1,
  ``inferred=False``: the owner claims it) with ``authors_truncated=True``. The owner's name is the record's
  ``person`` name, else the name a summary's source gives for the owner's own iD (``source-orcid`` or
  ``assertion-origin-orcid``), else the iD itself.
- A group's summaries are claims of one work from several sources: the first summary with a DOI (else the
  first) gives the title, date, type, venue and external ids.
- A full work's contributors whose role is ``author`` (or unset) are its authors in list order, the one with
  ``contributor-sequence: "first"`` first; ``contributor-orcid`` becomes ``ids["orcid"]``. An owner missing
  from them (by iD) is appended with ``inferred=True``; a work without contributors has the owner alone, as a
  summary does. A contributor whose ``credit-name`` has no letter or digit (or who has none) is left out with a
  :class:`~loaders.Note`.
- External ids whose relationship is ``self``: ``doi`` (lower-cased) and ``arxiv`` (without ``arXiv:``) become
  ``doi`` and ``arxiv_id``; the others ``external_ids`` by type (``pmid``, ``pmc`` as ``pmcid``, ``other_id``...).
- ``type`` is the ``kind`` (the older ``JOURNAL_ARTICLE`` spelling as ``journal-article``), ``publication-date``
  the date with its precision, ``journal-title`` the venue, a full work's ``short-description`` the abstract
  (``abstract_text`` without its markup).
- Titles lose their inline markup (:func:`~loaders.markup.strip_markup`).
- ``source_ref`` is ``<file name>:<n>``, n the group's 1-based position (1 for a single work). A work without a
  title loads when it has a self id (keyed by it); one without either is a Problem at that n
  (:func:`~loaders.result.screened`).
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from graph.errors import InputError
from graph.model import AuthorProfile, AuthorRef, Paper
from loaders.crossref import (
    ORCID_ID,
    BadRecord,
    as_dict,
    as_list,
    normalize_doi,
    partial_date,
    stripped,
)
from loaders.jsonio import first_json_value, read_json
from loaders.markup import strip_markup
from loaders.result import LoadResult, Problem, has_name, screened

__all__ = ["parse", "sniff"]

SOURCE = "orcid"
_OWNER_PATH = re.compile(rf"^/?({ORCID_ID.pattern})(?:/|$)")
_SNIFF_KEYS = ("orcid-identifier", "put-code", "activities-summary")
_ID_KINDS = {"arxiv": "arxiv_id", "pmc": "pmcid"}


def sniff(text: str) -> bool:
    """An object with an ORCID-iD ``path``, an ``orcid-identifier``, a ``put-code``, or search ``result`` iDs."""
    first = first_json_value(text)
    if not isinstance(first, dict):
        return False
    search = "num-found" in first and isinstance(first.get("result"), list | None)
    return search or _owner_of(first) is not None or any(key in first for key in _SNIFF_KEYS)


def parse(text: str, path: str, *, as_of: datetime.date) -> LoadResult:
    """Papers and profiles from one ORCID response (``as_of`` is unused: ORCID dates carry years).

    Raises
    ------
    InputError
        The text is not one JSON object, not an ORCID response of a kind listed above, or names no owner iD.
    """
    values, _ = read_json(text, path)
    if len(values) != 1 or not isinstance(values[0][1], dict):
        raise InputError("expected one ORCID JSON object per file", path)
    document = values[0][1]
    result = LoadResult(path=path, format=SOURCE, papers=[], profiles=[], problems=[], records_read=0)
    if "result" in document and "num-found" in document:
        _add_search(result, document)
        return result
    owner = _owner_of(document)
    if owner is None:
        raise InputError("ORCID response without the owner's iD (no path '/0000-.../...')", path)
    handler = next((handle for key, handle in _HANDLERS if key in document), None)
    if handler is None:
        raise InputError("not an ORCID works list, record, work, person or search response", path)
    handler(result, document, owner)
    return result


def _owner_of(document: dict[str, Any]) -> str | None:
    identifier = as_dict(document.get("orcid-identifier"))
    match = _OWNER_PATH.match(str(document.get("path") or identifier.get("path") or ""))
    return match[1] if match else None


def _add_search(result: LoadResult, document: dict[str, Any]) -> None:
    found = as_list(document.get("result"))
    message = f"ORCID search results hold only iDs, nothing to load: {len(found)} of {document.get('num-found')}"
    excerpt = "fetch /v3.0/{orcid}/works for each iD instead"
    result.problems.append(Problem(path=result.path, line=1, message=message, excerpt=excerpt))
    result.records_read = len(found)


def _add_record(result: LoadResult, document: dict[str, Any], owner: str) -> None:
    groups = as_list(as_dict(as_dict(document.get("activities-summary")).get("works")).get("group"))
    name = _person_name(as_dict(document.get("person"))) or _owner_name(groups, owner)
    result.profiles.append(AuthorProfile(name, SOURCE, _ref(result, 1), ids={"orcid": owner}))
    _add_groups(result, groups, owner, name)
    result.records_read += 1


def _add_person(result: LoadResult, document: dict[str, Any], owner: str) -> None:
    name = _person_name(document) or owner
    result.profiles.append(AuthorProfile(name, SOURCE, _ref(result, 1), ids={"orcid": owner}))
    result.records_read = 1


def _add_works(result: LoadResult, document: dict[str, Any], owner: str) -> None:
    groups = as_list(document.get("group"))
    _add_groups(result, groups, owner, _owner_name(groups, owner))


def _add_work(result: LoadResult, document: dict[str, Any], owner: str) -> None:
    result.records_read = 1
    try:
        result.add(screened(_full_work(document, owner, _ref(result, 1)), result.path, 1))
    except BadRecord as bad:
        result.problems.append(bad.problem(result.path, 1))


_HANDLERS = (
    ("activities-summary", _add_record),
    ("group", _add_works),
    ("put-code", _add_work),
    ("name", _add_person),
)


def _add_groups(result: LoadResult, groups: list[Any], owner: str, owner_name: str) -> None:
    """One Paper per group, its only author the owner; a Problem per group that cannot be read."""
    author = AuthorRef(name=owner_name, position=1, ids={"orcid": owner})
    for number, group in enumerate(groups, start=1):
        try:
            summary = _chosen_summary(group)
            paper = _paper(summary, (author,), _ref(result, number), truncated=True)
            result.add(screened(paper, result.path, number))
        except BadRecord as bad:
            result.problems.append(bad.problem(result.path, number))
    result.records_read = len(groups)


def _summaries(group: dict[str, Any]) -> list[dict[str, Any]]:
    return [summary for summary in as_list(group.get("work-summary")) if isinstance(summary, dict)]


def _chosen_summary(group: Any) -> dict[str, Any]:
    """The group's first work summary with a DOI, else its first; raises BadRecord when it has none."""
    summaries = _summaries(group) if isinstance(group, dict) else []
    if not summaries:
        raise BadRecord("works group without a work-summary", group)
    return next((summary for summary in summaries if "doi" in _external_ids(summary)), summaries[0])


def _owner_name(groups: list[Any], owner: str) -> str:
    summaries = [summary for group in groups if isinstance(group, dict) for summary in _summaries(group)]
    return _claimed_name(summaries, owner) or owner


def _claimed_name(works: list[dict[str, Any]], owner: str) -> str | None:
    """The name a work's source gives for the owner's own iD (as source or as assertion origin)."""
    for work in works:
        source = as_dict(work.get("source"))
        for who, name in (("source-orcid", "source-name"), ("assertion-origin-orcid", "assertion-origin-name")):
            claimed = stripped(_value(source.get(name)))
            if as_dict(source.get(who)).get("path") == owner and claimed:
                return claimed
    return None


def _full_work(work: dict[str, Any], owner: str, source_ref: str) -> Paper:
    """A full work's Paper: its author contributors, plus the owner where they are not among them."""
    listed = [entry for entry in _contributors(work) if _is_author(entry)]
    listed.sort(key=lambda entry: _attributes(entry).get("contributor-sequence") != "first")
    authors = [_contributor(entry, position) for position, entry in enumerate(listed, start=1)]
    if owner in {author.ids.get("orcid") for author in authors if has_name(author.name)}:
        return _paper(work, tuple(authors), source_ref, truncated=False)
    name = _claimed_name([work], owner) or owner
    owner_ref = AuthorRef(name, len(authors) + 1, {"orcid": owner}, inferred=bool(authors))
    return _paper(work, (*authors, owner_ref), source_ref, truncated=not authors)


def _contributors(work: dict[str, Any]) -> list[dict[str, Any]]:
    entries = as_list(as_dict(work.get("contributors")).get("contributor"))
    return [entry for entry in entries if isinstance(entry, dict)]


def _attributes(entry: dict[str, Any]) -> dict[str, Any]:
    return as_dict(entry.get("contributor-attributes"))


def _is_author(entry: dict[str, Any]) -> bool:
    role = _attributes(entry).get("contributor-role")
    return role is None or str(role).lower() == "author"


def _contributor(entry: dict[str, Any], position: int) -> AuthorRef:
    name = stripped(_value(entry.get("credit-name"))) or ""
    orcid = ORCID_ID.search(str(as_dict(entry.get("contributor-orcid")).get("path") or ""))
    return AuthorRef(name=name, position=position, ids={"orcid": orcid[0]} if orcid else {})


def _paper(work: dict[str, Any], authors: tuple[AuthorRef, ...], source_ref: str, *, truncated: bool) -> Paper:
    """A Paper from a work summary or full work."""
    ids = _external_ids(work)
    doi, arxiv_id = ids.pop("doi", None), ids.pop("arxiv_id", None)
    title = stripped(_value(as_dict(work.get("title")).get("title")))
    dates = as_dict(work.get("publication-date"))
    year, date, precision = partial_date([_value(dates.get(part)) for part in ("year", "month", "day")])
    description = stripped(work.get("short-description"))
    return Paper(
        title=strip_markup(title or ""),
        authors=authors,
        source=SOURCE,
        source_ref=source_ref,
        abstract=description,
        abstract_text=strip_markup(description) if description else None,
        year=year,
        date=date,
        date_precision=precision,
        doi=doi,
        arxiv_id=arxiv_id,
        external_ids=ids,
        venue=stripped(_value(work.get("journal-title"))),
        kind=(stripped(work.get("type")) or "").lower().replace("_", "-") or None,
        authors_truncated=truncated,
    )


def _external_ids(work: dict[str, Any]) -> dict[str, str]:
    """The work's own ids (relationship ``self``) by kind, the first of each kind; DOIs normalised."""
    found: dict[str, str] = {}
    for entry in as_list(as_dict(work.get("external-ids")).get("external-id")):
        if not isinstance(entry, dict) or str(entry.get("external-id-relationship")).lower() != "self":
            continue
        kind = str(entry.get("external-id-type") or "").lower()
        value = stripped(_value(entry.get("external-id-normalized"))) or stripped(entry.get("external-id-value"))
        if kind == "doi":
            value = normalize_doi(value)
        elif kind == "arxiv" and value:
            value = re.sub(r"^arxiv:", "", value, flags=re.IGNORECASE)
        if kind and value:
            found.setdefault(_ID_KINDS.get(kind, kind.replace("-", "_")), value)
    return found


def _person_name(person: dict[str, Any]) -> str | None:
    """A person section's credit name, else its given and family names."""
    name = as_dict(person.get("name"))
    parts = (stripped(_value(name.get(part))) for part in ("given-names", "family-name"))
    return stripped(_value(name.get("credit-name"))) or " ".join(part for part in parts if part) or None


def _ref(result: LoadResult, number: int) -> str:
    return f"{Path(result.path).name}:{number}"


def _value(wrapped: Any) -> Any:
    """ORCID wraps almost every value as ``{"value": ...}``."""
    return wrapped.get("value") if isinstance(wrapped, dict) else wrapped
