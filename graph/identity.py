"""Who is who: author mentions resolved to identities by strong ids first, then by names backed by evidence.

A *mention* is one authorship as a source wrote it (a name on a paper, with whatever ids, affiliation, coauthors,
topics and venue come with it). An *identity* is a person: the mentions resolved to it, all their name variants,
ids and evidence. :class:`Resolver` decides, one mention at a time, and says why:

1. **Strong ids** decide: ORCID, OpenAlex and Semantic Scholar author ids, DBLP homonym names (``Bing Li 0010``),
   network node ids, a profile page's owner. A mention joins the identity that carries any of its strong ids,
   whatever the spelling of its name; if its ids lead to several identities, they are one person and merge.
2. **The same authorship**: a mention of a paper the identity already authored, at the same position (or with
   the author inferred), under a compatible name, is that authorship seen again (a reload, another source).
3. **Names only propose**: an identity in the same block (surname + first initial, see :mod:`graph.names`)
   whose every variant is compatible with the mention's name is a candidate; it is chosen only if
   the evidence (shared coauthors, coauthors of coauthors, institutions, venues, topics) scores at least
   :data:`EXACT_THRESHOLD` (same full name) or :data:`VARIANT_THRESHOLD` (initials or a missing middle name;
   :data:`OPEN_VARIANT_THRESHOLD` in a block whose names could all be one person's). A common name alone never
   merges; a *distinctive* one written alike (``Carl Boettiger``, not ``Wei Zhang``) is itself evidence
   (:data:`DISTINCTIVE_NAME_WEIGHT`), which never joins initials to a full name. When several identities
   qualify, the best evidence wins.
   :meth:`Resolver.consolidate` merges identities whose pooled contexts corroborate each other (the benchmark
   runs it after a whole file; in the graph such pairs are listed by ``coauthor authors duplicates``).
   Identities carrying different ids of one kind (two ORCIDs) are different people, and so are two listed authors
   of one paper, and identities a user split apart (``distinct_from``).

The resolver is pure Python: the writer seeds it with the identities a batch could join, read from Neo4j, and the
identity benchmark runs it on whole files with the ids hidden.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Collection, Container, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from graph.model import KEYWORD, Paper, TopicRef, name_key
from graph.names import PersonName, name_match, parse_person

__all__ = [
    "EXACT_THRESHOLD",
    "OPEN_VARIANT_THRESHOLD",
    "VARIANT_THRESHOLD",
    "Evidence",
    "Identity",
    "Mention",
    "Resolver",
    "affiliation_keys",
    "default_id",
    "free_id",
    "mentions_of",
    "score_evidence",
    "strong_ids",
    "venue_key",
]

EXACT_THRESHOLD = 0.15
"""The evidence score that merges a mention into an identity known under the same full name."""
VARIANT_THRESHOLD = 0.6
"""The evidence score that merges a compatible variant (initials, a missing middle name) into an identity."""
OPEN_VARIANT_THRESHOLD = 0.3
"""The evidence score that merges a compatible variant in an *open* block, one whose names could all be one
person's (``L. Emerton`` and ``Lucy Emerton``; not ``W. Zhang`` beside ``Wei Zhang`` and ``Wen Zhang``): nothing
in the data says the initials stand for two people, so less evidence will do. A name alone still never merges."""
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

# Weights of the evidence kinds, combined as independent signals: 1 - prod(1 - p).
COAUTHOR_WEIGHT = 0.7
INSTITUTION_WEIGHT = 0.6
VENUE_WEIGHT = 0.35
TOPIC_WEIGHT = 0.4
NEAR_WEIGHT = 0.3
"""A coauthor of the mention who coauthored with one of the identity's coauthors (two hops in the network)."""
DISTINCTIVE_NAME_WEIGHT = OPEN_VARIANT_THRESHOLD
"""The same *distinctive* name (:attr:`graph.names.PersonName.distinctive`) written alike: a full name, or
initials where both sides are known by those initials alone (``D. J. Barrett``). On its own it reaches
:data:`EXACT_THRESHOLD`, and for initials :data:`OPEN_VARIANT_THRESHOLD` (no other name in the block) but never
:data:`VARIANT_THRESHOLD`; initials never join a full name by it."""


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
    near: AbstractSet[str] = field(default_factory=set)

    def absorb(self, mention: Mention) -> None:
        """Add a mention's name, ids and context."""
        self.names.add(mention.name)
        self.ids |= mention.ids
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
        self.near |= other.near

    def kinds(self) -> dict[str, set[str]]:
        by_kind: dict[str, set[str]] = {}
        for value in self.ids:
            by_kind.setdefault(value.split(":", 1)[0], set()).add(value)
        return by_kind


def score_evidence(mention: Mention, identity: Identity, near: Collection[str] = ()) -> Evidence:
    """How strongly a mention's context corroborates an identity, from 0 (nothing shared) to 1.

    ``near`` adds name blocks two coauthor hops from the identity (beyond ``identity.near``).
    """
    known = identity.coauthors
    coauthors = tuple(sorted(mention.coauthors & known.keys()))
    block = mention.person.block
    two_hops = tuple(
        sorted(c for c in mention.coauthors if (c in identity.near or c in near) and c != block and c not in known)
    )
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


@dataclass(frozen=True)
class Resolution:
    """Where a mention went: its identity, why, whether the identity is new, identities merged into it, and the
    strong ids it adds to the identity."""

    identity: Identity
    evidence: Evidence
    created: bool
    merged: tuple[tuple[Identity, Evidence], ...] = ()
    ids: frozenset[str] = frozenset()


class Resolver:
    """Resolves mentions to identities (see the module notes), indexing identities by strong id and name block.
    A new identity is named by :func:`default_id`, never reusing an id the resolver has seen."""

    def __init__(self, identities: Iterable[Identity] = ()):
        self.identities: dict[str, Identity] = {}
        self._seen: set[str] = set()
        self._by_id: dict[str, str] = {}
        self._by_block: dict[str, set[str]] = {}
        self._by_paper: dict[str, set[str]] = {}
        self._links: dict[str, set[str]] = {}
        self._conflicted: set[str] = set()
        for identity in identities:
            self.add(identity)

    def add(self, identity: Identity) -> None:
        """Index an identity (known before, e.g. read from the graph)."""
        self.identities[identity.id] = identity
        self._seen.add(identity.id)
        self._index(identity)

    def resolve(self, mention: Mention) -> Resolution:
        """The identity of ``mention``, which then absorbs it."""
        by_ids = self._by_strong_ids(mention)
        same = self._same_authorship(mention)
        if same is not None and any(_apart(same, identity) for identity in by_ids):
            # A user split this authorship away from the id's holder: their decision stands, and the split-off
            # author does not take the holder's ids.
            held = {value for identity in by_ids if _apart(same, identity) for value in identity.ids}
            mention = dataclasses.replace(mention, ids=mention.ids - held)
            return self._assign(mention, same, Evidence("same_authorship", 1.0, ids=(mention.paper,)), created=False)
        if by_ids:
            keep, *others = by_ids
            others = [other for other in others if not _apart(keep, other)]
            kind = next(iter(sorted(mention.ids & keep.ids))).split(":", 1)[0]
            evidence = Evidence(kind, 1.0, ids=tuple(sorted(mention.ids & keep.ids)))
            # One mention carries ids of both: what it shares with each side is the evidence.
            merged = tuple(
                (other, Evidence(kind, 1.0, ids=tuple(sorted(mention.ids & (keep.ids | other.ids)))))
                for other in others
            )
            if same is not None and same not in by_ids and self._compatible_ids(mention, same):
                merged += ((same, Evidence("same_authorship", 1.0, ids=(mention.paper,))),)
            for other, _ in merged:
                self._merge(keep, other)
            return self._assign(mention, keep, evidence, created=False, merged=merged)
        if same is not None and self._compatible_ids(mention, same):
            return self._assign(mention, same, Evidence("same_authorship", 1.0, ids=(mention.paper,)), created=False)
        best = self.best_candidate(mention)
        if best is not None:
            return self._assign(mention, *best, created=False)
        identity = Identity(default_id(mention, self._seen))
        self.add(identity)
        return self._assign(mention, identity, Evidence("new", 0.0), created=True)

    def best_candidate(self, mention: Mention) -> tuple[Identity, Evidence] | None:
        """The compatible identity with the strongest evidence at or above its threshold, if any."""
        best = None
        person = mention.person
        variant_threshold = None
        for candidate, kind in self.candidates(mention):
            evidence = score_evidence(mention, candidate, self._near(mention.coauthors, candidate))
            evidence = _with_name(evidence, _distinctive_keys({mention.name}, candidate.names, kind))
            if kind == "exact":
                threshold = EXACT_THRESHOLD
            else:
                variant_threshold = variant_threshold or self._variant_threshold(person)
                threshold = variant_threshold
            if evidence.score >= threshold and (best is None or evidence.score > best[1].score):
                best = (candidate, dataclasses.replace(evidence, name=kind))
        return best

    def candidates(self, mention: Mention) -> list[tuple[Identity, str]]:
        """Identities of the mention's block whose names and ids are compatible and that do not already hold
        another listed author of the mention's paper, each with how its names match (see :func:`_name_kind`)."""
        person = mention.person
        found = []
        for identity_id in sorted(self._by_block.get(person.block, ())):
            identity = self.identities[identity_id]
            position = identity.papers.get(mention.paper, "absent")
            if position != "absent" and position is not None and not mention.inferred:
                continue
            kind = _name_kind(person, identity)
            if kind and self._compatible_ids(mention, identity):
                found.append((identity, kind))
        return found

    def merge(self, keep: Identity, other: Identity) -> None:
        """Make two identities one (``keep`` absorbs ``other``)."""
        self._merge(keep, other)

    def consolidate(self) -> list[tuple[Identity, Identity, Evidence]]:
        """Merge identities of one block whose pooled contexts corroborate each other, until none do: undoes the
        order in which mentions happened to arrive. Returns (kept, absorbed, evidence) for each merge."""
        merges = []
        changed = True
        while changed:
            changed = False
            for block in sorted(self._by_block):
                for keep, other, evidence in self._block_merges(block):
                    if keep.id in self.identities and other.id in self.identities:
                        self._merge(keep, other)
                        merges.append((keep, other, evidence))
                        changed = True
        return merges

    def _block_merges(self, block: str) -> list[tuple[Identity, Identity, Evidence]]:
        members = [self.identities[i] for i in sorted(self._by_block.get(block, ())) if i in self.identities]
        variant_threshold = _variant_threshold(self._block_names(block)) if len(members) > 1 else VARIANT_THRESHOLD
        found = []
        for index, a in enumerate(members):
            for b in members[index + 1 :]:
                evidence = pair_evidence(a, b, self._near(a.coauthors.keys(), b), variant_threshold)
                if evidence is not None:
                    found.append((a, b, evidence))
        return sorted(found, key=lambda item: -item[2].score)

    def _variant_threshold(self, person: PersonName) -> float:
        """The threshold for a variant of ``person``'s name in its block. A block's names only ever grow, so once two
        of them conflict they always will: such blocks are remembered (their names were read for every mention)."""
        if person.block in self._conflicted:
            return VARIANT_THRESHOLD
        names = self._block_names(person.block)
        if _variant_threshold(names) == VARIANT_THRESHOLD:
            self._conflicted.add(person.block)
            return VARIANT_THRESHOLD
        return _variant_threshold({person, *names})

    def _block_names(self, block: str) -> set[PersonName]:
        """Every name of the identities of a block."""
        members = (self.identities.get(identity_id) for identity_id in self._by_block.get(block, ()))
        return {parse_person(name) for identity in members if identity is not None for name in identity.names}

    def _by_strong_ids(self, mention: Mention) -> list[Identity]:
        ids = sorted({self._by_id[value] for value in mention.ids if value in self._by_id})
        found = [self.identities[i] for i in ids if i in self.identities]
        # The identity that stays: the most papers, then one named by an id rather than by a name.
        return sorted(found, key=lambda identity: (-len(identity.papers), identity.id.startswith("name:"), identity.id))

    def _same_authorship(self, mention: Mention) -> Identity | None:
        person = mention.person
        for identity_id in sorted(self._by_paper.get(mention.paper, ())):
            identity = self.identities.get(identity_id)
            if identity is None or mention.paper not in identity.papers:
                continue
            position = identity.papers[mention.paper]
            same_place = position is None or mention.inferred or position == mention.position
            # Any one variant will do: a user may have merged names that do not match each other.
            if same_place and any(name_match(person, parse_person(name)) for name in identity.names):
                return identity
        return None

    @staticmethod
    def _compatible_ids(mention: Mention, identity: Identity) -> bool:
        """False when both carry ids of one kind and share none (two ORCIDs), or the user split them apart."""
        kinds = identity.kinds()
        for value in mention.ids:
            kind = value.split(":", 1)[0]
            if kind in kinds and value not in kinds[kind]:
                return False
        return True

    def _near(self, blocks: Iterable[str], identity: Identity) -> set[str]:
        """Those of ``blocks`` that coauthored with one of the identity's coauthors, in the mentions resolved so far
        (coauthorship links go both ways, so each block's own links are the ones to look at)."""
        return {block for block in blocks if not self._links.get(block, set()).isdisjoint(identity.coauthors.keys())}

    def _assign(self, mention: Mention, identity: Identity, evidence: Evidence, **how) -> Resolution:
        block = mention.person.block
        self._links.setdefault(block, set()).update(mention.coauthors)
        for coauthor in mention.coauthors:
            self._links.setdefault(coauthor, set()).add(block)
        identity.absorb(mention)
        self._index(identity)
        return Resolution(identity, evidence, **how, ids=mention.ids)

    def _merge(self, keep: Identity, other: Identity) -> None:
        keep.absorb_identity(other)
        self.identities.pop(other.id, None)
        for value in other.ids:
            self._by_id[value] = keep.id
        for members in self._by_block.values():
            if other.id in members:
                members.discard(other.id)
                members.add(keep.id)
        for paper in other.papers:
            self._by_paper.setdefault(paper, set()).discard(other.id)
        self._index(keep)

    def _index(self, identity: Identity) -> None:
        for value in identity.ids:
            self._by_id.setdefault(value, identity.id)
        for name in identity.names:
            self._by_block.setdefault(parse_person(name).block, set()).add(identity.id)
        for paper in identity.papers:
            self._by_paper.setdefault(paper, set()).add(identity.id)


def pair_evidence(
    a: Identity, b: Identity, near: Iterable[str] = (), variant_threshold: float = VARIANT_THRESHOLD
) -> Evidence | None:
    """Evidence that two identities are one person, or None when their names, ids, papers or a user's split
    keep them apart, or the evidence is below the threshold (``variant_threshold`` for names that only may be
    the same, such as initials)."""
    if _apart(a, b):
        return None
    kinds = a.kinds()
    if any(kind in kinds and not (values & kinds[kind]) for kind, values in b.kinds().items()):
        return None
    if any(a.papers[p] is not None and b.papers[p] is not None for p in a.papers.keys() & b.papers.keys()):
        return None
    kinds = {_name_kind(parse_person(name), b) for name in a.names}
    if None in kinds:
        return None
    kind = "exact" if kinds == {"exact"} else "variant"
    probe = Mention(
        name="",
        paper="",
        position=0,
        coauthors=frozenset(a.coauthors),
        institutions=frozenset(a.institutions),
        topics=frozenset(a.topics),
    )
    evidence = score_evidence(probe, b, near)
    venues = tuple(sorted(a.venues & b.venues))
    score = 1 - (1 - evidence.score) * (1 - (VENUE_WEIGHT if venues else 0.0))
    evidence = dataclasses.replace(evidence, score=round(score, 4), name=kind, venues=venues)
    evidence = _with_name(evidence, _distinctive_keys(a.names, b.names, kind))
    threshold = EXACT_THRESHOLD if kind == "exact" else variant_threshold
    return evidence if evidence.score >= threshold else None


def _variant_threshold(people: set[PersonName]) -> float:
    """:data:`OPEN_VARIANT_THRESHOLD` when no two of a block's names conflict, else :data:`VARIANT_THRESHOLD`."""
    listed = list(people)
    conflict = any(name_match(a, b) is None for index, a in enumerate(listed) for b in listed[index + 1 :])
    return VARIANT_THRESHOLD if conflict else OPEN_VARIANT_THRESHOLD


def _distinctive_keys(ours: Iterable[str], theirs: Iterable[str], kind: str) -> list[str]:
    """The distinctive names both sides are known by, sorted: any full name when the names match exactly
    (``kind``), else one initials form when it is every name of both."""
    people = [{parse_person(name) for name in names} for names in (ours, theirs)]
    keys = [{person.key for person in found if person.distinctive} for found in people]
    if kind != "exact" and len({person.key for person in people[0] | people[1]}) > 1:
        return []
    return sorted(keys[0] & keys[1])


def _with_name(evidence: Evidence, names: list[str]) -> Evidence:
    """``evidence`` with the distinctive names written alike added (:data:`DISTINCTIVE_NAME_WEIGHT`), if any."""
    if not names:
        return evidence
    score = 1 - (1 - evidence.score) * (1 - DISTINCTIVE_NAME_WEIGHT)
    return dataclasses.replace(evidence, score=round(score, 4), names=tuple(names))


def default_id(mention: Mention, taken: Container[str]) -> str:
    """A new identity's id: its ORCID, DBLP homonym or node id where it has one, else ``name:<folded name>``,
    numbered (``name:wei wang~2``) when a namesake already holds that id."""
    for kind in ("orcid", "dblp", "node"):
        value = next((v for v in sorted(mention.ids) if v.startswith(f"{kind}:")), None)
        if value:
            return value
    return free_id(f"name:{name_key(mention.name)}", taken)


def free_id(base: str, taken: Container[str]) -> str:
    """``base``, or ``base~2``, ``base~3`` ... the first that is not ``taken``."""
    number, candidate = 1, base
    while candidate in taken:
        number += 1
        candidate = f"{base}~{number}"
    return candidate


def _apart(a: Identity, b: Identity) -> bool:
    """Whether a user split these identities apart."""
    return b.id in a.distinct_from or a.id in b.distinct_from


def _name_kind(person: PersonName, identity: Identity) -> str | None:
    """The weakest match between a name and every variant of an identity (None if any variant conflicts)."""
    kinds = {name_match(person, parse_person(name)) for name in identity.names} or {"variant"}
    if None in kinds:
        return None
    return "exact" if "exact" in kinds and not person.abbreviated else "variant"
