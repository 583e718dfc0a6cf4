"""Read a SpringerLink search export (CSV) into papers.

Notes
-----
SpringerLink writes the names of a row's authors with no separator at all (``Araz R. AlievNigar T. Ismayilova``,
``Prof. Rafik A. AlievProf. Dr. Janusz Kacprzyk``). :func:`split_names` cuts the text where a lower-case letter
is directly followed by an upper-case one (``v|N``), except after ``Mc``/``Mac`` (``McDonald``), then drops
honorifics (``Prof.``, ``Dr.``). It is lossy: a name ending in a capital or a period (``DUPONT``, ``Jr.``)
fuses with the next one, and a camel-case surname (``DeVries``, ``LeCun``) is cut in two. On the 18 rows of the
litstudy export it gives the 63 names a reader sees, but treat the authors of this format as a best guess.

The export does not say whether the names of a ``Book`` row are its authors or its editors; they are loaded as
authors. ``source_ref`` is ``<file name>:<line the row starts on>``; there are no citation counts or author ids.
"""

from __future__ import annotations

import re
from datetime import date

from graph.model import Paper
from loaders.result import LoadResult
from loaders.tabular import authors_from, clean_doi, collect, header_of, kind_from, read_table, year_from

__all__ = ["parse", "sniff", "split_names"]

SOURCE = "springer"
_COLUMNS = {"Item Title", "Publication Title", "Item DOI", "Authors", "Content Type"}
_HONORIFICS = re.compile(r"^(?:(?:Prof|Dr|Mr|Mrs|Ms)\.\s*)+")
_PARTICLES = frozenset({"Mc", "Mac"})


def sniff(text: str) -> bool:
    """Whether the header row has SpringerLink's columns (``Item Title``, ``Item DOI``, ``Content Type`` ...)."""
    return _COLUMNS.issubset(header_of(text))


def parse(text: str, path: str, *, as_of: date) -> LoadResult:
    """One paper per row (``as_of`` is unused: the export's years are explicit)."""
    rows, problems = read_table(text, path, required=_COLUMNS)
    return collect(path, SOURCE, rows, _paper, problems)


def split_names(text: str) -> list[str]:
    """Cut SpringerLink's concatenated author names apart (see the module notes for how sure this is).

    >>> split_names("Prof. Rafik A. AlievProf. Dr. Janusz KacprzykMary McDonald")
    ['Rafik A. Aliev', 'Janusz Kacprzyk', 'Mary McDonald']
    """
    names, start = [], 0
    for index in range(1, len(text)):
        if text[index - 1].islower() and text[index].isupper() and not _after_particle(text[start:index]):
            names.append(text[start:index])
            start = index
    names.append(text[start:])
    return [cleaned for name in names if (cleaned := _HONORIFICS.sub("", name.strip()))]


def _after_particle(text: str) -> bool:
    """Whether ``text`` ends in a surname particle such as ``Mc`` that a capital continues (``McDonald``)."""
    return re.split(r"[\s-]", text)[-1] in _PARTICLES


def _paper(row: dict[str, str], source_ref: str) -> Paper:
    return Paper(
        title=row["Item Title"].strip(),
        authors=authors_from(split_names(row["Authors"])),
        source=SOURCE,
        source_ref=source_ref,
        year=year_from(row.get("Publication Year", "")),
        doi=clean_doi(row["Item DOI"]),
        venue=row["Publication Title"].strip() or None,
        kind=kind_from(row["Content Type"]),
    )
