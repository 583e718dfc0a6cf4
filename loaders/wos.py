"""Read a Web of Science "Tab-delimited" export into papers; :func:`paper_from_tags` serves the plain-text one.

Notes
-----
- The header row holds WoS field tags (``PT AU AF TI SO ... UT``); cells are TAB-separated with no quoting, and
  every data row ends in one extra TAB (dropped). LF and CRLF files read the same.
- Authors are ``AF`` (full names, ``Sun, Zhiwei``) where present, else ``AU`` (``Sun, ZW``), written
  first-name-first (``Zhiwei Sun``). An author's affiliation is the first ``C1`` address that names them
  (``[Sun, Zhiwei; Russell, Thomas P.] Univ Massachusetts ...``); addresses that name nobody are not used.
  Their ORCID comes from ``OI`` (``Sun, Zhiwei/0000-0002-...``), matched by name (``Valeri, Sergio`` also
  matches the one author written ``Valeri, S``).
- ``year`` is ``PY``, else the year of ``EA`` (early access); ``citations`` is ``TC``; ``external_ids`` holds
  ``wos_ut`` (``WOS:000423122600025``); ``kind`` is the first ``DT`` (``Article; Proceedings Paper`` -> article).
- ``source_ref`` is ``<file name>:<line the row starts on>``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from datetime import date
from functools import partial

from graph.model import AuthorRef, Paper, name_key
from graph.names import name_match, parse_person
from loaders.result import LoadResult
from loaders.tabular import (
    Record,
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

__all__ = ["Tags", "paper_from_tags", "parse", "sniff"]

SOURCE = "wos"
Tags = Mapping[str, list[str]]
"""A WoS record: tag -> values (one per author, address ...; a single value for other tags)."""

LIST_TAGS = frozenset({"AU", "AF", "BA", "BF", "BE", "CA", "C1", "CR"})
"""Tags with one value per author, address or reference."""

_COLUMNS = {"PT", "AU", "TI", "SO", "UT"}
_ADDRESS = re.compile(r"\[(?P<names>[^\]]*)\]\s*(?P<address>[^\[;]*)")
_ORCID = re.compile(r"^(?P<name>.+?)/(?P<orcid>\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")


def sniff(text: str) -> bool:
    """Whether the first row is a TAB-separated list of WoS tags starting with ``PT``."""
    header = header_of(text, "\t")
    return header[:1] == ["PT"] and _COLUMNS.issubset(header)


def parse(text: str, path: str, *, as_of: date) -> LoadResult:
    """One paper per row (``as_of`` is unused: WoS years are explicit)."""
    rows, problems = read_table(text, path, delimiter="\t", quoting=csv.QUOTE_NONE, required=_COLUMNS)
    records = [Record(row.line, _tags(row.fields), row.excerpt) for row in rows]
    return collect(path, SOURCE, records, partial(paper_from_tags, source=SOURCE), problems)


def _tags(row: dict[str, str]) -> dict[str, list[str]]:
    """A row as :data:`Tags`: ``AU``, ``AF``... split at ``;``; ``C1`` stays one text of ``[names] address`` items."""
    tags = {tag: [value] if value.strip() else [] for tag, value in row.items()}
    tags.update({tag: split_list(row[tag]) for tag in LIST_TAGS - {"C1"} if tag in row})
    return tags


def paper_from_tags(tags: Tags, source_ref: str, *, source: str) -> Paper:
    """The paper of one WoS record, from either export."""

    def first(tag: str) -> str:
        values = tags.get(tag)
        return values[0].strip() if values else ""

    abstract = first("AB") or None
    return Paper(
        title=first("TI"),
        authors=_authors(tags),
        source=source,
        source_ref=source_ref,
        abstract=abstract,
        abstract_text=abstract,
        year=year_from(first("PY")) or year_from(first("EA")),
        doi=clean_doi(first("DI")),
        external_ids={"wos_ut": first("UT")} if first("UT") else {},
        venue=first("SO") or None,
        kind=kind_from(first("DT")),
        citations=count_from(first("TC")),
    )


def _authors(tags: Tags) -> tuple[AuthorRef, ...]:
    """``AF`` (else ``AU``) first-name-first, with ``C1`` affiliations and ``OI`` ORCIDs matched by name."""
    names = tags.get("AF") or tags.get("AU") or []
    affiliations = _by_name(_address_pairs(tags.get("C1", [])))
    identified = (_ORCID.match(part) for item in tags.get("OI", []) for part in split_list(item))
    orcids = _match_names(names, [(match["name"], match["orcid"]) for match in identified if match])
    return authors_from(
        [first_name_first(name) for name in names],
        [{"orcid": orcid} if orcid else {} for orcid in orcids],
        [affiliations.get(name_key(name)) for name in names],
    )


def _match_names(names: list[str], pairs: list[tuple[str, str]]) -> list[str | None]:
    """The value of ``pairs`` for each author of ``names``: by the same folded name, else by the one author whose
    name may be the same written otherwise (``OI Valeri, Sergio/...`` for ``AU Valeri, S`` in a record without
    ``AF``); an ambiguous name is left out."""
    exact = _by_name(pairs)
    found = [exact.get(name_key(name)) for name in names]
    people = [parse_person(name) for name in names]
    for written, value in pairs:
        if value in found:
            continue
        person = parse_person(written)
        matches = [index for index, other in enumerate(people) if found[index] is None and name_match(person, other)]
        if len(matches) == 1:
            found[matches[0]] = value
    return found


def _address_pairs(addresses: list[str]) -> list[tuple[str, str]]:
    """``[A, B; C, D] Univ X`` -> ``[("A, B", "Univ X"), ("C, D", "Univ X")]``; addresses naming nobody skipped.

    Each item of ``addresses`` is one plain-text ``C1`` line or the whole tab-delimited cell (``[..] X; [..] Y``).
    """
    return [
        (name, match["address"].strip())
        for text in addresses
        for match in _ADDRESS.finditer(text)
        for name in split_list(match["names"])
    ]


def _by_name(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The first value per name key."""
    found: dict[str, str] = {}
    for name, value in pairs:
        found.setdefault(name_key(name), value)
    return found
