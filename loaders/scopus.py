"""Read a Scopus CSV export (both layouts) into papers.

Notes
-----
- The current layout (46 columns) has ``Author full names`` (``Gong, Bin (57321683800); ...``) and
  ``Author(s) ID`` in the order of ``Authors``: names come from the full names, written first-name-first
  (``Bin Gong``), with the Scopus author id in ``ids["scopus"]``.
- The old layout (about 2015, 41 columns) has only ``Authors``, comma-separated ``Surname Initials.``
  (``Yagai T.``), written ``T. Yagai``; a name without trailing initials (``Scandinavian Simvastatin Survival
  Study Group``) stays as it is. ``[No author name available]`` and ``Anon`` are not authors.
- An author's affiliation is their part of ``Authors with affiliations`` (``Hao J., <affiliation>; ...``), found
  by name rather than by position; everything after the name, so several affiliations stay one text.
- Titles lose Scopus' inline markup (``YBa<inf>2</inf>Cu<inf>3</inf>O``: :func:`~loaders.markup.strip_markup`).
- ``source_ref`` is ``<file name>:<line the row starts on>``; ``external_ids`` holds ``scopus_eid``;
  ``citations`` is ``Cited by``.
"""

from __future__ import annotations

import re
from datetime import date

from graph.model import AuthorRef, Paper, name_key
from loaders.markup import strip_markup
from loaders.result import LoadResult
from loaders.tabular import (
    BadRecord,
    authors_from,
    clean_doi,
    collect,
    count_from,
    first_name_first,
    header_of,
    kind_from,
    read_table,
    split_list,
    year_from,
)

__all__ = ["flip_short_name", "parse", "sniff"]

SOURCE = "scopus"
_COLUMNS = {"Authors", "Title", "Year", "Source title", "EID"}
_FULL_NAME = re.compile(r"^(?P<name>.*?)\s*\((?P<id>\d+)\)$")
_SHORT_NAME = re.compile(r"^(?P<surname>.+?)\s+(?P<initials>(?:[^\W\d_]{1,2}\.-?)+)$")
_NO_ABSTRACT = "[No abstract available]"


def sniff(text: str) -> bool:
    """Whether the header row has Scopus' columns (``Authors``, ``Title``, ``Source title``, ``EID`` ...)."""
    return _COLUMNS.issubset(header_of(text))


def parse(text: str, path: str, *, as_of: date) -> LoadResult:
    """One paper per row (``as_of`` is unused: Scopus years are explicit)."""
    rows, problems = read_table(text, path, required=_COLUMNS)
    return collect(path, SOURCE, rows, _paper, problems)


def _paper(row: dict[str, str], source_ref: str) -> Paper:
    abstract = row.get("Abstract", "").strip()
    abstract = None if not abstract or abstract == _NO_ABSTRACT else abstract
    return Paper(
        title=strip_markup(row["Title"]),
        authors=_authors(row),
        source=SOURCE,
        source_ref=source_ref,
        abstract=abstract,
        abstract_text=abstract,
        year=year_from(row["Year"]),
        doi=clean_doi(row.get("DOI", "")),
        external_ids={"scopus_eid": row["EID"].strip()} if row["EID"].strip() else {},
        venue=row["Source title"].strip() or None,
        kind=kind_from(row.get("Document Type", "")),
        citations=count_from(row.get("Cited by", "")),
    )


def _authors(row: dict[str, str]) -> tuple[AuthorRef, ...]:
    """Names (full where the layout has them), Scopus ids and affiliations, in the order of ``Authors``."""
    if "Author full names" not in row:
        short = split_list(row["Authors"], ",")
        return authors_from(
            map(flip_short_name, short), None, _affiliations(short, row.get("Authors with affiliations", ""))
        )
    short, full = split_list(row["Authors"]), split_list(row["Author full names"])
    if len(full) != len(short):
        raise BadRecord(f"{len(short)} names in Authors but {len(full)} in Author full names")
    matches = [_FULL_NAME.match(name) for name in full]
    names = [first_name_first(match["name"] if match else name) for match, name in zip(matches, full, strict=True)]
    ids = [{"scopus": match["id"]} if match else {} for match in matches]
    return authors_from(names, ids, _affiliations(short, row.get("Authors with affiliations", "")))


def flip_short_name(name: str) -> str:
    """``Yagai T.`` -> ``T. Yagai``; ``Siu K.-C.`` -> ``K.-C. Siu``; a name without initials unchanged."""
    match = _SHORT_NAME.match(name.strip())
    return f"{match['initials']} {match['surname']}" if match else name.strip()


def _affiliations(names: list[str], text: str) -> list[str | None]:
    """Each name's affiliation: the rest of the first unclaimed ``; ``-part that starts with the name
    (``Hao J., <affiliation>``, or in the old layout ``Yagai, T., <affiliation>``)."""
    parts = split_list(text)
    found: list[str | None] = []
    for name in names:
        claimed = next(((i, rest) for i, part in enumerate(parts) if (rest := _after(name, part)) is not None), None)
        if claimed is None:
            found.append(None)
            continue
        parts[claimed[0]] = ""
        found.append(claimed[1] or None)
    return found


def _after(name: str, part: str) -> str | None:
    """The text after ``name`` at the start of ``part`` (the name in one or two comma pieces), or ``None``."""
    pieces = part.split(", ")
    for size in (1, 2):
        if len(pieces) >= size and name_key(", ".join(pieces[:size])) == name_key(name):
            return ", ".join(pieces[size:]).strip()
    return None
