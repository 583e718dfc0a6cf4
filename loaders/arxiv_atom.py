"""Read arXiv API responses: Atom 1.0 feeds of ``export.arxiv.org/api/query``, one :class:`Paper` per entry.

Elements are matched by namespace URI (Atom, ``http://arxiv.org/schemas/atom``), so both serialisations the
API has used parse alike: namespaces declared once on ``<feed>`` (today) or inline on each element (2016).
The XML is parsed by lxml with no DTD loading, no entity expansion and no network access, and a feed whose
DOCTYPE declares entities (an XML bomb, an external entity) is refused before parsing.

Notes
-----
- ``<id>`` is the abstract URL with a version (``http://arxiv.org/abs/1111.2011v2``, old style
  ``http://arxiv.org/abs/astro-ph/0601001v1``): ``arxiv_id`` is the id without version, and the versioned id is
  kept as ``external_ids["arxiv"]``.
- Topics are the primary category first, then the cross-lists, as arXiv's official categories
  (:func:`category_topics`); ACM or MSC classes that share the ``<category>`` element are not topics.
- Authors keep the feed's order; ``<arxiv:affiliation>`` (rare) becomes the affiliation, several joined by ``; ``.
- ``<published>`` (the first version's day) gives ``date`` and ``year`` with ``date_precision="day"``;
  ``<arxiv:doi>`` the DOI; ``<arxiv:journal_ref>`` the venue. Titles and abstracts have their hard line breaks
  collapsed; ``abstract_text`` is the abstract with its LaTeX made readable.
- ``source_ref`` is ``<file name>:<line of the <entry>>``.

Failed and empty requests:

- An **error feed** (what the API answers to a bad request: one entry titled ``Error`` whose id is not an
  abstract URL) is not data: :func:`parse` raises :class:`~graph.errors.InputError` with arXiv's message.
- An **empty feed** is an empty result. When its title shows an ``id_list`` request, each requested id that
  the feed does not contain is a :class:`~loaders.Problem` (arXiv silently leaves out ids it does not know),
  so an empty or short answer to an id request is reported, and refused under ``--strict``.
- An entry without a usable ``<id>``, or with a malformed date, is a Problem and skipped. An author whose name
  has no letter or digit is left out with a :class:`~loaders.Note`; the entry keeps its other authors. An entry
  with no author left is noted and not loaded; one without a title loads, keyed by its arXiv id
  (:func:`~loaders.result.screened`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from graph.errors import InputError
from graph.model import AuthorRef, Paper, TopicRef
from loaders.arxiv_categories import ARCHIVES, lookup_category
from loaders.latex import clean_latex, collapse_spaces
from loaders.result import LoadResult, Problem, screened
from loaders.xml_prolog import refuse_entity_declarations

__all__ = ["category_topics", "parse", "sniff", "split_arxiv_url"]

SOURCE = "arxiv_atom"
ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"
_NS = {"atom": ATOM, "arxiv": ARXIV}

_ABS_URL = re.compile(
    r"https?://(?:export\.)?arxiv\.org/abs/"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Za-z-]+)?/\d{7})(?P<version>v\d+)?"
)
_CATEGORY_TERM = re.compile(r"[a-z-]+(?:\.[A-Za-z-]+)?")
_ID_LIST = re.compile(r"id_list=([^&\s]*)")
_VERSION = re.compile(r"v\d+$")
_FEED_ROOT = re.compile(rb"<feed\b")
_FEED_START = re.compile(r"<feed\b[^>]*\bxmlns=['\"]http://www\.w3\.org/2005/Atom['\"]")
_SNIFF_CHARS = 2048
_EXCERPT_CHARS = 120


class _BadEntry(Exception):
    """An entry that cannot be read: becomes a Problem at the entry's line."""


def sniff(text: str) -> bool:
    """Whether ``text`` starts like an arXiv API answer: an Atom ``<feed>`` that mentions arxiv.org."""
    head = text[:_SNIFF_CHARS]
    return bool(_FEED_START.search(head)) and "arxiv.org/" in head


def parse(text: str, path: str, *, as_of: date) -> LoadResult:
    """Parse an arXiv Atom feed into one :class:`Paper` per entry (``as_of`` is unused: dates carry years).

    Raises
    ------
    InputError
        The text is not well-formed XML or not an Atom feed, or it is arXiv's error feed (with arXiv's message).
    """
    feed = _parse_xml(text, path)
    entries = feed.findall("atom:entry", _NS)
    _refuse_error_feed(entries, path)
    file_name = Path(path).name
    result = LoadResult(path, SOURCE, [], [], [], len(entries))
    for entry in entries:
        try:
            paper = _parse_entry(entry, file_name)
        except _BadEntry as bad:
            excerpt = _text(entry.find("atom:id", _NS)) or _text(entry.find("atom:title", _NS))
            result.problems.append(
                Problem(path=path, line=entry.sourceline, message=str(bad), excerpt=excerpt[:_EXCERPT_CHARS])
            )
            continue
        result.add(screened(paper, path, entry.sourceline))
    result.problems.extend(_missing_ids(feed, entries, path))
    result.problems.sort(key=lambda problem: problem.line)
    return result


def split_arxiv_url(url: str) -> tuple[str, str | None] | None:
    """An abstract URL's arXiv id and version, or ``None`` when ``url`` is not an arXiv abstract URL.

    >>> split_arxiv_url("http://arxiv.org/abs/astro-ph/0601001v1")
    ('astro-ph/0601001', 'v1')
    """
    match = _ABS_URL.fullmatch(url.strip())
    return (match["id"], match["version"]) if match else None


def category_topics(terms: Iterable[str]) -> tuple[TopicRef, ...]:
    """Topics for arXiv category ids in order (primary first), each once; aliases join their canonical topic.

    A retired bare archive (``astro-ph``, ``cond-mat``) is its archive's topic; another retired category
    (``cmp-lg``) keeps its id as its name, with no parent; a term that is no category id (an ACM class
    ``I.2.6``, an MSC class ``68T05``) is left out.

    >>> [topic.id for topic in category_topics(["cs.NA", "math.NA", "astro-ph", "F.2.2"])]
    ['arxiv:math.NA', 'arxiv:astro-ph']
    """
    topics: dict[str, TopicRef] = {}
    for term in terms:
        topic = _category_topic(term.strip())
        if topic is not None:
            topics.setdefault(topic.id, topic)
    return tuple(topics.values())


def _category_topic(term: str) -> TopicRef | None:
    if not _CATEGORY_TERM.fullmatch(term):
        return None
    if term in ARCHIVES:
        return TopicRef(id=f"arxiv:{term}", name=ARCHIVES[term], kind="arxiv_archive")
    return lookup_category(term) or TopicRef(id=f"arxiv:{term}", name=term, kind="arxiv_category")


def _parse_xml(text: str, path: str) -> etree._Element:
    """The root ``<feed>``; the document's own encoding declaration is overridden (the text is decoded)."""
    data = text.encode("utf-8")
    refuse_entity_declarations(data, _FEED_ROOT, path, "the arXiv API")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, encoding="utf-8")
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        raise InputError(f"not well-formed XML: {err.msg}", path=path, line=err.lineno) from err
    if root is None or root.tag != f"{{{ATOM}}}feed":
        raise InputError("not an Atom feed: the root element is not <feed> in the Atom namespace", path=path)
    return root


def _refuse_error_feed(entries: list[etree._Element], path: str) -> None:
    """Raise on arXiv's error answer: an entry titled ``Error`` whose id is no abstract URL."""
    for entry in entries:
        entry_id = _text(entry.find("atom:id", _NS))
        if _text(entry.find("atom:title", _NS)) == "Error" and split_arxiv_url(entry_id) is None:
            message = _text(entry.find("atom:summary", _NS)) or entry_id
            raise InputError(
                f"the feed is an arXiv API error answer, not data: {message}",
                path=path,
                line=entry.sourceline,
                hint="the request that produced this file failed; fix the request and fetch it again",
            )


def _parse_entry(entry: etree._Element, file_name: str) -> Paper:
    """One paper from an ``<entry>``; raises :class:`_BadEntry` when its id or date is unusable."""
    url = _text(entry.find("atom:id", _NS))
    split = split_arxiv_url(url)
    if split is None:
        raise _BadEntry("entry <id> is missing or not an arXiv abstract URL")
    arxiv_id, version = split
    day = _published(entry)
    abstract = _text(entry.find("atom:summary", _NS)) or None
    return Paper(
        title=_text(entry.find("atom:title", _NS)),
        authors=_authors(entry),
        source=SOURCE,
        source_ref=f"{file_name}:{entry.sourceline}",
        abstract=abstract,
        abstract_text=clean_latex(abstract) if abstract else None,
        year=day.year if day else None,
        date=day.isoformat() if day else None,
        date_precision="day" if day else None,
        doi=_first_word(_text(entry.find("arxiv:doi", _NS))),
        arxiv_id=arxiv_id,
        external_ids={"arxiv": f"{arxiv_id}{version}"} if version else {},
        venue=_text(entry.find("arxiv:journal_ref", _NS)) or None,
        topics=category_topics(_category_terms(entry)),
    )


def _authors(entry: etree._Element) -> tuple[AuthorRef, ...]:
    authors = []
    for position, author in enumerate(entry.findall("atom:author", _NS), start=1):
        name = _text(author.find("atom:name", _NS))
        affiliations = [_text(element) for element in author.findall("arxiv:affiliation", _NS)]
        affiliation = "; ".join(text for text in affiliations if text) or None
        authors.append(AuthorRef(name=name, position=position, affiliation=affiliation))
    return tuple(authors)


def _published(entry: etree._Element) -> date | None:
    text = _text(entry.find("atom:published", _NS))
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError as err:
        raise _BadEntry(f"<published> is not an ISO date: {text!r}") from err


def _category_terms(entry: etree._Element) -> list[str]:
    """The primary category's term first, then every ``<category>`` term in the feed's order."""
    primary = entry.find("arxiv:primary_category", _NS)
    terms = [primary.get("term", "")] if primary is not None else []
    return terms + [category.get("term", "") for category in entry.findall("atom:category", _NS)]


def _missing_ids(feed: etree._Element, entries: list[etree._Element], path: str) -> list[Problem]:
    """A Problem for each id an ``id_list`` request (read from the feed title) asked for and did not get."""
    title = feed.find("atom:title", _NS)
    match = _ID_LIST.search(_text(title))
    if title is None or match is None:
        return []
    returned = {split[0] for entry in entries if (split := split_arxiv_url(_text(entry.find("atom:id", _NS))))}
    requested = [item.strip() for item in unquote(match[1]).split(",") if item.strip()]
    return [
        Problem(
            path=path,
            line=title.sourceline,
            message="requested id is not in the feed (arXiv leaves out ids it does not know)",
            excerpt=item,
        )
        for item in requested
        if _VERSION.sub("", item) not in returned
    ]


def _text(element: etree._Element | None) -> str:
    """An element's text with runs of whitespace collapsed; entity references stay unexpanded."""
    if element is None:
        return ""
    return collapse_spaces("".join(element.itertext()))


def _first_word(text: str) -> str | None:
    """The first of several space-separated values (arXiv sometimes lists two DOIs), or ``None``."""
    return text.split()[0] if text.split() else None
