"""What a mention and an identity know about a person, and how strongly their contexts say they are one.

A :class:`Mention` is one authorship as a source wrote it (a name on a paper, with its strong ids, coauthors' name
blocks, institutions, topics and venue); an :class:`Identity` pools the mentions resolved to one person.
:func:`score_evidence` weighs what they share as independent signals; :mod:`graph.identity` decides with it.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from graph.model import KEYWORD, Paper, TopicRef, name_key
from graph.names import PersonName, parse_person
from graph.paper_rows import HYPERAUTHORED

__all__ = [
    "COAUTHOR_WEIGHT",
    "INSTITUTION_WEIGHT",
    "NEAR_WEIGHT",
    "TOPIC_WEIGHT",
    "VENUE_WEIGHT",
    "Evidence",
    "Identity",
    "Mention",
    "affiliation_keys",
    "mentions_of",
    "score_evidence",
    "strong_ids",
    "venue_key",
]

STRONG_KINDS = ("orcid", "openalex", "s2", "dblp", "node", "profile")
"""Id kinds that decide identity; a DBLP name counts only with its homonym suffix (``Bing Li 0010``)."""

_DBLP_HOMONYM = re.compile(r" \d{4}$")
INSTITUTION = "institution:"
MIN_DISTINCTIVE_WORDS = 3
_GENERIC_WORDS = frozenset(
    {
        "of",
        "and",
        "the",
        "for",
        "in",
        "at",
        "on",
        "de",
        "di",
        "da",
        "del",
        "der",
        "des",
        "la",
        "le",
        "du",
        "und",
        "y",
        "e",
        "i",
        "department",
        "dept",
        "school",
        "faculty",
        "college",
        "institute",
        "university",
        "universidad",
        "universite",
        "universita",
        "laboratory",
        "lab",
        "center",
        "centre",
        "division",
        "unit",
        "group",
        "program",
        "programme",
        "section",
        "usa",
        "uk",
    }
)
_PUBLISHERS = frozenset(("ieee", "acm", "springer", "elsevier"))
_ORGANISATION = re.compile(r"\b(universit|institut|college|academ|laborator|hospital|centre|center|corporation)")

# Weights of the evidence kinds, combined as independent signals: 1 - prod(1 - p). A venue alone never joins initials
# or another variant, whatever its weight (graph.identity.decides).
COAUTHOR_WEIGHT = 0.7
INSTITUTION_WEIGHT = 0.6
VENUE_WEIGHT = 0.35
TOPIC_WEIGHT = 0.4
NEAR_WEIGHT = 0.3
"""A coauthor of the mention who coauthored with one of the identity's coauthors (two hops in the network)."""


def strong_ids(ids: dict[str, str]) -> frozenset[str]:
    """The identity-deciding ids of an author as ``kind:value`` strings.

    >>> sorted(strong_ids({"orcid": "0000-0001", "dblp": "Bing Li", "scopus": "7"}))
    ['orcid:0000-0001']
    """
    found = set()
    for kind in STRONG_KINDS:
        value = ids.get(kind)
        if value and (kind != "dblp" or _DBLP_HOMONYM.search(value)):
            found.add(f"{kind}:{value}")
    return frozenset(found)


@dataclass(frozen=True)
class Mention:
    """One authorship as a source wrote it, with the context that tells people apart."""

    name: str
    paper: str
    position: int
    ids: frozenset[str] = frozenset()
    coauthors: frozenset[str] = frozenset()
    institutions: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    venue: str | None = None
    inferred: bool = False
    ties: bool = True
    """Whether the paper ties its authors as coauthors (not beyond :data:`~graph.paper_rows.HYPERAUTHORED`
    authors): its coauthors then join the identity's, as the graph's COAUTHOR ties do."""

    @property
    def person(self) -> PersonName:
        return parse_person(self.name)

    @property
    def name_key(self) -> str:
        return name_key(self.name)


def mentions_of(paper: Paper, paper_id: str | None = None, owners: dict[str, str] | None = None) -> list[Mention]:
    """The mentions of a paper's authors, each with the other authors' blocks as coauthors.

    ``owners`` maps a folded name to a profile page's strong id (``profile:<ref>``): the page's owner.
    """
    blocks = [parse_person(author.name).block for author in paper.authors]
    topics = frozenset(_with_ancestors(paper.topics))
    venue = venue_key(paper.venue) if paper.venue else None
    ties = len(paper.authors) <= HYPERAUTHORED
    mentions = []
    for index, author in enumerate(paper.authors):
        ids = strong_ids(author.ids)
        owner = (owners or {}).get(name_key(author.name))
        coauthors = frozenset(block for other, block in enumerate(blocks) if other != index)
        mentions.append(
            Mention(
                name=author.name,
                paper=paper_id or paper.key,
                position=author.position,
                ids=ids | {owner} if owner else ids,
                coauthors=coauthors,
                institutions=frozenset(affiliation_keys(author.affiliation)),
                topics=topics,
                venue=venue,
                inferred=author.inferred,
                ties=ties,
            )
        )
    return mentions


def _with_ancestors(topics: Iterable[TopicRef]) -> set[str]:
    """Topic ids with their ancestors: two papers in one subfield share it even when their topics differ. Keyword
    topics (phrases of the paper's own text) are left out: the evidence weights were measured on source topics."""
    found = set()
    for topic in topics:
        if topic.kind == KEYWORD:
            continue
        while topic is not None:
            found.add(topic.id)
            topic = topic.parent
    return found


@functools.lru_cache(maxsize=1 << 16)  # the writer keys every venue of every fetched candidate, batch after batch
def venue_key(venue: str) -> str | None:
    """A venue as identity evidence: its folded name without a leading publisher or trailing part numbers and
    years, so that dblp's ``IEEE SCC (1)``, ``IEEE SCC`` and ``SCC`` are one venue. A Venue node's id works too.

    >>> venue_key("IEEE SCC (2)"), venue_key("venue:icws 2008"), venue_key("ACM")
    ('venue:scc', 'venue:icws', 'venue:acm')
    """
    words = name_key(venue.removeprefix("venue:")).split()
    while len(words) > 1 and words[-1].isdigit():
        words.pop()
    while len(words) > 1 and words[0] in _PUBLISHERS:
        words.pop(0)
    return f"venue:{' '.join(words)}" if words else None


def affiliation_keys(affiliation: str | None) -> set[str]:
    """What an affiliation says about where someone works: each institution (sources join several with ``; ``)
    as its node id, and each organisation named inside it (``Wuhan University`` in ``School of Physics, Wuhan
    University, Wuhan, China``) as ``org:<folded name>``, so two departments of one university still match.

    >>> sorted(affiliation_keys("Dept. of Physics, Wuhan University, Wuhan; MIT"))
    ['institution:dept of physics wuhan university wuhan', 'institution:mit', 'org:wuhan university']
    """
    keys = set()
    for name in (affiliation or "").split(";"):
        if name_key(name):
            keys.add(f"{INSTITUTION}{name_key(name)}")
        keys |= {f"org:{name_key(part)}" for part in name.split(",") if _ORGANISATION.search(name_key(part))}
    return keys


@dataclass(frozen=True)
class Evidence:
    """Why a mention belongs to an identity: the rule that decided, a confidence score and what was shared."""

    rule: str
    score: float
    name: str | None = None
    coauthors: tuple[str, ...] = ()
    institutions: tuple[str, ...] = ()
    venues: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    near: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    """The distinctive name both sides are written with, when that is part of the evidence."""
    tied: tuple[str, ...] = ()
    """The identities an ambiguous mention fits equally well (the ``ambiguous`` rule), none of which it joins."""

    @property
    def personal(self) -> bool:
        """Whether it shares something of the person (coauthors, coauthors of coauthors, an institution, a
        distinctive name), not only the field they publish in (a venue, topics), which their namesakes share too."""
        return bool(self.coauthors or self.near or self.institutions or self.names)

    def describe(self) -> str:
        """One line: ``evidence 0.91 (exact name): coauthors tao ren j; topics arxiv:cs.LG``."""
        shared = [
            f"{label} {', '.join(values)}"
            for label, values in (
                ("ids", self.ids),
                ("distinctive name", self.names),
                ("coauthors", self.coauthors),
                ("institutions", self.institutions),
                ("venues", self.venues),
                ("topics", self.topics),
                ("coauthors of coauthors", self.near),
                ("tied between", self.tied),
            )
            if values
        ]
        head = f"{self.rule} {self.score:.2f}" + (f" ({self.name} name)" if self.name else "")
        return f"{head}: {'; '.join(shared)}" if shared else head


@dataclass
class Identity:
    """A person as resolved so far: names, strong ids, and the context of every mention resolved to them."""

    id: str
    names: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    coauthors: Counter[str] = field(default_factory=Counter)
    institutions: set[str] = field(default_factory=set)
    venues: set[str] = field(default_factory=set)
    topics: Counter[str] = field(default_factory=Counter)
    papers: dict[str, int | None] = field(default_factory=dict)
    distinct_from: set[str] = field(default_factory=set)
    partners: set[str] = field(default_factory=set)
    """The ids of the identities it wrote a paper with (the graph's COAUTHOR ties)."""

    def absorb(self, mention: Mention) -> None:
        """Add a mention's name, ids and context."""
        self.names.add(mention.name)
        self.ids |= mention.ids
        if mention.ties:
            self.coauthors.update(mention.coauthors)
        self.institutions |= mention.institutions
        self.venues |= {mention.venue} if mention.venue else set()
        self.topics.update(mention.topics)
        self.papers[mention.paper] = None if mention.inferred else mention.position

    def absorb_identity(self, other: Identity) -> None:
        """Take everything another identity of the same person knows."""
        self.names |= other.names
        self.ids |= other.ids
        self.coauthors.update(other.coauthors)
        self.institutions |= other.institutions
        self.venues |= other.venues
        self.topics.update(other.topics)
        self.papers.update(other.papers)
        self.distinct_from |= other.distinct_from
        self.partners |= other.partners

    def kinds(self) -> dict[str, set[str]]:
        by_kind: dict[str, set[str]] = {}
        for value in self.ids:
            by_kind.setdefault(value.split(":", 1)[0], set()).add(value)
        return by_kind


def score_evidence(mention: Mention, identity: Identity, near: Collection[str] = ()) -> Evidence:
    """How strongly a mention's context corroborates an identity, from 0 (nothing shared) to 1.

    ``near``: name blocks two coauthor hops from the identity (the resolver knows them).
    """
    known = identity.coauthors
    coauthors = tuple(sorted(mention.coauthors & known.keys()))
    block = mention.person.block
    two_hops = tuple(sorted(c for c in near if c in mention.coauthors and c != block and c not in known))
    institutions = tuple(sorted(mention.institutions & identity.institutions))
    institutions = institutions or _similar_institutions(mention.institutions, identity.institutions)
    venues = (mention.venue,) if mention.venue in identity.venues else ()
    topics = tuple(sorted(mention.topics & identity.topics.keys()))
    topic_overlap = len(topics) / min(len(mention.topics), len(identity.topics)) if topics else 0.0
    signals = [
        1 - (1 - COAUTHOR_WEIGHT) ** len(coauthors),
        INSTITUTION_WEIGHT if institutions else 0.0,
        VENUE_WEIGHT if venues else 0.0,
        TOPIC_WEIGHT * topic_overlap,
        NEAR_WEIGHT if two_hops else 0.0,
    ]
    doubt = 1.0
    for signal in signals:
        doubt *= 1 - signal
    return Evidence("evidence", round(1 - doubt, 4), None, coauthors, institutions, venues, topics, near=two_hops)


def _similar_institutions(ours: Iterable[str], theirs: Iterable[str]) -> tuple[str, ...]:
    """Affiliations of ``ours`` that name one of ``theirs`` in other words: the distinctive words of one (at least
    three) are all in the other (``Dept. of Environmental Science, Policy, and Management, University of California,
    Berkeley`` and ``... Management University of California Berkeley, CA 94720``, written without the commas that
    would let the organisation be read out)."""
    mine = {key: found for key in ours if len(found := _distinctive_words(key)) >= MIN_DISTINCTIVE_WORDS}
    if not mine:
        return ()
    words = [found for key in theirs if len(found := _distinctive_words(key)) >= MIN_DISTINCTIVE_WORDS]
    return tuple(sorted(key for key, own in mine.items() if any(own <= other or other <= own for other in words)))


@functools.lru_cache(maxsize=1 << 16)
def _distinctive_words(key: str) -> frozenset[str]:
    """An affiliation's words without generic ones (``department``, ``of``) and numbers (postcodes)."""
    if not key.startswith(INSTITUTION):
        return frozenset()
    words = key.removeprefix(INSTITUTION).split()
    return frozenset(word for word in words if word not in _GENERIC_WORDS and not any(c.isdigit() for c in word))
