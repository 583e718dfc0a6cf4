"""The normalized record model that every loader emits, and the stable keys derived from it.

Stable keys are computed here and nowhere else, so that two loaders (or two loads of the same file) that see the
same paper, author or topic always arrive at the same node.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = [
    "AuthorProfile",
    "AuthorRef",
    "Paper",
    "Tie",
    "TopicRef",
    "author_key",
    "listed_once",
    "name_key",
    "paper_key",
]


KEYWORD = "keyword"
"""The kind of the topics extracted from a paper's own words (loaders.keyphrases), not given by its source."""
YEAR_INFERRED = "day-year-inferred"
"""The ``date_precision`` of a date whose source gave no year (a profile page's ``Mar 28``): the loader inferred it
from the day of the load, so the year is left out of the paper's id, and a later load finds the same paper."""


def _composed(record: object, *fields: str) -> None:
    """Hold the text ``fields`` of a frozen record in composed Unicode (NFC): ``u`` and a combining diaeresis become
    ``ü``, as most sources write it, so the same text is the same string whatever wrote it (search, names, merges).

    >>> AuthorRef("Mu\u0308ller", 1).name == "Müller"
    True
    """
    for name in fields:
        value = getattr(record, name)
        if isinstance(value, str) and not unicodedata.is_normalized("NFC", value):  # a loader's bug is checked later
            object.__setattr__(record, name, unicodedata.normalize("NFC", value))


@dataclass(frozen=True)
class TopicRef:
    """A topic a paper is about, e.g. the arXiv category cs.LG."""

    id: str
    name: str
    kind: str
    parent: TopicRef | None = None

    def __post_init__(self) -> None:
        _composed(self, "name")


@dataclass(frozen=True)
class AuthorRef:
    """One authorship as the source wrote it: the name, its 1-based position, ids and affiliation.

    ``ids`` may hold ``orcid``, source author ids (``openalex``, ``s2``, ``dblp`` ...) and, for networks whose
    nodes are anonymous, ``node`` (a dataset-scoped node id such as ``ca-GrQc/3466``).
    """

    name: str
    position: int
    ids: dict[str, str] = field(default_factory=dict)
    affiliation: str | None = None
    inferred: bool = False
    corresponding: bool | None = None

    def __post_init__(self) -> None:
        _composed(self, "name", "affiliation")

    @property
    def key(self) -> str:
        return author_key(self.name, self.ids)


def listed_once(authors: Iterable[AuthorRef]) -> tuple[AuthorRef, ...]:
    """The authors with each author id listed once: a later listing of an id already listed is the same person
    again (OpenAlex and Semantic Scholar repeat some, e.g. an editor once per chapter), so it is dropped; positions
    stay as the source gave them.

    >>> twice = [AuthorRef("A", 1, {"s2": "7"}), AuthorRef("B", 2), AuthorRef("A", 3, {"s2": "7"})]
    >>> [author.position for author in listed_once(twice)]
    [1, 2]
    """
    seen: set[tuple[str, str]] = set()
    kept = []
    for author in authors:
        ids = set(author.ids.items())
        if ids.isdisjoint(seen):
            kept.append(author)
        seen |= ids
    return tuple(kept)


@dataclass(frozen=True)
class Paper:
    """A paper with its ordered authors and its topics, as read from one source record."""

    title: str
    authors: tuple[AuthorRef, ...]
    source: str
    source_ref: str
    abstract: str | None = None
    abstract_text: str | None = None
    year: int | None = None
    date: str | None = None
    date_precision: str | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    external_ids: dict[str, str] = field(default_factory=dict)
    venue: str | None = None
    kind: str | None = None
    citations: int | None = None
    authors_truncated: bool = False
    topics: tuple[TopicRef, ...] = ()

    def __post_init__(self) -> None:
        _composed(self, "title", "abstract", "abstract_text", "venue")

    @property
    def key(self) -> str:
        ids = {"doi": self.doi, "arxiv_id": self.arxiv_id, "source_ids": self.external_ids}
        year = None if self.date_precision == YEAR_INFERRED else self.year
        return paper_key(self.title, **ids, year=year, first_author=self.first_author)

    @property
    def match_key(self) -> str | None:
        """The title + year + first author key, which finds this paper when sources disagree on its ids."""
        if not name_key(self.title):
            return None
        return paper_key(self.title, year=self.year, first_author=self.first_author)

    @property
    def first_author(self) -> str | None:
        listed = [author for author in self.authors if not author.inferred]
        return min(listed, key=lambda author: author.position).name if listed else None


@dataclass(frozen=True)
class Tie:
    """A coauthorship known only as a weighted edge (SNAP edge lists, GML), with no papers behind it."""

    a: AuthorRef
    b: AuthorRef
    weight: float
    source: str
    source_ref: str


@dataclass(frozen=True)
class AuthorProfile:
    """Facts a source reports about an author as a whole (e.g. a profile page's h-index), with their source."""

    name: str
    source: str
    source_ref: str
    ids: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, float | int] = field(default_factory=dict)
    primary_topic: TopicRef | None = None

    def __post_init__(self) -> None:
        _composed(self, "name")

    @property
    def key(self) -> str:
        return author_key(self.name, self.ids)


_NON_WORD = re.compile(r"[^\w]+")
_DBLP_HOMONYM = re.compile(r" \d{4}$")
# Latin letters that Unicode does not decompose into a base letter and an accent.
_FOLDS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "\u0131": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
)


@functools.lru_cache(maxsize=1 << 17)  # a load folds each name many times
def name_key(name: str) -> str:
    """Fold a name for matching: accents stripped, case folded, punctuation and spacing collapsed.

    >>> name_key("  José-Luis  O'Neil ")
    'jose luis o neil'
    >>> name_key("Łukasz Żółw")
    'lukasz zolw'
    """
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().translate(_FOLDS)
    return _NON_WORD.sub(" ", stripped).replace("_", " ").strip()


def author_key(name: str, ids: dict[str, str] | None = None) -> str:
    """The Author node id: the ORCID where known, else a DBLP homonym id (``Bing Li 0010``: DBLP's own
    disambiguation), else a dataset node id (anonymous networks), else the folded name.

    >>> author_key("Bing Li", {"dblp": "Bing Li 0010"}), author_key("Bing Li", {"dblp": "Bing Li"})
    ('dblp:Bing Li 0010', 'name:bing li')
    """
    ids = ids or {}
    if ids.get("orcid"):
        return f"orcid:{ids['orcid']}"
    if _DBLP_HOMONYM.search(ids.get("dblp", "")):
        return f"dblp:{ids['dblp']}"
    if ids.get("node"):
        return f"node:{ids['node']}"
    return f"name:{name_key(name)}"


def paper_key(
    title: str,
    *,
    doi: str | None = None,
    arxiv_id: str | None = None,
    year: int | None = None,
    first_author: str | None = None,
    source_ids: dict[str, str] | None = None,
) -> str:
    """The Paper node id: DOI, else arXiv id (without version), else a digest of title, year and first author;
    a record without a title falls back on a source's own id (e.g. ``s2:<paperId>``).

    >>> paper_key("Editorial", year=2020, first_author="A. Smith") != paper_key("Editorial", year=2021)
    True
    >>> paper_key("", source_ids={"s2": "649def34"})
    's2:649def34'
    """
    if doi:
        return f"doi:{doi.lower()}"
    if arxiv_id:
        return f"arxiv:{re.sub(r'v[0-9]+$', '', arxiv_id)}"
    if not name_key(title) and source_ids:
        kind, value = min(source_ids.items())
        return f"{kind}:{value}"
    parts = (name_key(title), str(year or ""), name_key(first_author or ""))
    return f"title:{hashlib.sha1('|'.join(parts).encode()).hexdigest()[:16]}"
