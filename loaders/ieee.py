"""Read an IEEE Xplore CSV export into papers.

Notes
-----
- ``Authors`` are ``; ``-separated and already first-name-first (``P. Kogge; J. Shalf``).
- ``Author Affiliations`` is ``; ``-separated too, but does not always line up with the authors (one of ten rows
  of the litstudy export has a different count): affiliations are given to authors only when the counts are
  equal, and ``NA`` is no affiliation.
- ``source_ref`` is ``<file name>:<line the row starts on>``; ``external_ids`` holds ``ieee_arnumber`` (from
  ``PDF Link``); ``citations`` is ``Article Citation Count``; ``kind`` comes from ``Document Identifier``
  (``IEEE Conferences`` -> ``inproceedings``, journals and magazines -> ``article``).
"""

from __future__ import annotations

import re
from datetime import date

from graph.model import AuthorRef, Paper
from loaders.result import LoadResult
from loaders.tabular import (
    authors_from,
    clean_doi,
    collect,
    count_from,
    header_of,
    read_table,
    split_list,
    year_from,
)

__all__ = ["parse", "sniff"]

SOURCE = "ieee"
_COLUMNS = {"Document Title", "Authors", "Author Affiliations", "Publication Title"}
_ARNUMBER = re.compile(r"arnumber=(\d+)")
_NO_AFFILIATION = "NA"


def sniff(text: str) -> bool:
    """Whether the header row has IEEE Xplore's columns (``Document Title``, ``Author Affiliations`` ...)."""
    return _COLUMNS.issubset(header_of(text))


def parse(text: str, path: str, *, as_of: date) -> LoadResult:
    """One paper per row (``as_of`` is unused: the export's years are explicit)."""
    rows, problems = read_table(text, path, required=_COLUMNS)
    return collect(path, SOURCE, rows, _paper, problems)


def _paper(row: dict[str, str], source_ref: str) -> Paper:
    abstract = row.get("Abstract", "").strip() or None
    arnumber = _ARNUMBER.search(row.get("PDF Link", ""))
    return Paper(
        title=row["Document Title"].strip(),
        authors=_authors(row),
        source=SOURCE,
        source_ref=source_ref,
        abstract=abstract,
        abstract_text=abstract,
        year=year_from(row.get("Publication Year", "")),
        doi=clean_doi(row.get("DOI", "")),
        external_ids={"ieee_arnumber": arnumber[1]} if arnumber else {},
        venue=row["Publication Title"].strip() or None,
        kind=_kind(row.get("Document Identifier", "")),
        citations=count_from(row.get("Article Citation Count", "")),
    )


def _authors(row: dict[str, str]) -> tuple[AuthorRef, ...]:
    names = split_list(row["Authors"])
    affiliations = [None if text == _NO_AFFILIATION else text for text in split_list(row["Author Affiliations"])]
    return authors_from(names, None, affiliations if len(affiliations) == len(names) else None)


def _kind(identifier: str) -> str | None:
    """``IEEE Conferences`` -> ``inproceedings``; ``IEEE Journals``, ``IBM Journals``, ``IEEE Magazines`` ->
    ``article``; anything else lower-cased."""
    words = identifier.casefold().split()
    if not words:
        return None
    if words[-1] == "conferences":
        return "inproceedings"
    return "article" if words[-1] in {"journals", "magazines"} else "_".join(words)
