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
   whose every variant is compatible with the mention's name is a candidate; it is chosen only if the evidence
   (:mod:`graph.evidence`: shared coauthors, coauthors of coauthors, institutions, venues, topics) scores at least
   :data:`EXACT_THRESHOLD` (same full name) or :data:`VARIANT_THRESHOLD` (initials or a missing middle name;
   :data:`OPEN_VARIANT_THRESHOLD` in a block whose names could all be one person's). A common name alone never
   merges; a *distinctive* one written alike (``Carl Boettiger``, not ``Wei Zhang``) is itself evidence
   (:data:`DISTINCTIVE_NAME_WEIGHT`), which never joins initials to a full name. A venue alone never joins
   initials or another variant (:func:`decides`). When several identities qualify, the
   best evidence wins; when the best tie and are known to be different people (``Bing Li 0001`` and ``Bing Li
   0010``), the mention is *ambiguous* and becomes an identity of its own, recording the tied candidates.
   :meth:`Resolver.consolidate` merges identities whose pooled contexts corroborate each other (the benchmark
   runs it after a whole file; in the graph such pairs are listed by ``coauthor authors duplicates``).
   Identities carrying different ids of one kind (two ORCIDs) are different people, and so are two listed authors
   of one paper, and identities a user split apart (``distinct_from``).

The resolver is pure Python: the writer seeds it with the identities a batch could join, read from Neo4j, and the
identity benchmark runs it on whole files with the ids hidden.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Container, Iterable
from dataclasses import dataclass

from graph.evidence import VENUE_WEIGHT, Evidence, Identity, Mention, score_evidence
from graph.model import name_key
from graph.names import PersonName, name_match, parse_person

__all__ = [
    "EXACT_THRESHOLD",
    "OPEN_VARIANT_THRESHOLD",
    "VARIANT_THRESHOLD",
    "Resolution",
    "Resolver",
    "decides",
    "default_id",
    "free_id",
    "pair_evidence",
]

EXACT_THRESHOLD = 0.15
"""The evidence score that merges a mention into an identity known under the same full name."""
VARIANT_THRESHOLD = 0.6
"""The evidence score that merges a compatible variant (initials, a missing middle name) into an identity."""
OPEN_VARIANT_THRESHOLD = 0.3
"""The evidence score that merges a compatible variant in an *open* block, one whose names could all be one
person's (``L. Emerton`` and ``Lucy Emerton``; not ``W. Zhang`` beside ``Wei Zhang`` and ``Wen Zhang``): nothing
in the data says the initials stand for two people, so less evidence will do. A name alone still never merges, nor
does a variant with only a venue (:func:`decides`)."""

DISTINCTIVE_NAME_WEIGHT = OPEN_VARIANT_THRESHOLD
"""The same *distinctive* name (:attr:`graph.names.PersonName.distinctive`) written alike: a full name, or
initials where both sides are known by those initials alone (``D. J. Barrett``). On its own it reaches
:data:`EXACT_THRESHOLD`, and for initials :data:`OPEN_VARIANT_THRESHOLD` (no other name in the block) but never
:data:`VARIANT_THRESHOLD`; initials never join a full name by it."""


@dataclass(frozen=True)
class Resolution:
    """Where a mention went: its identity, why, whether the identity is new, identities merged into it, and the
    strong ids it adds to the identity (those the identity, with the ones it merged, did not hold already: the writer
    attaches only these, which saved a fifth of the authorship statement on authors that carry ids)."""

    identity: Identity
    evidence: Evidence
    created: bool
    merged: tuple[tuple[Identity, Evidence], ...] = ()
    ids: frozenset[str] = frozenset()


class Resolver:
    """Resolves mentions to identities (see the module notes), indexing identities by strong id and name block.
    A new identity is named by :func:`default_id`, never reusing an id the resolver has seen."""

    def __init__(self, identities: Iterable[Identity] = (), reach: dict[str, set[str]] | None = None):
        """``reach``: the ids of the partners of each name block's ``identities`` (see :meth:`_near`), which the
        resolver then adds to."""
        self.identities: dict[str, Identity] = {}
        self._seen: set[str] = set()
        self._by_id: dict[str, str] = {}
        self._by_block: dict[str, set[str]] = {}
        self._by_paper: dict[str, set[str]] = {}
        self._reach: dict[str, set[str]] = reach if reach is not None else {}
        self._paper = ""
        self._authors: list[tuple[str, Identity]] = []
        self._conflicted: set[str] = set()
        for identity in identities:
            self.add(identity)

    def add(self, identity: Identity) -> None:
        """Index an identity (known before, e.g. read from the graph)."""
        self.identities[identity.id] = identity
        self._seen.add(identity.id)
        self._index(identity)

    def resolve(self, mention: Mention) -> Resolution:
        """The identity of ``mention``, which then absorbs it. A paper's mentions come one after another."""
        if mention.paper != self._paper:
            self._link_authors()
            self._paper = mention.paper
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
        best = self.best_candidates(mention)
        if best and _may_be_one([identity for identity, _ in best]):
            return self._assign(mention, *best[0], created=False)
        identity = Identity(default_id(mention, self._seen))
        self.add(identity)
        return self._assign(mention, identity, _ambiguous(best) if best else Evidence("new", 0.0), created=True)

    def best_candidates(self, mention: Mention) -> list[tuple[Identity, Evidence]]:
        """The compatible identities whose evidence decides (:func:`decides`) with the strongest score, in id order:
        the best one, or several that tie."""
        best: list[tuple[Identity, Evidence]] = []
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
            if not decides(evidence, threshold, exact=kind == "exact") or (best and evidence.score < best[0][1].score):
                continue
            found = (candidate, dataclasses.replace(evidence, name=kind))
            best = [*best, found] if best and evidence.score == best[0][1].score else [found]
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
        self._link_authors()
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
        if not mention.ids:
            return True
        kinds = identity.kinds()
        for value in mention.ids:
            kind = value.split(":", 1)[0]
            if kind in kinds and value not in kinds[kind]:
                return False
        return True

    def _near(self, blocks: Iterable[str], identity: Identity) -> set[str]:
        """Those of ``blocks`` with an identity that wrote a paper with one of ``identity``'s partners: by identity,
        as in the graph (a block such as ``bell j`` may hold two people), and from papers resolved before the
        mention's own, as when each paper is a batch of its own."""
        partners = identity.partners
        return {block for block in blocks if not partners.isdisjoint(self._reach.get(block, ()))}

    def _assign(self, mention: Mention, identity: Identity, evidence: Evidence, **how) -> Resolution:
        if mention.paper and mention.ties:
            self._authors.append((mention.person.block, identity))
        added = mention.ids - identity.ids
        identity.absorb(mention)
        self._index(identity)
        return Resolution(identity, evidence, **how, ids=added)

    def _link_authors(self) -> None:
        """Make the authors of the paper resolved last partners, as its COAUTHOR ties do in the graph."""
        authors, self._authors = self._authors, []
        ids = {identity.id for _, identity in authors}
        for block, identity in authors:
            others = ids - {identity.id}
            identity.partners |= others
            self._reach.setdefault(block, set()).update(others)

    def _merge(self, keep: Identity, other: Identity) -> None:
        keep.absorb_identity(other)
        keep.partners -= {keep.id, other.id}
        self.identities.pop(other.id, None)
        self._authors = [(block, keep if identity is other else identity) for block, identity in self._authors]
        for partner_id in other.partners:
            partner = self.identities.get(partner_id)
            if partner is not None:
                partner.partners.add(keep.id)
                for name in partner.names:
                    self._reach.setdefault(parse_person(name).block, set()).add(keep.id)
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
    if _distinct(a, b):
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
    exact = kind == "exact"
    return evidence if decides(evidence, EXACT_THRESHOLD if exact else variant_threshold, exact=exact) else None


def decides(evidence: Evidence, threshold: float, *, exact: bool) -> bool:
    """Whether evidence joins a name (``exact``: the same full name, else a variant such as initials) to an identity:
    it reaches ``threshold``, and a variant shares more than a venue (``J. Leon Zhao`` and ``Junfeng Zhao``, both at
    ICWS, are two people; every namesake of a venue-specific corpus shares its venue).

    Measured by bench/bench_identity.py on nine real files: refusing venue-only variants raised precision on dblp
    (0.915 -> 0.918) and lowered no file's; recall fell on Web of Science (0.994 -> 0.965) and Scopus (0.974 ->
    0.967), whose initials in one journal were right. Refusing venue-only or topics-only joins for full names too
    cost far more: dblp recall 0.990 -> 0.864, Semantic Scholar 0.972 -> 0.884.
    """
    return evidence.score >= threshold and (exact or evidence.personal or bool(evidence.topics))


def _may_be_one(identities: list[Identity]) -> bool:
    """Whether no two of ``identities`` are known to be two people (:func:`_distinct`). A mention they fit equally
    well then joins the first: it may be what ties them together. Otherwise it is ambiguous and joins none."""
    return not any(_distinct(a, b) for index, a in enumerate(identities) for b in identities[index + 1 :])


def _ambiguous(tied: list[tuple[Identity, Evidence]]) -> Evidence:
    """Why a mention that several identities fit equally well is a new identity: the tied score and candidates."""
    _, evidence = tied[0]
    return Evidence("ambiguous", evidence.score, evidence.name, tied=tuple(sorted(i.id for i, _ in tied)))


def _variant_threshold(people: set[PersonName]) -> float:
    """:data:`OPEN_VARIANT_THRESHOLD` when no two of a block's names conflict, else :data:`VARIANT_THRESHOLD`."""
    listed = list(people)
    conflict = any(name_match(a, b) is None for index, a in enumerate(listed) for b in listed[index + 1 :])
    return VARIANT_THRESHOLD if conflict else OPEN_VARIANT_THRESHOLD


def _distinctive_keys(ours: Iterable[str], theirs: Iterable[str], kind: str) -> list[str]:
    """The distinctive names both sides are known by, sorted: any full name when the names match exactly
    (``kind``), else one initials form when it is every name of both."""
    mine = {parse_person(name) for name in ours}
    keys = {person.key for person in mine if person.distinctive}
    if not keys:
        return []
    others = {parse_person(name) for name in theirs}
    if kind != "exact" and len({person.key for person in mine | others}) > 1:
        return []
    return sorted(keys & {person.key for person in others if person.distinctive})


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


def _distinct(a: Identity, b: Identity) -> bool:
    """Whether two identities are known to be two people: a user split them apart, they carry different ids of one
    kind (two ORCIDs, two DBLP homonyms), or they are two listed authors of one paper."""
    if _apart(a, b):
        return True
    kinds = a.kinds()
    if any(kind in kinds and not (values & kinds[kind]) for kind, values in b.kinds().items()):
        return True
    return any(a.papers[p] is not None and b.papers[p] is not None for p in a.papers.keys() & b.papers.keys())


def _apart(a: Identity, b: Identity) -> bool:
    """Whether a user split these identities apart."""
    return b.id in a.distinct_from or a.id in b.distinct_from


def _name_kind(person: PersonName, identity: Identity) -> str | None:
    """The weakest match between a name and every variant of an identity (None if any variant conflicts)."""
    kinds = {name_match(person, parse_person(name)) for name in identity.names} or {"variant"}
    if None in kinds:
        return None
    return "exact" if "exact" in kinds and not person.abbreviated else "variant"
