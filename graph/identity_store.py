"""Author identities in Neo4j: resolve a batch's mentions against the identities it could join
(:mod:`graph.candidates`), merge two Author nodes, split one, and keep COAUTHOR weights exact while doing so.

Strong ids live on ``(:AuthorId {id: "orcid:..."})-[:IDENTIFIES]->(:Author)`` (one node per id, unique), so an
Author carries any number of ids of any kind. Every merge of two Author nodes leaves an
``(:IdentityMerge)-[:INTO]->(:Author)`` record with its rule, score and evidence; a split leaves
``(:Author)-[:DISTINCT_FROM]->(:Author)``, which the resolver never crosses. Each AUTHORED relationship records
how its mention was resolved (``identity_rule``, ``identity_score``, ``identity_evidence``).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from graph.candidates import CandidateCache, fetch_identities
from graph.errors import CoauthorError
from graph.evidence import Evidence, Mention, strong_ids
from graph.identity import Resolution, Resolver
from graph.model import AuthorProfile, name_key
from graph.names import parse_person

if TYPE_CHECKING:
    import neo4j

__all__ = [
    "merge_author_nodes",
    "recompute_coauthors",
    "resolve_authors",
    "resolve_profiles",
    "split_author_node",
]

MERGE_AUTHOR_NODES = """
MATCH (gone:Author {id: $gone})
MERGE (keep:Author {id: $keep})
  ON CREATE SET keep.name = gone.name, keep.name_key = gone.name_key, keep.block_key = gone.block_key,
                keep.names = []
WITH keep, gone, [(gone)-[:COAUTHOR]-(b) | b.id] AS neighbours
CALL (keep, gone) {
  MATCH (gone)-[r:AUTHORED]->(p:Paper)
  OPTIONAL MATCH (keep)-[k:AUTHORED]->(p)
  WITH r, p, k, keep
  CALL (r, p, k, keep) { WITH * WHERE k IS NULL CREATE (keep)-[n:AUTHORED]->(p) SET n = properties(r) }
  DELETE r
}
CALL (keep, gone) { MATCH (gone)-[r:AFFILIATED_WITH]->(i) MERGE (keep)-[:AFFILIATED_WITH]->(i) DELETE r }
CALL (keep, gone) { MATCH (k:AuthorId)-[r:IDENTIFIES]->(gone) MERGE (k)-[:IDENTIFIES]->(keep) DELETE r }
CALL (keep, gone) { MATCH (m:IdentityMerge)-[r:INTO]->(gone) MERGE (m)-[:INTO]->(keep) DELETE r }
CALL (keep, gone) {
  MATCH (gone)-[r:DISTINCT_FROM]-(o) WHERE o <> keep MERGE (keep)-[:DISTINCT_FROM]->(o) DELETE r
}
SET keep.names = coalesce(keep.names, []) + [n IN coalesce(gone.names, [gone.name]) WHERE NOT n IN keep.names]
WITH keep, gone, neighbours, [k IN keys(gone) WHERE NOT k IN $own_keys] AS copied
FOREACH (k IN copied | SET keep[k] = coalesce(keep[k], gone[k]))
CREATE (m:IdentityMerge {kept: keep.id, absorbed: gone.id, absorbed_names: coalesce(gone.names, [gone.name]),
                         rule: $rule, score: $score, evidence: $evidence, manual: $manual, at: datetime()})
CREATE (m)-[:INTO]->(keep)
DETACH DELETE gone
RETURN neighbours
"""

# The papers two authors both wrote: merging them would leave one of each paper's two authorships.
SHARED_PAPERS = """
MATCH (:Author {id: $keep})-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(:Author {id: $gone})
RETURN p.id AS paper ORDER BY paper
"""

# The names an author's papers were written under, each with whether a split moves that paper.
WRITTEN_NAMES = """
MATCH (old:Author {id: $old})-[r:AUTHORED]->(p:Paper)
RETURN p.id IN $paper_ids AS moving, coalesce(r.name_as_written, old.name) AS written, old.name AS name,
       coalesce(old.names, [old.name]) AS names
"""

MOVE_AUTHORSHIPS = """
MATCH (old:Author {id: $old})-[r:AUTHORED]->(p:Paper) WHERE p.id IN $paper_ids
MERGE (new:Author {id: $new})
  ON CREATE SET new += $new_names
CREATE (new)-[n:AUTHORED]->(p)
SET n = properties(r), n.identity_rule = 'manual', n.identity_score = 1.0,
    n.identity_evidence = 'split from ' + old.id
DELETE r
WITH DISTINCT old, new
SET old += $old_names
MERGE (new)-[d:DISTINCT_FROM]->(old)
  ON CREATE SET d.manual = true, d.at = datetime(), d.papers = $paper_ids
RETURN [(old)-[:COAUTHOR]-(b) | b.id] AS neighbours
"""

DELETE_COAUTHORS = """
UNWIND $ids AS id
MATCH (:Author {id: id})-[c:COAUTHOR]-()
WHERE NOT c.without_papers
DELETE c
"""

ADD_COAUTHORS_FOR = """
UNWIND $ids AS id
MATCH (x:Author {id: id})-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(y:Author)
WHERE NOT coalesce(p.hyperauthored, false)
WITH CASE WHEN x.id < y.id THEN x ELSE y END AS a, CASE WHEN x.id < y.id THEN y ELSE x END AS b, p
WITH a, b, count(DISTINCT p) AS weight, min(p.year) AS first_year, max(p.year) AS last_year
MERGE (a)-[c:COAUTHOR]->(b)
SET c.weight = weight, c.without_papers = false, c.first_year = first_year, c.last_year = last_year
"""

OWN_KEYS = ["id", "name", "names", "name_key", "block_key"]


def resolve_authors(
    tx: neo4j.ManagedTransaction,
    mentions: list[list[Mention]],
    paper_ids: list[str],
    cache: CandidateCache | None = None,
) -> list[list[dict[str, Any]]]:
    """For each paper's mentions: the Author id, the strong ids it adds and the evidence that put it there (the
    writer's author rows). Author nodes that turn out to be one person (their ids meet in a mention) are merged
    in the graph first, with their evidence recorded. Every author of the papers, and every one a merge changes, is
    touched in ``cache``."""
    cache = cache if cache is not None else CandidateCache(limit=0)
    resolutions, final = _resolve(tx, mentions, paper_ids, cache)
    rows = [
        [
            {
                "id": _follow(final, resolution.identity.id),
                "block_key": mention.person.block,
                "strong": sorted(resolution.ids),
                "identity": {
                    "rule": resolution.evidence.rule,
                    "score": resolution.evidence.score,
                    "evidence": resolution.evidence.describe(),
                },
            }
            for mention, resolution in zip(paper_mentions, paper_resolutions, strict=True)
        ]
        for paper_mentions, paper_resolutions in zip(mentions, resolutions, strict=True)
    ]
    cache.touch(author["id"] for paper in rows for author in paper)
    return rows


def resolve_profiles(tx: neo4j.ManagedTransaction, profiles: list[AuthorProfile]) -> list[dict[str, Any]]:
    """For each profile: the Author id (by a strong id, or ``profile:<source_ref>`` that its page's papers gave
    their owner) and the strong ids it adds."""
    mentions = [
        [Mention(profile.name, paper="", position=0, ids=strong_ids(profile.ids) | {f"profile:{profile.source_ref}"})]
        for profile in profiles
    ]
    resolutions, final = _resolve(tx, mentions, [], CandidateCache(limit=0))
    return [{"id": _follow(final, r.identity.id), "strong": sorted(r.ids)} for [r] in resolutions]


def _resolve(
    tx: neo4j.ManagedTransaction, mentions: list[list[Mention]], paper_ids: list[str], cache: CandidateCache
) -> tuple[list[list[Resolution]], dict[str, str]]:
    flat = [mention for paper in mentions for mention in paper]
    known, reach = fetch_identities(tx, flat, paper_ids, cache)
    stored = {identity.id for identity in known}
    resolver = Resolver(known, reach)
    resolutions = [[resolver.resolve(mention) for mention in paper] for paper in mentions]
    return resolutions, _merge_in_graph(tx, resolutions, stored, cache)


def _merge_in_graph(
    tx: neo4j.ManagedTransaction, resolutions: list[list[Resolution]], stored: set[str], cache: CandidateCache
) -> dict:
    """Merge the stored Author nodes the resolver found to be one person (touching them and their coauthors in
    ``cache``); returns absorbed id -> kept id."""
    final: dict[str, str] = {}
    evidence: dict[str, Evidence] = {}
    for resolution in (r for paper in resolutions for r in paper):
        for other, why in resolution.merged:
            final[other.id], evidence[other.id] = resolution.identity.id, why
    for gone, keep in final.items():
        if gone in stored:
            cache.touch([gone, *merge_author_nodes(tx, _follow(final, keep), gone, evidence[gone])])
    return final


def _follow(final: dict[str, str], identity: str) -> str:
    while identity in final:
        identity = final[identity]
    return identity


def merge_author_nodes(
    tx: neo4j.ManagedTransaction, keep: str, gone: str, evidence: Evidence, *, manual: bool = False
) -> list[str]:
    """Make Author ``gone`` part of ``keep`` (its authorships, ids, names, institutions), record the evidence,
    and recompute the COAUTHOR ties of everyone involved. Returns the authors whose ties were recomputed.

    A ``manual`` merge of two authors of one paper raises CoauthorError before changing anything: a paper's two
    authorships are two people (an automatic merge keeps one of them: the source listed one person twice).
    """
    if manual:
        _refuse_coauthors(tx, keep, gone)
    rows = tx.run(
        MERGE_AUTHOR_NODES,
        keep=keep,
        gone=gone,
        own_keys=OWN_KEYS,
        rule=evidence.rule,
        score=evidence.score,
        evidence=evidence.describe(),
        manual=manual,
    ).data()
    touched = sorted({keep, *(neighbour for row in rows for neighbour in row["neighbours"])} - {gone})
    recompute_coauthors(tx, touched)
    return touched


def _refuse_coauthors(tx: neo4j.ManagedTransaction, keep: str, gone: str) -> None:
    """Raise CoauthorError, naming the papers, when ``keep`` and ``gone`` wrote a paper together."""
    shared = [row["paper"] for row in tx.run(SHARED_PAPERS, keep=keep, gone=gone)]
    if shared:
        listed = ", ".join(shared[:5]) + (f" and {len(shared) - 5} more" if len(shared) > 5 else "")
        raise CoauthorError(f"{keep} and {gone} are two authors of {listed}: they cannot be one person")


def split_author_node(tx: neo4j.ManagedTransaction, old: str, new: str, paper_ids: list[str]) -> list[str]:
    """Move ``old``'s authorships of ``paper_ids`` to a new Author ``new``, marked DISTINCT_FROM ``old``, and
    recompute the COAUTHOR ties of both and their coauthors. Returns the authors whose ties were recomputed.

    The new author is named after the names its authorships were written under (the most frequent one), and
    ``old`` keeps the names its remaining authorships (or other sources) give it (:func:`_split_names`)."""
    rows = tx.run(WRITTEN_NAMES, old=old, paper_ids=paper_ids).data()
    new_names, old_names = _split_names(rows)
    rows = tx.run(
        MOVE_AUTHORSHIPS, old=old, new=new, paper_ids=paper_ids, new_names=new_names, old_names=old_names
    ).data()
    touched = sorted({old, new, *(neighbour for row in rows for neighbour in row["neighbours"])})
    recompute_coauthors(tx, touched)
    return touched


def _split_names(rows: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The name properties of a split's new author and the ones that change on the old, from the old author's
    :data:`WRITTEN_NAMES` rows: the new one takes the names its papers were written under; the old one drops the
    variants only the moved papers carried, and, when its name was one of them, is named like the papers it keeps.
    """
    moved = Counter(row["written"] for row in rows if row["moving"])
    kept = Counter(row["written"] for row in rows if not row["moving"])
    old_name, old_names = rows[0]["name"], rows[0]["names"]
    gone = set(moved) - set(kept)
    changes: dict[str, Any] = {"names": sorted({name for name in old_names if name not in gone} | set(kept))}
    if old_name in gone and kept:
        changes.update(_named(_most_frequent(kept)))
        changes["names"] = sorted({*changes["names"], changes["name"]})
    return {**_named(_most_frequent(moved)), "names": sorted(moved)}, changes


def _most_frequent(names: Counter[str]) -> str:
    """The most frequent name; of equally frequent ones, the first in sort order."""
    return min(names, key=lambda name: (-names[name], name))


def _named(name: str) -> dict[str, str]:
    """An Author's name properties for ``name``, as the writer sets them."""
    return {"name": name, "name_key": name_key(name), "block_key": parse_person(name).block}


def recompute_coauthors(tx: neo4j.ManagedTransaction, ids: list[str]) -> None:
    """Rebuild the paper-backed COAUTHOR ties of ``ids`` from AUTHORED (ties known without papers stay)."""
    tx.run(DELETE_COAUTHORS, ids=ids).consume()
    tx.run(ADD_COAUTHORS_FOR, ids=ids).consume()
