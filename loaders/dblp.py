"""Read dblp.xml (the full 3+ GB dump or any subset of it) as a stream of papers.

The records are the children of ``<dblp>``::

    <inproceedings mdate="2017-06-04" key="conf/icws/MaB05">
      <author>Kevin J. Ma</author>
      <author orcid="0000-0002-9174-0850">Radim Bart&ouml;s 0001</author>
      <title>Performance Impact of <i>Web Service</i> Migration.</title>
      <year>2005</year> <booktitle>ICWS</booktitle> <ee>https://doi.org/10.1109/ICWS.2005.91</ee>
    </inproceedings>

Each record with authors becomes a :class:`~graph.model.Paper`: ``kind`` is the record type, ``external_ids``
holds the dblp ``key``, ``venue`` the ``journal`` or ``booktitle``, ``doi`` and ``arxiv_id`` come from ``ee``
links (``doi.org``, ``arxiv.org``). The title is its text with inline markup (``<i>``, ``<sub>`` ...) flattened
and dblp's closing period dropped. ``source_ref`` is ``<file name>:<line of the record>``.

Notes
-----
- Authors keep document order (positions from 1). dblp tells homonyms apart with a 4-digit suffix
  (``Bing Li 0010``): ``ids["dblp"]`` keeps the full dblp name, the display ``name`` drops the suffix. An
  ``orcid`` attribute becomes ``ids["orcid"]``.
- Records without ``<author>`` (``proceedings`` and ``book`` volumes list ``<editor>`` s) and the non-paper
  records (``www`` home pages, ``person``, ``data``) are counted in ``records_read`` and not loaded: editing a
  volume is not coauthoring it, and a home page's "authors" are one person's name variants. Each record of
  :data:`PAPER_TAGS` without authors is a :class:`~loaders.Note`. An ``<author>`` whose name has no letter or
  digit is left out with a Note, and a record with no author left is noted too (:func:`~loaders.result.screened`).
  A record without a title or with a year that is not a number is a :class:`~loaders.Problem`.
- Entities: dblp.xml uses the ISO-Latin-1 entities that only ``dblp.dtd`` defines (``&eacute;``). The DTD is
  never loaded (the DOCTYPE may name any path, even ``C:\\users\\...``): each named entity that
  :data:`html.entities.name2codepoint` knows is rewritten as a numeric reference while the bytes stream in. An
  unknown entity stays in the text as written (``&foo;``).
- Safety: no network, no DTD, no entity expansion, libxml2's size limits kept (``huge_tree`` off), and a
  DOCTYPE with an internal subset (where an XML bomb or an external entity would be declared; dblp.xml never
  has one) is refused before parsing starts.
- Memory stays flat: each record is dropped from the tree once read.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from html.entities import name2codepoint
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from lxml import etree

from graph.errors import InputError
from graph.model import AuthorRef, Paper
from loaders.result import LoadResult, Note, Problem, screened
from loaders.xml_prolog import refuse_entity_declarations

__all__ = ["PAPER_TAGS", "RECORD_TAGS", "iter_records", "parse", "sniff"]

SOURCE = "dblp"
PAPER_TAGS = ("article", "inproceedings", "incollection", "book", "proceedings", "phdthesis", "mastersthesis")
RECORD_TAGS = (*PAPER_TAGS, "www", "person", "data")
"""Every record type of dblp.dtd (May 2023); only :data:`PAPER_TAGS` can become papers."""

CHUNK_BYTES = 1 << 16
HEAD_BYTES = 1 << 16
_XML_PREDEFINED = {"amp", "lt", "gt", "quot", "apos"}
_NUMERIC_REFS = {
    name.encode(): f"&#{codepoint};".encode()
    for name, codepoint in name2codepoint.items()
    if name not in _XML_PREDEFINED
}
_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{0,31});")
_LONGEST_ENTITY = 34  # "&" + 32 name characters + ";", as _ENTITY allows
_ROOT = re.compile(rb"<dblp[\s>/]")
_SNIFF = re.compile(r"<!DOCTYPE\s+dblp\b|<dblp[\s>/]")
_HOMONYM = re.compile(r"\s+\d{4}$")
_LINK_IDS = re.compile(
    r"https?://(?:(?:dx\.)?doi\.org/(10\..+)|(?:www\.)?arxiv\.org/(?:abs|pdf)/(.+?)(?:\.pdf)?)", re.IGNORECASE
)
"""A ``doi.org`` link (group 1: the DOI) or an ``arxiv.org`` one (group 2: the arXiv id), matched in full."""
_FIELDS = ("title", "year", "journal", "booktitle")
_WANTED = frozenset(("author", "ee", *_FIELDS))
_PAPER_TAG_SET = frozenset(PAPER_TAGS)
_new = object.__new__


def sniff(text: str) -> bool:
    """Whether ``text`` is XML with a ``dblp`` DOCTYPE or root element near the top."""
    head = text[:4096]
    return head.lstrip().startswith("<") and _SNIFF.search(head) is not None


def parse(text: str, path: str, *, as_of: date) -> LoadResult:
    """Parse dblp XML text into papers (``as_of`` is unused: dblp records carry their year).

    Raises
    ------
    InputError
        The text is not well-formed XML (file and line), has no ``<dblp>`` root, or declares entities.
    """
    seen: Counter[str] = Counter()
    result = LoadResult(path=path, format=SOURCE, papers=[], profiles=[], problems=[], records_read=0)
    kept = {Paper: result.papers, Problem: result.problems, Note: result.notes}
    for item in iter_records(io.BytesIO(text.encode("utf-8")), path, encoding="utf-8", seen=seen):
        kept[type(item)].append(item)
    result.records_read = seen.total()
    return result


def iter_records(
    stream: BinaryIO,
    path: str = "<stream>",
    *,
    encoding: str | None = None,
    seen: Counter[str] | None = None,
) -> Iterator[Paper | Problem | Note]:
    """Stream the papers (and problems and notes) of a dblp XML byte stream, in document order, in constant memory.

    Parameters
    ----------
    stream
        The XML bytes (e.g. ``gzip.open("dblp.xml.gz")``); read in chunks of :data:`CHUNK_BYTES`.
    path
        The name used in problems, errors and ``source_ref``.
    encoding
        Overrides the encoding the XML declaration names (``parse`` passes ``"utf-8"`` for decoded text).
    seen
        If given, counts every record read by type (``seen["www"] += 1``), skipped ones included.

    Raises
    ------
    InputError
        Malformed XML (with its line), no ``<dblp>`` root in the first 64 KiB, or a DOCTYPE declaring entities.
    """
    head = stream.read(HEAD_BYTES)
    _refuse_unsafe_prolog(head, path)
    parser = etree.XMLPullParser(
        events=("end",),
        tag=RECORD_TAGS,
        encoding=encoding,
        load_dtd=False,
        no_network=True,
        resolve_entities=False,
        huge_tree=False,
    )
    file_name = Path(path).name
    try:
        for chunk in _numeric_reference_chunks(stream, head):
            parser.feed(chunk)
            yield from _read_events(parser, file_name, path, seen)
        parser.close()
    except etree.XMLSyntaxError as err:
        raise InputError(f"malformed XML: {err.msg}", path=path, line=err.lineno) from err
    yield from _read_events(parser, file_name, path, seen)


def _refuse_unsafe_prolog(head: bytes, path: str) -> None:
    """Raise unless ``head`` has a ``<dblp>`` root and no internal DTD subset before it."""
    if _ROOT.search(head) is None:
        raise InputError(f"not dblp XML: no <dblp> root element in the first {len(head)} bytes", path=path)
    refuse_entity_declarations(head, _ROOT, path, "dblp.xml")


def _numeric_reference_chunks(stream: BinaryIO, head: bytes) -> Iterator[bytes]:
    """The stream's bytes with ``&eacute;``-style entities as ``&#233;``; an entity cut by a chunk end waits."""
    pending = head
    while data := stream.read(CHUNK_BYTES):
        chunk = pending + data
        cut = chunk.rfind(b"&", max(0, len(chunk) - _LONGEST_ENTITY))
        if cut == -1 or b";" in chunk[cut:]:
            cut = len(chunk)
        yield _ENTITY.sub(_numeric_reference, chunk[:cut])
        pending = chunk[cut:]
    yield _ENTITY.sub(_numeric_reference, pending)


def _numeric_reference(match: re.Match[bytes]) -> bytes:
    return _NUMERIC_REFS.get(match[1], match[0])


def _read_events(
    parser: etree.XMLPullParser, file_name: str, path: str, seen: Counter[str] | None
) -> Iterator[Paper | Problem | Note]:
    """The records the parser has completed so far, each removed from the tree once read."""
    for _, element in parser.read_events():
        tag = element.tag
        if seen is not None:
            seen[tag] += 1
        if tag in _PAPER_TAG_SET:
            yield from _read_record(element, tag, file_name, path)
        _drop(element)


def _drop(element: etree._Element) -> None:
    """Free a finished record and everything before it, so the tree never grows."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _read_record(element: etree._Element, tag: str, file_name: str, path: str) -> tuple[Paper | Problem | Note, ...]:
    """A paper (and a note per author left out), a problem, or a note for a record without authors."""
    names, orcids, fields, links = _children(element)
    line = element.sourceline or 0
    key = element.get("key", "")
    if not names:
        return (Note(path=path, line=line, message=f"{tag} {key!r} has no <author>: not a paper"),)
    title, year = fields.get("title", "").removesuffix("."), fields.get("year")
    problem = _check_fields(title, year)
    if problem:
        return (Problem(path=path, line=line, message=f"{tag} {key!r}: {problem}", excerpt=key),)
    doi, arxiv_id = _link_ids(links)
    paper = _new(Paper)  # Paper(...), built as _author_refs explains
    state = paper.__dict__
    state["title"] = title
    state["authors"] = _author_refs(names, orcids)
    state["source"] = SOURCE
    state["source_ref"] = f"{file_name}:{line}"
    state["abstract"] = state["abstract_text"] = None
    state["year"] = int(year) if year else None
    state["date"] = state["date_precision"] = None
    state["doi"], state["arxiv_id"] = doi, arxiv_id
    state["external_ids"] = {"dblp": key} if key else {}
    state["venue"] = fields.get("journal") or fields.get("booktitle") or None
    state["kind"] = tag
    state["citations"], state["authors_truncated"], state["topics"] = None, False, ()
    return tuple(screened(paper, path, line))


def _children(element: etree._Element) -> tuple[list[str], list[str | None], dict[str, str], list[str]]:
    """In one pass: the authors' dblp names and ORCIDs, the first of each :data:`_FIELDS`, and the ``ee`` links.

    Each text has inline markup (``<i>``, ``<sub>``) flattened and whitespace collapsed. This loop runs for every
    child of every record, so it is written flat: a plain iteration skipping unwanted tags is faster than
    ``iterchildren(tags)``, and a call per child costs more than the work it would wrap.
    """
    names: list[str] = []
    orcids: list[str | None] = []
    fields: dict[str, str] = {}
    links: list[str] = []
    for child in element:
        tag = child.tag  # a comment's or an entity reference's tag is a function: never wanted
        if tag not in _WANTED:
            continue
        text = " ".join(("".join(child.itertext()) if len(child) else child.text or "").split())
        if tag == "author":
            names.append(text)
            orcids.append(child.get("orcid"))
        elif tag == "ee":
            links.append(text)
        elif tag not in fields:
            fields[tag] = text
    return names, orcids, fields, links


def _check_fields(title: str, year: str | None) -> str | None:
    """Why a record with authors cannot be a paper (``title`` without its closing period), or ``None``."""
    if not title:
        return "record has no title"
    if year and not (len(year) == 4 and year.isdecimal()):  # exactly what \d{4} matches
        return f"year {year!r} is not a 4-digit number"
    return None


def _author_refs(names: list[str], orcids: list[str | None]) -> tuple[AuthorRef, ...]:
    """``"Bing Li 0010"`` -> name ``Bing Li`` with ``ids`` ``{"dblp": "Bing Li 0010", "orcid": ...}``, in order.

    Each is ``AuthorRef(name, position, ids)`` made without its ``__init__``: a frozen dataclass's ``__init__`` sets
    each field through ``object.__setattr__``, which took a fifth of the loader's time. The fields are stored in the
    instance's ``__dict__`` one by one instead, in field order, which keeps the key table shared (an AuthorRef takes
    about 200 bytes, 136 through ``__init__``, 336 with a whole new ``__dict__``). ``test_dblp`` checks that each
    record has exactly its fields and equals its ``dataclasses.replace`` copy, which goes through ``__init__``.
    """
    refs = []
    for position, (dblp_name, orcid) in enumerate(zip(names, orcids, strict=True), start=1):
        ref = _new(AuthorRef)
        state = ref.__dict__
        # the digit test is 10x cheaper than the substitution it spares
        state["name"] = _HOMONYM.sub("", dblp_name) if dblp_name[-1:].isdigit() else dblp_name
        state["position"] = position
        state["ids"] = {"dblp": dblp_name, "orcid": orcid.strip()} if orcid else {"dblp": dblp_name}
        state["affiliation"], state["inferred"], state["corresponding"] = None, False, None
        refs.append(ref)
    return tuple(refs)


def _link_ids(links: list[str]) -> tuple[str | None, str | None]:
    """The DOI (unquoted) and the arXiv id, each from the first ``ee`` link that gives one, in one pass."""
    doi = arxiv_id = None
    for link in links:
        match = _LINK_IDS.fullmatch(link)
        if match is None:
            continue
        if match[1] and doi is None:
            doi = unquote(match[1]) if "%" in match[1] else match[1]  # what unquote returns, without the call
        elif match[2] and arxiv_id is None:
            arxiv_id = match[2]
    return doi, arxiv_id
