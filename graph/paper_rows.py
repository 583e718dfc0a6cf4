"""Turn records into the rows the writer's statements read, and fold the rows of one paper into one.

Which records are one paper (a shared id, DOI, arXiv id or title key), which id it keeps and which value of a field
wins when its records disagree are decided here, by the same rules the writer's Cypher applies between batches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from graph.model import AuthorProfile, AuthorRef, Paper, Tie, TopicRef, name_key
from graph.names import parse_person

__all__ = [
    "HYPERAUTHORED",
    "STRONG_IDS",
    "batch_params",
    "best_ids",
    "better_text",
    "file_of",
    "one_row_per_paper",
    "profile_owners",
    "profile_row",
    "tie_row",
    "unify_within_batch",
    "venue_rows",
]

PAPER_PROPERTIES = (
    "title",
    "abstract",
    "abstract_text",
    "year",
    "date",
    "date_precision",
    "doi",
    "arxiv_id",
    "venue",
    "kind",
    "citations",
    "authors_truncated",
)
ARXIV_VERSION = re.compile(r"v[0-9]+$")
STRONG_IDS = ("doi", "arxiv_id")
#: The rank of a Paper id's kind (others rank 2): a paper keeps the best id any of its records carries.
ID_KINDS = {"doi": 0, "arxiv": 1, "title": 3}
BEST_TEXT_WINS = ["title", "venue"]
LONGEST_WINS = ["abstract", "abstract_text"]
LARGEST_WINS = ["citations", "author_count", "hyperauthored"]
HYPERAUTHORED = 100
"""Papers with more authors keep every AUTHORED link but add no COAUTHOR ties: a 5,000-author paper would add 12.5
million ties that say little about who works with whom (fractional counting gives each 1/4,999)."""


def batch_params(papers: list[Paper]) -> dict[str, Any]:
    """The query parameters for one batch: paper rows, and the topics with their ancestors."""
    topics: dict[str, TopicRef] = {}
    links: set[tuple[str, str]] = set()
    for paper in papers:
        for topic in paper.topics:
            _collect_topic(topic, topics, links)
    return {
        "texts": BEST_TEXT_WINS,
        "longest": LONGEST_WINS,
        "largest": LARGEST_WINS,
        "rows": [_paper_row(paper) for paper in papers],
        "topics": [{"id": t.id, "name": t.name, "kind": t.kind} for t in topics.values()],
        "links": [{"child": child, "parent": parent} for child, parent in sorted(links)],
    }


def profile_owners(profiles: Iterable[AuthorProfile]) -> dict[str, dict[str, str]]:
    """File name -> folded owner name -> ``profile:<source_ref>``: a profile page says whose papers it lists."""
    owners: dict[str, dict[str, str]] = {}
    for profile in profiles:
        owners.setdefault(file_of(profile.source_ref), {})[name_key(profile.name)] = f"profile:{profile.source_ref}"
    return owners


def file_of(source_ref: str) -> str:
    """The file a record's ``source_ref`` names (the part before its first colon)."""
    return source_ref.split(":", 1)[0]


def unify_within_batch(rows: list[dict[str, Any]], resolved: list[dict[str, Any]]) -> list[str]:
    """The node id of each row: rows of one batch that share an id, DOI, arXiv id or title key take the id of the
    first of them, as they would if they had come in separate batches. A title key never joins records whose
    DOIs or arXiv ids differ (a dataset's versions, an article and its erratum)."""
    first: dict[tuple[str, str], str] = {}
    strong: dict[str, dict[str, str]] = {}
    ids = []
    for row, found in zip(rows, resolved, strict=True):
        own = {name: row["props"][name] for name in STRONG_IDS if name in row["props"]}
        keys = [key for key in [("id", found["id"]), *own.items(), ("match", row["match_key"])] if key[1]]
        candidates = [first[key] for key in keys if key in first]
        chosen = next((c for c in candidates if not _conflict(strong.get(c, {}), own)), found["id"])
        for key in keys:
            first.setdefault(key, chosen)
        for name, value in own.items():
            strong.setdefault(chosen, {}).setdefault(name, value)
        ids.append(chosen)
    return ids


def best_ids(rows: list[dict[str, Any]], ids: list[str], existing: set[str]) -> tuple[list[str], list[dict[str, str]]]:
    """Each row's node id made the best of the ids its paper's records carry (:func:`_id_rank`), so that the id
    does not depend on which record came first; returns the ids and the existing nodes to rename."""
    carried: dict[str, set[str]] = {}
    for row, id_ in zip(rows, ids, strict=True):
        carried.setdefault(id_, {id_}).add(row["id"])
    # An id that names another existing node stays with it.
    best = {id_: min(found - (existing - {id_}), key=_id_rank) for id_, found in carried.items()}
    renames = [{"old": id_, "new": new} for id_, new in sorted(best.items()) if new != id_ and id_ in existing]
    return [best[id_] for id_ in ids], renames


def _id_rank(paper_id: str) -> tuple[int, str]:
    """DOI ids first, then arXiv ids, a source's own ids, title digests; the smallest within a kind."""
    return ID_KINDS.get(paper_id.split(":", 1)[0], 2), paper_id


def one_row_per_paper(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The paper-level fields of the rows of one batch, folded into one row per paper id by the same rules the
    server applies between batches (a statement reads every row's old values before it writes any)."""
    papers: dict[str, dict[str, Any]] = {}
    for row in rows:
        paper = papers.setdefault(
            row["id"], {"id": row["id"], "match_key": None, "props": {}, "sources": set(), "source_refs": set()}
        )
        if row["match_key"] and (paper["match_key"] is None or row["match_key"] < paper["match_key"]):
            paper["match_key"] = row["match_key"]
        paper["sources"].add(row["source"])
        paper["source_refs"].add(row["source_ref"])
        for key, value in row["props"].items():
            old = paper["props"].get(key)
            paper["props"][key] = value if old is None else _merged_field(key, old, value)
    for paper in papers.values():
        paper["sources"], paper["source_refs"] = sorted(paper["sources"]), sorted(paper["source_refs"])
        venue = paper["props"].get("venue")
        paper["venue_id"] = f"venue:{name_key(venue)}" if venue and name_key(venue) else None
    return list(papers.values())


def venue_rows(papers: list[dict[str, Any]]) -> list[dict[str, str]]:
    """One row per venue of the batch, under its best-written name."""
    venues: dict[str, str] = {}
    for paper in papers:
        if paper["venue_id"]:
            name = paper["props"]["venue"]
            known = venues.get(paper["venue_id"])
            venues[paper["venue_id"]] = name if known is None else min(known, name, key=_text_quality)
    return [{"id": id_, "name": name} for id_, name in sorted(venues.items())]


def _merged_field(key: str, old: Any, value: Any) -> Any:
    """MERGE_PAPERS's field rule in Python."""
    if key in BEST_TEXT_WINS:
        return min(old, value, key=_text_quality)
    if key in LONGEST_WINS:
        return min(old, value, key=lambda text: (-len(text), text))
    if key in LARGEST_WINS:
        return max(old, value)
    if key == "authors_truncated":
        return old and value
    return min(old, value)


def _text_quality(text: str) -> tuple[bool, bool, int, str]:
    """Smaller is better: mixed case over SHOUTING or all lower case, no trailing period, longer, then by text."""
    return (text.upper() == text or text.lower() == text, text.endswith("."), -len(text), text)


def better_text(new: str, old: str) -> str:
    """A Cypher condition: text ``new`` is better written than ``old`` (the order of :func:`_text_quality`)."""
    shouts = "(toUpper({0}) = {0} OR toLower({0}) = {0})"
    return (
        f"CASE WHEN {shouts.format(new)} <> {shouts.format(old)} THEN NOT {shouts.format(new)} "
        f"WHEN ({new} ENDS WITH '.') <> ({old} ENDS WITH '.') THEN NOT {new} ENDS WITH '.' "
        f"WHEN size({new}) <> size({old}) THEN size({new}) > size({old}) "
        f"ELSE {new} < {old} END"
    )


def _conflict(ids: dict[str, str], other: dict[str, str]) -> bool:
    return any(name in ids and ids[name] != value for name, value in other.items())


def _paper_row(paper: Paper) -> dict[str, Any]:
    props = {name: getattr(paper, name) for name in PAPER_PROPERTIES if getattr(paper, name) is not None}
    if paper.doi:
        props["doi"] = paper.doi.lower()  # DOIs are case-insensitive; one spelling lets the index find them
    if paper.arxiv_id:
        props["arxiv_id"] = ARXIV_VERSION.sub("", paper.arxiv_id)
    props.update({f"ext_{kind}": value for kind, value in paper.external_ids.items()})
    props["author_count"] = len(paper.authors)
    if len(paper.authors) > HYPERAUTHORED:
        props["hyperauthored"] = True
    return {
        "id": paper.key,
        "match_key": paper.match_key,
        "props": props,
        "source": paper.source,
        "source_ref": paper.source_ref,
        "authors": [
            {
                "id": author.key,
                "name": author.name,
                "name_key": name_key(author.name),
                "position": author.position,
                "inferred": author.inferred,
                "affiliation": author.affiliation,
                "institutions": _institutions(author.affiliation),
                "corresponding": author.corresponding,
                "ids": dict(author.ids),
            }
            for author in paper.authors
        ],
        "topic_ids": sorted({topic.id for topic in paper.topics}),
    }


def _institutions(affiliation: str | None) -> list[dict[str, str]]:
    """Institution nodes for an affiliation string; sources join several with "; "."""
    names = [name.strip() for name in (affiliation or "").split(";")]
    return [{"id": f"institution:{name_key(name)}", "name": name} for name in names if name_key(name)]


def profile_row(profile: AuthorProfile) -> dict[str, Any]:
    """The MERGE_PROFILES row of a profile: its author, ids and what the source reported about them."""
    reported = {f"reported_{metric}": value for metric, value in profile.metrics.items()}
    reported["reported_by"] = profile.source_ref
    if profile.primary_topic:
        reported["reported_primary_topic"] = profile.primary_topic.id
    return {
        "id": profile.key,
        "name": profile.name,
        "name_key": name_key(profile.name),
        "block_key": parse_person(profile.name).block,
        "ids": dict(profile.ids),
        "reported": reported,
    }


def tie_row(tie: Tie) -> dict[str, Any]:
    """The MERGE_TIES row of a tie: its two authors in key order, its weight and its source."""
    a, b = sorted((tie.a, tie.b), key=lambda author: author.key)
    return {"a": _author_node(a), "b": _author_node(b), "weight": tie.weight, "source": tie.source}


def _author_node(author: AuthorRef) -> dict[str, str]:
    return {"id": author.key, "name": author.name, "name_key": name_key(author.name)}


def _collect_topic(topic: TopicRef, topics: dict[str, TopicRef], links: set[tuple[str, str]]) -> None:
    while topic is not None:
        known = topics.get(topic.id)
        if known is None or topic.name < known.name:  # the smallest name, as MERGE_TOPICS keeps between batches
            topics[topic.id] = topic
        if topic.parent is not None:
            links.add((topic.id, topic.parent.id))
        topic = topic.parent
