"""The `authors` commands: show an identity with its evidence, list likely duplicates, merge and split by hand."""

from __future__ import annotations

import dataclasses

import click

from coauthor.ask import answer
from coauthor.base import Count, cli, emit, format_option, open_graph, writing_turn
from queries.identity import find_duplicates, merge_authors, show_identity, split_author

AUTHORSHIP_COLUMNS = ("year", "title", "written", "rule", "score", "evidence", "paper")
MERGE_COLUMNS = ("absorbed", "absorbed_names", "rule", "score", "evidence", "manual", "at")
DUPLICATE_COLUMNS = (
    "score",
    "a_name",
    "b_name",
    "name_similarity",
    "name_match",
    "shared_coauthors",
    "shared_topics",
    "a_id",
    "b_id",
)


@cli.group()
def authors() -> None:
    """Author identity: who is who and why, likely duplicates, and your own merge and split decisions.

    Authors are merged automatically when they share an ORCID, OpenAlex or Semantic Scholar author id, a DBLP
    homonym name or an authorship of one paper; a name alone only proposes, and is merged only with evidence
    (shared coauthors, institutions, venues, topics). Manual merges and splits are kept in the graph, so
    reloading the same data does not undo them.
    """


@authors.command("show")
@click.argument("name")
@format_option()
@click.pass_context
def show(ctx: click.Context, name: str, fmt: str) -> None:
    """Show NAME's identity (NAME may be an author id): variants, ids, merges and why each paper is theirs.

    The table format prints the facts, the merges, then the authorships; CSV prints one row per authorship.
    """
    found = show_identity(open_graph(ctx), name)
    if fmt == "table":
        facts = {
            "id": found.id,
            "names": "; ".join(found.names),
            "ids": "; ".join(found.ids) or "none",
            "papers": len(found.authorships),
            "kept apart from": "; ".join(found.distinct_from) or "nobody",
        }
        emit([{"what": key, "value": value} for key, value in facts.items()], fmt, title=found.name)
        if found.merges:
            emit(found.merges, fmt, title="Merged into this author", columns=MERGE_COLUMNS)
    answer(found, found.authorships, fmt, title=f"Authorships of {found.name}", columns=AUTHORSHIP_COLUMNS)


@authors.command("duplicates")
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    default=0.5,
    show_default=True,
    help="List pairs scoring at least this (name similarity times evidence, 0-1).",
)
@click.option("--limit", type=Count(), default=50, show_default=True, help="List at most this many pairs.")
@format_option()
@click.pass_context
def duplicates(ctx: click.Context, min_score: float, limit: int, fmt: str) -> None:
    """List pairs of unmerged authors who may be one person, best first, with the evidence.

    Candidates share a surname and first initial and never wrote a paper together; the evidence is the name
    similarity (rapidfuzz), how the names match, shared coauthors and shared topics.
    """
    pairs = find_duplicates(open_graph(ctx), min_score=min_score, limit=limit)
    emit([dataclasses.asdict(pair) for pair in pairs], fmt, title="Possible duplicates", columns=DUPLICATE_COLUMNS)


@authors.command("merge")
@click.argument("keep")
@click.argument("other")
@format_option()
@click.pass_context
def merge(ctx: click.Context, keep: str, other: str, fmt: str) -> None:
    """Merge author OTHER into author KEEP (names or ids): one person from now on, also after reloads.

    Exits with code 2 when KEEP and OTHER name one author.
    """
    graph = open_graph(ctx)
    with writing_turn(graph):
        change = merge_authors(graph, keep, other)
    emit([dataclasses.asdict(change)], fmt, title="Merged")


@authors.command("split")
@click.argument("author")
@click.argument("papers", nargs=-1, required=True)
@format_option()
@click.pass_context
def split(ctx: click.Context, author: str, papers: tuple[str, ...], fmt: str) -> None:
    """Split AUTHOR's authorships of PAPERS (paper ids, see `authors show`) off into a new author.

    The two are recorded as different people, so no later load merges them again. Exits with code 2 when PAPERS
    are all of AUTHOR's papers (nothing would be left).
    """
    graph = open_graph(ctx)
    with writing_turn(graph):
        change = split_author(graph, author, list(papers))
    emit([dataclasses.asdict(change)], fmt, title="Split")
