"""Communities and centrality commands; igraph and numpy load on first use, so only these commands pay for them."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import click

from coauthor.ask import given_flags, note_ties_left_out
from coauthor.base import RESOLUTION, SEED, YEAR, Count, cli, emit, format_option, open_graph, ordered_years, stderr
from graph.errors import CoauthorError


def projection_options(command: Callable) -> Callable:
    """The filters of the coauthorship graph that communities and centrality run on; the commands that take them
    say on standard error how many ties known without papers (SNAP, GML) --since, --until and --topic left out."""
    options = (
        click.option(
            "--since",
            type=YEAR,
            callback=ordered_years,
            help="Count only joint papers of this year or later (ties without papers drop out).",
        ),
        click.option(
            "--until",
            type=YEAR,
            callback=ordered_years,
            help="Count only joint papers of this year or earlier (ties without papers drop out).",
        ),
        click.option(
            "--topic",
            help="Count only joint papers on this topic (id or name) or its subtopics (ties without papers drop out).",
        ),
        click.option("--min-weight", type=float, default=0, show_default=True, help="Drop lighter ties."),
        click.option("--around", metavar="NAME", help="Only the authors within --hops ties of NAME (or id)."),
        click.option("--hops", type=Count(), default=2, show_default=True, help="Hops for --around."),
    )
    for option in reversed(options):
        command = option(command)
    return command


def _filter(filters: dict[str, Any]) -> Any:
    from queries.projection import ProjectionFilter

    return ProjectionFilter(
        first_year=filters["since"],
        last_year=filters["until"],
        topic=filters["topic"],
        min_weight=filters["min_weight"],
        around=filters["around"],
        hops=filters["hops"],
    )


def _project(ctx: click.Context, filters: dict[str, Any]) -> Any:
    from queries.projection import project_coauthors

    return project_coauthors(open_graph(ctx), _filter(filters))


def _note_ties_left_out(ctx: click.Context, filters: dict[str, Any]) -> None:
    """Say on standard error how many ties known without papers --since, --until and --topic left out."""
    from queries.projection import ties_left_out

    flags = given_flags(since=filters["since"], until=filters["until"], topic=filters["topic"])
    note_ties_left_out(ties_left_out(open_graph(ctx), _filter(filters)), flags)


def engine_option(help_text: str) -> Callable:
    """``--engine python|gds``: igraph on a projection, or the Graph Data Science plugin inside Neo4j."""
    return click.option(
        "--engine", type=click.Choice(("python", "gds")), default="python", show_default=True, help=help_text
    )


def _gds_partition(ctx: click.Context, projection: Any, algorithm: str, resolution: float, seed: int) -> Any:
    """The partition GDS finds on the projection's filter, in the projection's vertex order."""
    from queries.gds import detect_communities_gds

    found = detect_communities_gds(open_graph(ctx), projection.filter, algorithm, resolution=resolution, seed=seed)
    if found.ids != projection.ids:
        raise CoauthorError("the graph changed while GDS ran (its authors differ from the projection's)", "run again")
    return found.partition


@cli.group(invoke_without_command=True)
@click.option(
    "--algorithm", type=click.Choice(("leiden", "louvain", "lpa", "wcc")), default="leiden", show_default=True
)
@click.option("--objective", type=click.Choice(("modularity", "cpm")), default="modularity", show_default=True)
@click.option("--resolution", type=RESOLUTION, default=1.0, show_default=True, help="Leiden and Louvain.")
@click.option("--seed", type=SEED, default=42, show_default=True, help="Same seed and graph, same communities.")
@click.option("--min-size", type=Count(), default=1, show_default=True, help="Hide smaller communities.")
@click.option("--limit", type=Count(), default=20, show_default=True, help="Show this many communities.")
@click.option("--write", "run", metavar="NAME", help="Store the run in the graph as NAME (replacing only NAME).")
@engine_option("gds: Leiden or Louvain inside Neo4j (modularity; needs the GDS plugin, see `db start --with-gds`).")
@projection_options
@format_option()
@click.pass_context
def communities(
    ctx: click.Context,
    engine: str,
    algorithm: str,
    objective: str,
    resolution: float,
    seed: int,
    min_size: int,
    limit: int,
    run: str | None,
    fmt: str,
    **filters: Any,
) -> None:
    """Find communities of coauthors (Leiden by default), labelled with top authors, topics and years.

    Top topics are the most distinctive ones (TF-IDF of topic counts against the whole graph) among those at
    least two of the community's papers carry (any of its topics when it has one paper): no label rests on a
    single paper, so a community may have none. Top authors have the heaviest ties inside their community. With
    --since, --until or --topic, the topics and years come from the papers those filters keep.
    Modularity is weighted, at the run's resolution. With --engine gds, Leiden or Louvain runs inside Neo4j on one
    thread (Leiden seeded), on the same filtered graph. --format json gives one object: algorithm, parameters,
    modularity, authors, community_count (all communities) and communities (those shown, largest first).
    """
    if ctx.invoked_subcommand:
        return
    from queries.communities import describe_communities, detect_communities, write_run

    if objective == "cpm" and algorithm != "leiden":
        raise click.UsageError("--objective cpm applies to --algorithm leiden only")
    if algorithm in ("lpa", "wcc") and resolution != 1:
        raise click.UsageError(f"--algorithm {algorithm} has no --resolution: use leiden or louvain")
    if run is not None and not run.strip():
        raise click.BadParameter("a run needs a name", param_hint="--write")
    if engine == "gds" and (algorithm not in ("leiden", "louvain") or objective != "modularity"):
        raise click.UsageError("--engine gds runs --algorithm leiden or louvain, with --objective modularity")
    if engine == "gds" and algorithm == "louvain" and resolution != 1:
        raise click.UsageError("GDS's Louvain has no --resolution: use leiden (its gamma) or --engine python")
    graph, projection = open_graph(ctx), _project(ctx, filters)
    if engine == "gds":
        partition = _gds_partition(ctx, projection, algorithm, resolution, seed)
    else:
        partition = detect_communities(projection, algorithm, objective=objective, resolution=resolution, seed=seed)
    found = describe_communities(graph, projection, partition, min_size=min_size, limit=limit)
    if run:
        written = write_run(graph, run, projection, partition)
        stderr.print(f"stored run {run!r}: {written} authors in {len(partition.sizes)} communities", markup=False)
    rows = [dataclasses.asdict(c) for c in found]
    if fmt == "json":
        answer = {"algorithm": algorithm, "parameters": partition.parameters, "modularity": partition.modularity}
        counts = {"authors": len(projection.ids), "community_count": len(partition.sizes)}
        click.echo(json.dumps({**answer, **counts, "communities": rows}, indent=2))
    else:
        title = (
            f"{algorithm} {json.dumps(partition.parameters)}: modularity {partition.modularity:.4f}, "
            f"{len(partition.sizes)} communities over {len(projection.ids)} authors; {len(rows)} shown"
        )
        columns = ("id", "size", "top_authors", "top_topics", "first_year", "last_year")
        emit(_joined(rows, fmt, "top_authors", "top_topics"), fmt, title=title, columns=columns)
    _note_ties_left_out(ctx, filters)


@communities.command("sweep")
@click.option(
    "--resolutions",
    default="0.2,0.5,1,2",
    show_default=True,
    callback=lambda ctx, param, value: [RESOLUTION.convert(item, param, ctx) for item in value.split(",")],
    help="Comma-separated resolutions.",
)
@click.option("--algorithm", type=click.Choice(("leiden", "louvain")), default="leiden", show_default=True)
@click.option("--objective", type=click.Choice(("modularity", "cpm")), default="modularity", show_default=True)
@click.option("--seed", type=SEED, default=42, show_default=True, help="The first of the seeds.")
@click.option("--seeds", type=Count(2), default=5, show_default=True, help="Runs per resolution.")
@engine_option("gds: Leiden inside Neo4j (modularity; needs the GDS plugin, see `db start --with-gds`).")
@projection_options
@format_option()
@click.pass_context
def communities_sweep(
    ctx: click.Context,
    resolutions: list[float],
    algorithm: str,
    objective: str,
    seed: int,
    seeds: int,
    engine: str,
    fmt: str,
    **filters: Any,
) -> None:
    """Per resolution: number of communities, modularity, and stability (mean adjusted Rand index over seeds).

    With --engine gds, GDS's Leiden runs each seed inside Neo4j on one projection of the filtered graph."""
    from queries.communities import sweep_resolutions
    from queries.gds import sweep_resolutions_gds

    if objective == "cpm" and algorithm != "leiden":
        raise click.UsageError("--objective cpm applies to --algorithm leiden only")
    if engine == "gds" and (algorithm != "leiden" or objective != "modularity"):
        raise click.UsageError("--engine gds sweeps --algorithm leiden with --objective modularity")
    projection = _project(ctx, filters)
    if engine == "gds":
        points = sweep_resolutions_gds(open_graph(ctx), projection.filter, resolutions, seed=seed, seeds=seeds)
    else:
        points = sweep_resolutions(
            projection, resolutions, algorithm=algorithm, objective=objective, seed=seed, seeds=seeds
        )
    rows = [dataclasses.asdict(point) for point in points]
    if fmt != "json":
        rows = [
            {**row, "modularity": round(row["modularity"], 4), "stability": round(row["stability"], 4)} for row in rows
        ]
    emit(
        rows,
        fmt,
        title=f"{algorithm} ({objective}) over {len(projection.ids)} authors, seeds {seed}..{seed + seeds - 1}",
    )
    _note_ties_left_out(ctx, filters)


@communities.command("themes")
@click.option("--resolution", type=RESOLUTION, default=1.0, show_default=True)
@click.option("--seed", type=SEED, default=42, show_default=True)
@click.option("--author", metavar="NAME", help="Show this author's theme mix instead.")
@format_option()
@click.pass_context
def communities_themes(ctx: click.Context, resolution: float, seed: int, author: str | None, fmt: str) -> None:
    """Cluster topics that share papers into research themes, or show an author's mix of themes."""
    from queries.themes import find_themes, theme_mix

    graph = open_graph(ctx)
    found = find_themes(graph, resolution=resolution, seed=seed)
    if author:
        labels = {theme.id: list(theme.topics[:3]) for theme in found.themes}
        mix = theme_mix(graph, found, author)
        rows = [{"theme": n, "share": round(share, 4), "topics": labels[n]} for n, share in mix.items()]
        emit(_joined(rows, fmt, "topics"), fmt, title=f"Themes of {author}")
        return
    rows = [{**dataclasses.asdict(theme), "topics": list(theme.topics)} for theme in found.themes]
    title = f"{len(rows)} themes (modularity {found.modularity:.4f})"
    emit(_joined(rows, fmt, "topics"), fmt, title=title, columns=("id", "papers", "topics"))


def _joined(rows: list[dict[str, Any]], fmt: str, *fields: str) -> list[dict[str, Any]]:
    """Rows whose list ``fields`` stay lists in JSON and read ``a; b; c`` in a table or CSV."""
    if fmt == "json":
        return rows
    return [{**row, **{field: "; ".join(row[field]) for field in fields}} for row in rows]


@cli.group()
def community() -> None:
    """Look into one community of a stored run."""


@community.command("show")
@click.argument("run")
@click.argument("number", metavar="ID", type=Count())
@click.option("--limit", type=Count(), default=10, show_default=True, help="Members and bridges shown.")
@format_option()
@click.pass_context
def community_show(ctx: click.Context, run: str, number: int, limit: int, fmt: str) -> None:
    """Members, internal density, topics and ties to other communities of community ID of run RUN.

    --format csv prints one table: the members and the bridges, each row with its role."""
    from queries.centrality import show_community

    found = show_community(open_graph(ctx), run, number, top=limit)
    if fmt == "json":
        click.echo(json.dumps(dataclasses.asdict(found), indent=2))
        return
    columns = ("name", "score", "id")
    if fmt == "csv":
        people = [("member", a) for a in found.members] + [("bridge", a) for a in found.bridges]
        emit([{"role": role, **dataclasses.asdict(a)} for role, a in people], fmt, columns=("role", *columns))
        return
    facts = {
        "size": found.size,
        "internal ties": found.internal_ties,
        "density": round(found.density, 4),
        "topics": "; ".join(found.topics),
        "ties to communities": "; ".join(f"{n}: {ties}" for n, ties in list(found.neighbours.items())[:limit]),
    }
    emit([{"what": key, "value": value} for key, value in facts.items()], fmt, title=f"Community {run}/{number}")
    emit([dataclasses.asdict(a) for a in found.members], fmt, title="Members (weight of ties inside)", columns=columns)
    emit(
        [dataclasses.asdict(a) for a in found.bridges],
        fmt,
        title="Bridges (ties to other communities)",
        columns=columns,
    )


@cli.command()
@click.option(
    "--measure",
    type=click.Choice(("degree", "strength", "pagerank", "betweenness", "bridges")),
    help="Default: degree, or bridges with --run, or pagerank with --engine gds.",
)
@click.option("--run", metavar="RUN", help="Rank the bridges of stored run RUN: most ties to other communities.")
@click.option("--limit", type=Count(), default=10, show_default=True, help="Show this many authors.")
@click.option("--seed", type=SEED, default=42, show_default=True, help="Sampled betweenness: which sources.")
@click.option("--samples", type=Count(), default=500, show_default=True, help="Sampled betweenness: sources.")
@engine_option("gds: PageRank inside Neo4j (needs the GDS plugin, see `db start --with-gds`).")
@projection_options
@format_option()
@click.pass_context
def central(
    ctx: click.Context,
    engine: str,
    measure: str | None,
    run: str | None,
    limit: int,
    seed: int,
    samples: int,
    fmt: str,
    **filters: Any,
) -> None:
    """Rank authors by degree, strength, PageRank or betweenness (exact up to 5,000 authors, sampled above).

    With --run, rank the bridges of a stored run instead (the projection filters do not apply). With --engine gds,
    PageRank runs inside Neo4j on the same filtered graph (scores sum to 1, as the Python engine's do).
    """
    from queries.centrality import find_bridges, rank_authors

    measure = measure or ("bridges" if run else "pagerank" if engine == "gds" else "degree")
    if (measure == "bridges") != bool(run):
        raise click.UsageError("--measure bridges and --run RUN go together")
    if engine == "gds" and measure != "pagerank":
        raise click.UsageError("--engine gds ranks by --measure pagerank only")
    if run:
        rows = [dataclasses.asdict(b) for b in find_bridges(open_graph(ctx), run, limit=limit)]
        emit(
            rows,
            fmt,
            title=f"Bridges of run {run!r}",
            columns=("name", "community", "cross_ties", "cross_weight", "communities_reached", "id"),
        )
        return
    if engine == "gds":
        from queries.gds import rank_authors_gds

        ranking = rank_authors_gds(open_graph(ctx), _filter(filters), limit=limit)
    else:
        ranking = rank_authors(
            open_graph(ctx), _project(ctx, filters), measure, limit=limit, seed=seed, samples=samples
        )
    if fmt == "json":
        click.echo(json.dumps(dataclasses.asdict(ranking), indent=2))
    else:
        rows = [dataclasses.asdict(a) for a in ranking.authors]
        emit(rows, fmt, title=f"Top authors by {measure} ({ranking.method})", columns=("name", "score", "id"))
    _note_ties_left_out(ctx, filters)
