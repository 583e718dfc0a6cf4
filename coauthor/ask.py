"""Query commands: stats, coauthors, cypher, recommend, path, experts, author, similar, search.

Each parses its options, makes one library call and renders the answer.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Sequence
from typing import Any

import click

from coauthor.base import YEAR, Count, cli, emit, format_option, open_graph, ordered_years
from graph.connection import INT64_MAX
from queries.collaborators import find_coauthors, ties_without_papers, truncated_joint_papers
from queries.cypher import run_cypher
from queries.experts import find_experts
from queries.paths import collaboration_paths
from queries.profile import author_profile
from queries.recommend import METHODS, WEIGHTS, Recommendation, has_topics, recommend
from queries.search import search_papers
from queries.similar import similar_authors
from queries.stats import graph_stats


@cli.command()
@format_option("table", "json", "csv")
@click.pass_context
def stats(ctx: click.Context, fmt: str) -> None:
    """Count authors, papers, topics, AUTHORED relationships and COAUTHOR pairs."""
    counts = dataclasses.asdict(graph_stats(open_graph(ctx)))
    if fmt == "json":
        click.echo(json.dumps(counts, indent=2))
    else:
        emit([{"what": key, "count": value} for key, value in counts.items()], fmt)


@cli.command()
@click.argument("name")
@click.option("--limit", type=Count(), help="Show at most this many coauthors.")
@click.option(
    "--since",
    type=YEAR,
    callback=ordered_years,
    help="Count only papers of this year or later (ties without papers drop out).",
)
@click.option(
    "--until",
    type=YEAR,
    callback=ordered_years,
    help="Count only papers of this year or earlier (ties without papers drop out).",
)
@click.option(
    "--fractional",
    is_flag=True,
    help="Each paper of n authors adds 1/(n-1) to a tie; sort by that (ties without papers drop out). n counts the "
    'authors named, so a paper listed "et al." adds an upper bound (column truncated_papers counts them).',
)
@format_option()
@click.pass_context
def coauthors(
    ctx: click.Context, name: str, limit: int | None, since: int | None, until: int | None, fractional: bool, fmt: str
) -> None:
    """List NAME's coauthors (NAME may also be an author id), most joint papers first.

    --since, --until and --fractional count joint papers, so ties known without papers (SNAP, GML) drop out;
    a note on standard error says how many. --fractional also says how many joint papers have author lists cut
    short ("et al."): their shares, over the authors named, are upper bounds.
    """
    graph = open_graph(ctx)
    found = find_coauthors(graph, name, limit=limit, since=since, until=until, fractional=fractional)
    flags = given_flags(since=since, until=until, fractional=fractional)
    left_out = ties_without_papers(graph, name) if flags else 0
    extra = ("fractional", "truncated_papers") if fractional else ()
    columns = ("name", "weight", *extra, "first_year", "last_year", "id")
    title = f"Coauthors of {name}{' among ties with papers' if left_out else ''}"
    emit([dataclasses.asdict(c) for c in found], fmt, title=title, columns=columns)
    note_ties_left_out(left_out, flags)
    if fractional:
        _note_truncated(truncated_joint_papers(graph, name, since=since, until=until))


def given_flags(**options: Any) -> list[str]:
    """The options given (neither None nor False), as flags: ``since=2000, topic=None`` -> ``["--since"]``."""
    return [
        "--" + option.replace("_", "-") for option, value in options.items() if value is not None and value is not False
    ]


def note_ties_left_out(left_out: int, flags: Sequence[str]) -> None:
    """Say on standard error how many ties known without papers (SNAP, GML) the options ``flags``, which count
    joint papers, left out (nothing when none)."""
    if not left_out:
        return
    ties = "1 tie known without papers is" if left_out == 1 else f"{left_out:,} ties known without papers are"
    listed = flags[0] if len(flags) == 1 else f"{', '.join(flags[:-1])} and {flags[-1]}"
    counts = "counts" if len(flags) == 1 else "count"
    click.echo(f"note: {ties} left out: {listed} {counts} joint papers", err=True)


def _note_truncated(papers: int) -> None:
    """Say on standard error how many joint papers counted by --fractional have author lists cut short."""
    if not papers:
        return
    one = papers == 1
    these = (
        "1 joint paper counted has its author list"
        if one
        else f"{papers:,} joint papers counted have their author lists"
    )
    shares = "its fractional share is an upper bound" if one else "their fractional shares are upper bounds"
    click.echo(f'note: {these} cut short ("et al."), so {shares}', err=True)


@cli.command()
@click.argument("query")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A query parameter; VALUE is read as JSON when it parses, else as text. Repeatable.",
)
@click.option("--write", is_flag=True, help="Allow the query to change the graph.")
@format_option()
@click.pass_context
def cypher(ctx: click.Context, query: str, params: tuple[str, ...], write: bool, fmt: str) -> None:
    """Run a Cypher QUERY with parameters; read-only unless --write.

    Example: coauthor cypher 'MATCH (a:Author {name: $name}) RETURN a.id' --param name='Ada Lovelace'
    """
    parsed = dict(_parse_param(p) for p in params)  # a usage error is reported before connecting
    result = run_cypher(open_graph(ctx), query, parsed, write=write)
    emit([dict(zip(result.columns, row, strict=True)) for row in result.rows], fmt, columns=result.columns)


def _parse_param(text: str) -> tuple[str, Any]:
    """``KEY=VALUE``, the value read as JSON when it parses, else as text; an integer Neo4j cannot hold is a usage
    error."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"{text!r} is not KEY=VALUE", param_hint="--param")
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        return key, value
    too_large = [n for n in _integers(parsed) if not -INT64_MAX - 1 <= n <= INT64_MAX]
    if too_large:
        raise click.BadParameter(
            f"{text!r}: {too_large[0]} does not fit in Neo4j's 64-bit integers ({-INT64_MAX - 1} to {INT64_MAX})",
            param_hint="--param",
        )
    return key, parsed


def _integers(value: Any) -> Iterator[int]:
    """The integers in a parsed JSON value, at any depth."""
    if isinstance(value, int) and not isinstance(value, bool):
        yield value
    elif isinstance(value, (list, dict)):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _integers(item)


# ---------------------------------------------------------------------- collaborator discovery
# (recommend, path, experts, author, similar, search: each parses, makes one library call, renders)


def answer(found: Any, rows: list[dict[str, Any]], fmt: str, *, title: str, columns: Sequence[str]) -> None:
    """JSON prints the whole answer as one object; table and CSV print its rows."""
    if fmt == "json":
        click.echo(json.dumps(dataclasses.asdict(found), ensure_ascii=False, indent=2, default=str))
    else:
        emit(rows, fmt, title=title, columns=columns)


def _papers(papers: Sequence[Any]) -> str:
    return "; ".join(f"{paper.title} ({paper.year})" for paper in papers)


@cli.command("recommend")
@click.argument("name")
@click.option("--depth", type=click.IntRange(2, 3), default=2, show_default=True, help="Look 2 or 3 hops away.")
@click.option("--topic", help="Only candidates with papers on this topic or its subtopics.")
@click.option("--since", type=YEAR, help="Only ties whose last joint paper is of this year or later.")
@click.option("--limit", type=Count(), default=10, show_default=True, help="Suggest this many.")
@click.option("--method", type=click.Choice(METHODS), default="combined", show_default=True, help="Rank by.")
@format_option()
@click.pass_context
def recommend_command(
    ctx: click.Context, name: str, depth: int, topic: str | None, since: int | None, limit: int, method: str, fmt: str
) -> None:
    """Suggest new collaborators for NAME, each with its reasons.

    Candidates are within --depth hops and have never written with NAME. Methods: aa (Adamic-Adar), ra
    (resource allocation), cn (common coauthors), topic (topic-profile cosine), combined (0.3 aa + 0.2 ra +
    0.1 cn, each scaled by its maximum, + 0.25 topic + 0.15 recency, half-life 5 years). A single method lists
    only the candidates it scores above 0 (topic: none for an author without topics, as DBLP and SNAP authors
    are). JSON adds the joint papers behind every shared coauthor.
    """
    graph = open_graph(ctx)
    found = recommend(graph, name, depth=depth, topic=topic, since=since, limit=limit, method=method)
    if fmt == "json":
        emit([dataclasses.asdict(r) for r in found], fmt)
    else:
        _print_recommendations(found, name, method, fmt)
    if since is not None:
        note_ties_left_out(ties_without_papers(graph, name), ["--since"])
    if not found and method == "topic" and not has_topics(graph, name):
        click.echo(f"note: {name} has no topics to compare, so --method topic ranks no one", err=True)


def _print_recommendations(found: list[Recommendation], name: str, method: str, fmt: str) -> None:
    """The table (each candidate's explanation below it) or CSV (the explanation in column ``why``)."""
    rows = [
        {
            "name": r.name,
            "score": round(r.score, 3),
            **{part: round(value, 3) for part, value in r.parts.items() if part != "combined"},
            "via": "; ".join(s.name for s in r.shared_coauthors),
            "topics": "; ".join(r.shared_topics),
            "id": r.id,
            "why": _why(r, name),
        }
        for r in found
    ]
    columns = ("name", "score", *WEIGHTS, "via", "topics", "id", *(("why",) if fmt == "csv" else ()))
    emit(rows, fmt, title=f"New collaborators for {name} (by {method})", columns=columns)
    if fmt == "table":
        for row in rows:
            click.echo(f"{row['name']}: {row['why']}")


def _why(found: Recommendation, author: str) -> str:
    """A recommendation's explanation in one line: each shared coauthor with a joint paper on either side."""
    via = [
        f"{s.name} ({_papers(s.with_author[:1])} with {author}; {_papers(s.with_candidate[:1])} with {found.name})"
        for s in found.shared_coauthors
    ]
    more = found.shared_coauthor_count - len(via)
    parts = ["via " + ", ".join(via) + (f" and {more} more" if more else "")] if via else []
    parts.append("shared topics: " + ("; ".join(found.shared_topics) or "none"))
    return "; ".join(parts)


@cli.command()
@click.argument("source")
@click.argument("target")
@click.option("--all", "all_paths", is_flag=True, help="Every shortest chain (at most --limit), not just one.")
# collaboration_paths asks for one chain more than --limit, to tell whether more exist.
@click.option("--limit", type=Count(maximum=INT64_MAX - 1), default=50, show_default=True, help="Bound for --all.")
@click.option("--as-of", type=YEAR, help="Use only papers of this year or earlier.")
@click.option("--max-hops", type=Count(), default=10, show_default=True, help="Longest chain to accept.")
@format_option()
@click.pass_context
def path(
    ctx: click.Context,
    source: str,
    target: str,
    all_paths: bool,
    limit: int,
    as_of: int | None,
    max_hops: int,
    fmt: str,
) -> None:
    """Show the shortest collaboration chain from SOURCE to TARGET and the papers that make each hop.

    Exits with code 10 (and says why) when no chain links them, or when the shortest is longer than --max-hops;
    with code 2 when SOURCE and TARGET name one author.
    """
    found = collaboration_paths(
        open_graph(ctx), source, target, all_paths=all_paths, as_of=as_of, max_hops=max_hops, limit=limit
    )
    rows = [
        {
            "path": number,
            "hop": step,
            "from": hop.source_name,
            "to": hop.target_name,
            "papers": hop.paper_count,
            "joint papers": _papers(hop.papers),
        }
        for number, chain in enumerate(found.paths, start=1)
        for step, hop in enumerate(chain.hops, start=1)
    ]
    more = " (more of this length exist)" if found.more else ""
    title = (
        f"{found.source.name} -> {found.target.name}: distance {found.length}, "
        f"{len(found.paths)} chain{'s' if len(found.paths) > 1 else ''} shown{more}"
    )
    answer(found, rows, fmt, title=title, columns=("path", "hop", "from", "to", "papers", "joint papers"))


@cli.command()
@click.argument("topic")
@click.option("--limit", type=Count(), default=10, show_default=True, help="Show this many authors.")
@format_option()
@click.pass_context
def experts(ctx: click.Context, topic: str, limit: int, fmt: str) -> None:
    """Rank authors by their papers in TOPIC and its subtopics, recent papers weighing more.

    TOPIC is a topic id (arxiv:cs.LG), a bare id (cs.LG) or a name, in any case and with or without accents.
    """
    found = find_experts(open_graph(ctx), topic, limit=limit)
    rows = [{**dataclasses.asdict(e), "score": round(e.score, 4)} for e in found.experts]
    title = f"Experts on {', '.join(found.topic.names)} ({len(found.topic.scope)} topics with subtopics)"
    answer(found, rows, fmt, title=title, columns=("name", "score", "papers", "first_year", "last_year", "id"))


@cli.command()
@click.argument("name")
@format_option()
@click.pass_context
def author(ctx: click.Context, name: str, fmt: str) -> None:
    """Show NAME's profile: papers, coauthors, topics, years, h-index, and what a profile page reported.

    The table format prints the facts, then the papers; CSV prints one row per paper.
    """
    found = author_profile(open_graph(ctx), name)
    papers = [{**dataclasses.asdict(p), "topics": "; ".join(p.topics)} for p in found.papers]
    columns = ("year", "title", "venue", "topics", "citations", "position")
    if fmt == "table":
        h_index = f"{found.h_index} (over {found.papers_with_citations} papers with citation counts)"
        facts = {
            "id": found.id,
            "names": "; ".join(found.names),
            "papers": found.paper_count,
            "coauthors": found.coauthor_count,
            "years": f"{found.first_year}-{found.last_year}" if found.first_year else "unknown",
            "top topics": "; ".join(f"{topic} ({count})" for topic, count in found.top_topics),
            "h-index": h_index if found.h_index is not None else "unknown (no citation counts)",
            **({"reported by": found.reported_by} if found.reported_by else {}),
            **{f"reported {key}": value for key, value in found.reported.items()},
        }
        emit([{"what": key, "value": value} for key, value in facts.items()], fmt, title=found.name)
    answer(found, papers, fmt, title=f"Papers of {found.name}", columns=columns)


@cli.command()
@click.argument("name")
@click.option("--limit", type=Count(), default=10, show_default=True, help="Show this many authors.")
@click.option("--include-coauthors", is_flag=True, help="Also list authors NAME has written with.")
@format_option()
@click.pass_context
def similar(ctx: click.Context, name: str, limit: int, include_coauthors: bool, fmt: str) -> None:
    """List authors whose topic profiles are closest to NAME's (cosine of papers per topic)."""
    found = similar_authors(open_graph(ctx), name, limit=limit, include_coauthors=include_coauthors)
    rows = [
        {**dataclasses.asdict(s), "similarity": round(s.similarity, 4), "shared_topics": "; ".join(s.shared_topics)}
        for s in found
    ]
    if fmt == "json":
        rows = [dataclasses.asdict(s) for s in found]
    columns = ("name", "similarity", "shared_topics", "coauthor", "id")
    emit(rows, fmt, title=f"Authors similar to {name}", columns=columns)


@cli.command()
@click.argument("text")
@click.option("--limit", type=Count(), default=20, show_default=True, help="Show this many papers.")
@format_option()
@click.pass_context
def search(ctx: click.Context, text: str, limit: int, fmt: str) -> None:
    """Find papers whose title or abstract contains the words of TEXT (full-text, most relevant first).

    TEXT is searched for as plain words, in any case and with or without accents (Surdurulebilir finds
    Sürdürülebilir; the spelling typed ranks first): Lucene operators and special characters in it are taken literally.
    """
    found = search_papers(open_graph(ctx), text, limit=limit)
    rows = [{**dataclasses.asdict(h), "score": round(h.score, 4), "authors": "; ".join(h.authors)} for h in found]
    if fmt == "json":
        rows = [dataclasses.asdict(h) for h in found]
    emit(rows, fmt, title=f"Papers matching {text!r}", columns=("year", "title", "authors", "score", "id"))
